"""Hard resource limits for a child process (subprocess's preexec_fn): the reader's guarantees
as the hostile checks enforce them (docs/reader-guarantees.md). Sanitizer builds reserve
terabytes of address space, so they run without the address-space limit (memory=False)."""
import resource

MEMORY_LIMIT = 512 << 20  # the hostile inputs are a few MiB; claims of GiB must not be believed
CPU_SECONDS = 20  # linear work on them takes well under a second


def limits(memory, memory_limit=MEMORY_LIMIT, cpu_seconds=CPU_SECONDS):
    def apply():
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    return apply

#!/usr/bin/env python3
"""Docs that cannot drift silently: every relative link of the Markdown files (README, docs/,
CHANGELOG, examples/) names a file or directory that exists, and, where it has a #fragment into
a Markdown file, a heading of that file; docs/api.md names every public header of tblog and
tblog::torch and every exception type error.hpp declares. (Code blocks are built by
tests/torch/check_libtorch_mnist.py through toolkit/doc_snippets.py.)

Usage: check_docs.py SOURCE_DIR
"""
import functools
import glob
import os
import re
import sys

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^\s*```")


def markdown_files(source):
    files = [os.path.join(source, f) for f in ("README.md", "CHANGELOG.md")]
    files += glob.glob(os.path.join(source, "docs", "**", "*.md"), recursive=True)
    files += glob.glob(os.path.join(source, "examples", "**", "*.md"), recursive=True)
    return sorted(f for f in files if os.path.isfile(f))


def prose_lines(path):
    """(line number, text) outside fenced code blocks."""
    inside = False
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if FENCE.match(line):
                inside = not inside
            elif not inside:
                yield number, line


@functools.lru_cache(maxsize=None)  # read once, however many links point into the file
def anchors(path):
    """GitHub's anchors of a Markdown file's headings."""
    found = set()
    for _, line in prose_lines(path):
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            title = re.sub(r"[^\w\- ]", "", title)
            found.add(title.replace(" ", "-"))
    return found


def broken_links(source):
    problems = []
    for path in markdown_files(source):
        for number, line in prose_lines(path):
            for match in LINK.finditer(line):
                target = match.group(1) or match.group(2)
                if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                    continue  # a URL, or a place in the same file
                file_part, _, fragment = target.partition("#")
                resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part))
                where = f"{os.path.relpath(path, source)}:{number}"
                if not os.path.exists(resolved):
                    problems.append(f"{where}: {target} does not exist")
                elif fragment and resolved.endswith(".md") and fragment not in anchors(resolved):
                    problems.append(f"{where}: {target}: no heading #{fragment}")
    return problems


def api_gaps(source):
    with open(os.path.join(source, "docs", "api.md"), encoding="utf-8") as f:
        api = f.read()
    gaps = []
    # Named as included after <tblog/...>: "graph.hpp" (the core's) is not "torch/graph.hpp".
    for root in (os.path.join(source, "tblog", "include", "tblog"),
                 os.path.join(source, "tblog_torch", "include", "tblog")):
        for header in sorted(glob.glob(os.path.join(root, "**", "*.hpp*"), recursive=True)):
            name = os.path.relpath(header, root).replace(".hpp.in", ".hpp")
            if not re.search(r"(?<![\w/])" + re.escape(name), api):
                gaps.append(f"docs/api.md does not name the public header {name}")
    with open(os.path.join(source, "tblog", "include", "tblog", "error.hpp"), encoding="utf-8") as f:
        errors = re.findall(r"^(?:class|struct)\s+(?:TBLOG_API\s+)?(\w+)", f.read(), re.M)
    if not errors:
        gaps.append("no exception class found in error.hpp (has its layout changed?)")
    for error in errors:
        if f"`{error}`" not in api:
            gaps.append(f"docs/api.md does not name the exception type {error}")
    return gaps


def main():
    source = os.path.abspath(sys.argv[1])
    files = markdown_files(source)
    assert len(files) > 10, f"only {len(files)} Markdown files found under {source}"
    problems = broken_links(source) + api_gaps(source)
    for p in problems:
        print(f"FAIL: {p}")
    print(f"{len(files)} Markdown files: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

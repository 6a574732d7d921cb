#!/usr/bin/env python3
"""Seed inputs for projector_fuzzer: config, tensors.tsv, metadata.tsv and sprite joined by
"\\n--\\n" (see projector_fuzzer.cpp). Usage: make_projector_seeds.py OUTDIR"""
import os
import sys

SEP = b"\n--\n"
CONFIG = (b'embeddings {\n  tensor_name: "e"\n  tensor_path: "tensors.tsv"\n'
          b'  tensor_shape: 2\n  tensor_shape: 2\n  metadata_path: "metadata.tsv"\n'
          b'  sprite { image_path: "sprite.png" single_image_dim: 2 single_image_dim: 2 }\n}\n')
PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)
SEEDS = {
    "valid": [CONFIG, b"1\t2\n3\t4\n", b"name\tclass\na\tx\nb\ty\n", PNG],
    "one_column": [CONFIG, b"0.5\t-1e3\n2\t3\n", b"a\nb\n", PNG],
    "crlf": [CONFIG, b"1\t2\r\n3\t4\r\n", b"a\r\nb\r\n", PNG],
    "fallback_config": [b"not a config", b"1\n2\n3\n", b"x\ny\nz\n", b"\xff\xd8\xff\xe0"],
    "escape": [CONFIG.replace(b"tensors.tsv", b"../../etc/passwd"), b"1\t2\n", b"", b""],
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, parts in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(SEP.join(parts))


if __name__ == "__main__":
    main()

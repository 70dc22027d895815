"""The practical limit for scripts/bench.sh: rapidyaml (C++, PyPI `rapidyaml`) parses the
whole input and emits it again, writing the YAML to stdout. No YAML 1.1 typing, no
document checks, no edits: only how fast a fast parser and emitter go over the same bytes.

    target/bench/venv/bin/python benches/ryml_floor.py < input.yaml > /dev/null
"""
import sys

import ryml


def main() -> None:
    data = bytearray(sys.stdin.buffer.read())
    tree = ryml.parse_in_place(data)
    out = ryml.emit_yaml_malloc(tree, tree.root_id())
    sys.stdout.buffer.write(out.encode() if isinstance(out, str) else out)


if __name__ == "__main__":
    main()

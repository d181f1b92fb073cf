"""`skillkit config-schema`: the JSON Schema of `skillkit.toml` / `[tool.skillkit]`, for editors."""

from __future__ import annotations

import argparse
import json
import sys

from skillkit.config.schema import json_schema
from skillkit.errors import check_output_file, write_output_file


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output", "-o", default=None, metavar="FILE", help="write it to FILE (default: stdout)"
    )


def run(args: argparse.Namespace) -> int:
    if args.output:
        check_output_file(args.output)
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        write_output_file(args.output, text)
    else:
        sys.stdout.write(text)
    return 0

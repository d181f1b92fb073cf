"""`skillkit lsp`: the language server, on standard input and output."""

from __future__ import annotations

import argparse

from skillkit.lsp.server import serve


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Run the language server over standard input and output (for an editor to start)."
    )


def run(args: argparse.Namespace) -> int:
    serve()
    return 0

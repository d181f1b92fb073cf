"""The rule families. Importing this package registers every rule (see skillkit.registry)."""

from skillkit.rules import (
    body,
    commands,
    drift,
    files,
    frontmatter,
    guardrails,
    references,
    render,
    suppressions,
)

__all__ = [
    "body",
    "commands",
    "drift",
    "files",
    "frontmatter",
    "guardrails",
    "references",
    "render",
    "suppressions",
]

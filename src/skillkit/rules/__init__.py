"""The rule families. Importing this package registers every rule (see skillkit.registry)."""

from skillkit.rules import (
    body,
    clients,
    commands,
    drift,
    files,
    frontmatter,
    guardrails,
    listing,
    references,
    render,
    suppressions,
)

__all__ = [
    "body",
    "clients",
    "commands",
    "drift",
    "files",
    "frontmatter",
    "guardrails",
    "listing",
    "references",
    "render",
    "suppressions",
]

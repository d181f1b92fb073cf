"""The rule families. Importing this package registers every rule (see skillkit.registry)."""

from skillkit.rules import files, frontmatter

__all__ = ["files", "frontmatter"]

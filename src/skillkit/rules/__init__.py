"""The rule families. Importing this package registers every rule (see skillkit.registry)."""

from skillkit.rules import commands, files, frontmatter

__all__ = ["commands", "files", "frontmatter"]

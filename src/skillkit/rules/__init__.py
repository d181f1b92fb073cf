"""The rule families. Importing this package registers every rule (see skillkit.registry)."""

from skillkit.rules import body, commands, files, frontmatter, references

__all__ = ["body", "commands", "files", "frontmatter", "references"]

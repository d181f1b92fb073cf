"""`skillkit lsp`: a language server for SKILL.md files (pygls).

`positions` converts between the model's spans and LSP positions, `features` computes what the
server answers (diagnostics, code actions, completions, hovers) from the library alone, and
`server` wires them to pygls. Nothing here is imported by `skillkit lint`.
"""

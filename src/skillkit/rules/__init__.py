"""The rule families, one module each; `skillkit.registry` lists them and registers their rules
(and `skillkit.rules.base` says what a rule is). Importing one family imports no other."""

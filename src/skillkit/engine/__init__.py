"""The lint engine, in the order a file goes through it.

discover (`discover`: which files) → read (`skillkit.reading`, the one bounded reader, through
`skillkit.parse.read_source`) → parse (`skillkit.parse`) → check (`check`: the rules of one file,
pure) → suppress (`suppress`: the file's suppression comments) → project rules (`project`: the
cross-file rules over every file's facts) → report (`skillkit.report`). `runner` is the one
runner of that flow, used by `skillkit lint`, `--watch` and the language server; the cache
(`cache`, `cache_project`) and the worker pool (`pool`) are parts given to it from outside.
`selection` says which rules run under given settings, `findings` how a finding is reported.
"""

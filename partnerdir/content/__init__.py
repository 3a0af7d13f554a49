"""The first stages of the pipeline: load a content folder, validate every file, check it whole.

    load_content (loading) -> validate_program (program), validate_partner (partner),
    validate_review (review) -> validate_content (crossfile, the rules across files)

`checking.check_content` runs them, sharing the partner files among processes, then evaluates
the levels: the check stage every command starts with. `fields` is what the validators share,
`schema` the partner file's fields (for the validator, the JSON Schema and `new`), `safety` the
rules for what strangers send, and `sealing` the `seal` command, which writes review files
from the programme team's raw exports.
"""

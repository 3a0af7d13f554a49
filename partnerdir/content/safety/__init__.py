"""The security policy for what strangers send, one module a kind of input (SECURITY.md names
each defence's module):

- `characters`: the characters text may not hold (control, invisible, noncharacters), for text
  fields and file names; the same sets serve the JSON Schema and the printing of problems;
- `links`: the links a listing or the programme may publish;
- `logos`: the logo file a listing may name;
- `svg`: what an SVG logo may hold, by allow-lists.

How files are read (no link followed, size limits, strict YAML) is `content.loading`'s part.
This file imports none of its modules: `partnerdir.problems` needs `characters` to print a
problem, and `svg` needs `problems`.
"""

"""Text made safe for XML 1.0: the characters XML cannot hold are dropped, whitespace collapsed."""

from __future__ import annotations

import re

#: Characters XML 1.0 does not allow at all (C0 controls but tab, CR, LF; lone surrogates; FFFE
#: and FFFF). Validation rejects control characters in partner text already; this is the last
#: guard, so no partner file can make a feed or a badge unparsable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` on one line, without characters XML cannot hold; escaping is the writer's job."""
    return " ".join(_NOT_XML.sub("", text).split())

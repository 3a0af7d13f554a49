"""Templates print each `{{ value }}` escaped as markupsafe escapes it, as plain text.

Jinja compiles `{{ value }}` to `markupsafe.escape(value)`, which wraps every result in a new
Markup; a page joins its pieces into one str right after, so the wrapping is lost at once.
A profile prints about 390 values: wrapping them was about 40% of its rendering time. Compiled
with TextEscapes, the same templates print the same characters; only the wrapper is gone.
"""

from __future__ import annotations

from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame


def replace_escapes(s: str, /) -> str:
    """markupsafe's escaping of a str, in Python (markupsafe/_native.py)."""
    return (
        s.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


try:  # markupsafe's own escaping of a str, in C: what markupsafe.escape calls
    from markupsafe._speedups import _escape_inner as _escape_str
except ImportError:  # markupsafe before 3.0, or without its C extension
    _escape_str = replace_escapes


def escaped_text(value: Any) -> str:
    """The text of `markupsafe.escape(value)`: HTML (`__html__`) as it is, anything else as
    str(value) escaped."""
    if value.__class__ is str:
        return _escape_str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escape_str(str(value))


class TextEscapes(CodeGenerator):
    """Compiles an autoescaped `{{ value }}` to `environment.escaped_text(value)`.

    Only where escaping is known when compiling: inside `{% autoescape %}` blocks Jinja decides
    at run time, as before. The environment must have `escaped_text` (render.make_environment).
    """

    def _output_child_pre(
        self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.escaped_text(")
        if finalize.src is not None:
            self.write(finalize.src)

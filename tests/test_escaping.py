"""Templates print `{{ value }}` as markupsafe escapes it, without a Markup per value."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup, escape

from partnerdir.escaping import escaped_text, replace_escapes
from partnerdir.render import make_environment


class Html:
    def __html__(self) -> str:
        return "<b>as it is</b>"


class Text(str):
    pass


VALUES = [
    "",
    "plain",
    "<script>alert('x') & \"y\"</script>",
    Markup("<em>safe</em>"),
    Html(),
    Text("<sub>class</sub>"),
    3,
    2.5,
    None,
    True,
    "".join(chr(c) for c in range(0x3000)),
]


@pytest.mark.parametrize("value", VALUES)
def test_a_value_is_escaped_as_markupsafe_escapes_it(value: object) -> None:
    assert escaped_text(value) == str(escape(value))
    assert type(escaped_text(value)) is str


@pytest.mark.parametrize("value", VALUES)
def test_the_python_escaping_is_markupsafes(value: object) -> None:
    assert replace_escapes(str(value)) == str(escape(str(value)))


def test_templates_print_values_as_escaped_text(tmp_path: Path) -> None:
    env = make_environment(tmp_path)
    source = "{{ a }}|{% autoescape false %}{{ a }}{% endautoescape %}|{{ m(a) }}"
    code = env.compile("{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}" + source, raw=True)
    assert "environment.escaped_text(" in code
    assert "yield escape(" not in code
    template = env.from_string("{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}" + source)
    assert template.render(a="<&>") == "&lt;&amp;&gt;|<&>|<i>&lt;&amp;&gt;</i>"


def test_an_undefined_value_still_fails(tmp_path: Path) -> None:
    with pytest.raises(jinja2.UndefinedError, match="'missing' is undefined"):
        make_environment(tmp_path).from_string("{{ missing }}").render()

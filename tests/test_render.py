"""Rendering: autoescape everywhere, a programme's templates override the built-in ones."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from factories import sample_site

from partnerdir.pages import Page, plan_pages
from partnerdir.render import (
    CompiledTemplates,
    add_compiled,
    builtin_templates,
    compile_templates,
    make_environment,
    render_pages,
    static_files,
)


@pytest.mark.parametrize("name", ["page.html", "badge.svg", "feed.xml", "plain.txt"])
def test_autoescape_is_on_for_every_template(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("<x>{{ value }}</x>")
    files = render_pages([Page(name, name, {"value": "<script>&"})], make_environment(tmp_path))
    assert files[name] == b"<x>&lt;script&gt;&amp;</x>"


def test_undefined_values_fail_loudly(tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text("{{ missing }}")
    with pytest.raises(jinja2.UndefinedError):
        render_pages([Page("t.html", "t.html", {})], make_environment(tmp_path))


def test_programme_templates_override_built_in_ones(tmp_path: Path) -> None:
    (tmp_path / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Lost? {{ heading }}</h1>{% endblock %}'
    )
    directory, evaluation, options = sample_site()
    pages = plan_pages(directory, evaluation, options)
    custom = render_pages(pages, make_environment(tmp_path))
    builtin = render_pages(pages, make_environment())
    assert b"<h1>Lost? Page not found</h1>" in custom["404.html"]
    assert b"Lost?" not in builtin["404.html"]
    # the programme's 404 still extends the built-in base template
    assert b'<link rel="stylesheet" href="/static/style.css">' in custom["404.html"]
    assert custom["index.html"] == builtin["index.html"]


def test_static_files_are_the_built_in_ones_unless_replaced(tmp_path: Path) -> None:
    builtin = static_files()
    assert set(builtin) >= {"static/style.css", "static/search.js"}
    assert builtin["static/style.css"] == (builtin_templates() / "static/style.css").read_bytes()
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "style.css").write_text("body { color: red }")
    (tmp_path / "static" / "extra.png").write_bytes(b"\x89PNG")
    replaced = static_files(tmp_path)
    assert replaced["static/style.css"] == b"body { color: red }"
    assert replaced["static/extra.png"] == b"\x89PNG"
    assert replaced["static/search.js"] == builtin["static/search.js"]


def test_every_built_in_page_template_exists() -> None:
    directory, evaluation, options = sample_site()
    names = {page.template for page in plan_pages(directory, evaluation, options)}
    assert len(names) >= 8, names  # home, profile, level, country, countries, ...
    for name in names:
        assert (builtin_templates() / name).is_file(), name


def test_stylesheet_and_script_stay_on_this_site() -> None:
    files = static_files()
    assert set(files) >= {"static/style.css", "static/search.js"}
    for name, data in files.items():
        text = data.decode()
        assert "http://" not in text and "https://" not in text, name
        assert "@import" not in text and "url(" not in text, name


def test_builtin_templates_from_a_checkout_without_the_package_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The workflows install only requirements.lock and run `python build.py` from the checkout:
    the built-in templates are then templates/ beside the package."""
    from partnerdir import render

    def not_installed(name: str) -> object:
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(render, "files", not_installed)
    folder = render.builtin_templates()
    assert folder == Path(__file__).resolve().parent.parent / "templates"
    assert (folder / "base.html").is_file()


def test_a_card_is_rendered_once_per_build(tmp_path: Path) -> None:
    (tmp_path / "_macros.html").write_text(
        "{% macro card(c, h=3) %}<h{{ h }}>{{ c }} {{ counter.append(c) or '' }}</h{{ h }}>"
        "{% endmacro %}{% macro card_list(list, h=3) %}"
        "{% for c in list %}{{ once(card, c, h) }}{% endfor %}{% endmacro %}"
    )
    (tmp_path / "list.html").write_text(
        '{% from "_macros.html" import card_list %}{{ card_list(cards, h) }}'
    )
    counter: list[object] = []
    pages = [
        Page("a.html", "list.html", {"cards": ["<a>", "b"], "h": 3}),
        Page("b.html", "list.html", {"cards": ["b", "<a>"], "h": 3}),
        Page("c.html", "list.html", {"cards": ["b"], "h": 4}),
        Page("d.html", "list.html", {"cards": [["unhashable"]], "h": 3}),
        Page("e.html", "list.html", {"cards": [["unhashable"]], "h": 3}),
    ]
    env = make_environment(tmp_path)
    env.globals["counter"] = counter
    files = render_pages(pages, env)
    assert files["a.html"] == b"<h3>&lt;a&gt; </h3><h3>b </h3>"
    assert files["b.html"] == b"<h3>b </h3><h3>&lt;a&gt; </h3>"
    assert files["c.html"] == b"<h4>b </h4>"
    assert files["d.html"] == files["e.html"] == b"<h3>[&#39;unhashable&#39;] </h3>"
    # each card and heading level once; the unhashable card every time
    assert counter == ["<a>", "b", "b", ["unhashable"], ["unhashable"]]


def test_templates_compiled_beforehand_are_used_while_their_source_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "t.html").write_text("<p>{{ value }}</p>")
    (tmp_path / "broken.html").write_text("{% if %}")
    (tmp_path / "edited.html").write_text("before")
    # all but broken.html, left to the build to report
    [compiled] = compile_templates(tmp_path)
    (tmp_path / "edited.html").write_text("after: {{ value }}")
    real_compile = jinja2.Environment.compile
    compiled_now: list[str | None] = []

    def compile_and_note(
        self: jinja2.Environment, source: str, name: str | None = None, *args: object
    ) -> object:
        compiled_now.append(name)
        return real_compile(self, source, name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", compile_and_note)
    env = make_environment(tmp_path, compiled)
    pages = [Page(name, name, {"value": "x"}) for name in ("t.html", "edited.html")]
    files = render_pages(pages, env)
    assert files["t.html"] == b"<p>x</p>" and files["edited.html"] == b"after: x"
    assert compiled_now == ["edited.html"]  # its source changed since: compiled again
    with pytest.raises(jinja2.TemplateSyntaxError):
        render_pages([Page("broken.html", "broken.html", {})], env)


def test_a_template_and_those_it_uses_are_compiled_before_the_others(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        '{% extends "layout.html" %}{% from "macros.html" import m %}'
        '{% block body %}{% include "part.html" %}{{ m() }}{% endblock %}'
    )
    (tmp_path / "layout.html").write_text("<main>{% block body %}{% endblock %}</main>")
    (tmp_path / "macros.html").write_text("{% macro m() %}m{% endmacro %}")
    (tmp_path / "part.html").write_text("part")
    (tmp_path / "other.html").write_text('{% extends "layout.html" %}')
    (tmp_path / "broken.html").write_text("{% if %}")
    first, rest = compile_templates(tmp_path, "page.html")
    env = make_environment(tmp_path, first)
    assert render_pages([Page("p.html", "page.html", {})], env) == {"p.html": b"<main>partm</main>"}
    cache = env.bytecode_cache
    assert isinstance(cache, CompiledTemplates)
    assert len(first) == 4 and cache.compiled == first  # nothing compiled but what it had
    assert len(rest) == 1 + len(next(compile_templates()))  # other.html and the built-in ones
    add_compiled(env, rest)
    assert render_pages([Page("o.html", "other.html", {})], env) == {"o.html": b"<main></main>"}
    assert cache.compiled == first | rest

"""Render planned pages with Jinja2: a programme's own templates first, then the built-in ones."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from importlib.resources import files
from pathlib import Path

import jinja2
from jinja2 import meta
from jinja2.bccache import Bucket
from markupsafe import Markup

from .escaping import TextEscapes, escaped_text
from .pages import Page

#: Folder of templates/ holding files copied to /static/ as they are.
STATIC = "static"


def builtin_templates() -> Path:
    """The built-in templates: the partnerdir.templates package once installed (pyproject maps
    templates/ to it), else templates/ beside the package in a checkout run as `python build.py`
    with only the locked dependencies installed (the workflows)."""
    try:
        return Path(str(files("partnerdir.templates")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "templates"


def make_environment(
    templates_dir: Path | None = None, compiled: Mapping[str, bytes] | None = None
) -> jinja2.Environment:
    """A Jinja2 environment that looks in `templates_dir` first, then in the built-in templates;
    with `compiled` (compile_templates()), a template whose source is unchanged since is not
    compiled again.

    Autoescape is on for every template, whatever its extension: partner text is data and
    reaches pages only through escaped variables (or as sanitised Markup from markup.py).
    """
    cache = CompiledTemplates(compiled) if compiled is not None else None
    return _environment(_loader(templates_dir), cache)


def _loader(templates_dir: Path | None) -> jinja2.FileSystemLoader:
    folders = [templates_dir] if templates_dir is not None else []
    folders.append(builtin_templates())
    return jinja2.FileSystemLoader([str(folder) for folder in folders])


def _environment(loader: jinja2.BaseLoader, cache: CompiledTemplates | None) -> jinja2.Environment:
    env = _Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=cache,
    )
    env.globals["once"] = RenderedOnce()
    return env


class _Environment(jinja2.Environment):
    """Jinja's environment with `{{ value }}` printed as escaped text (escaping.py)."""

    code_generator_class = TextEscapes
    escaped_text = staticmethod(escaped_text)


def compile_templates(
    templates_dir: Path | None = None, first: str | None = None
) -> Iterator[dict[str, bytes]]:
    """The compiled code of every HTML template of make_environment(templates_dir), for another
    environment of the same templates: with `first`, in two parts, that template and those it
    extends, imports and includes (found in their source), then the others; else in one.

    The pipeline compiles them in a forked process while the check runs (0.13 s at 1,000
    partners otherwise spent in the build's busiest process); the profiles need only their own
    part (about half the time), the other pages the rest, once Pagefind has started. A template
    named by a variable is in the second part; should the first need it, Jinja compiles it
    where it is rendered. A template that does not compile is left out: the build reports it
    when it renders a page.
    """
    loader, cache = _loader(templates_dir), CompiledTemplates({})
    env = _environment(loader, cache)
    given: set[str] = set()
    if first is not None:
        wanted = [first]
        while wanted:
            name = wanted.pop()
            if name not in given:
                given.add(name)
                wanted += _compile_template(env, loader, cache, name)
        yield dict(cache.compiled)
    sent = set(cache.compiled)
    for name in env.list_templates(extensions=["html"]):
        if name not in given:
            _compile_template(env, loader, cache, name)
    yield {key: code for key, code in cache.compiled.items() if key not in sent}


def add_compiled(env: jinja2.Environment, compiled: Mapping[str, bytes]) -> None:
    """Give an environment of make_environment() with `compiled` more of compile_templates()'
    parts, for the templates it has not loaded yet."""
    if isinstance(env.bytecode_cache, CompiledTemplates):
        env.bytecode_cache.compiled.update(compiled)


def _compile_template(
    env: jinja2.Environment, loader: jinja2.BaseLoader, cache: CompiledTemplates, name: str
) -> list[str]:
    """Compile template `name` into `cache` as Jinja's loader would; the templates its source
    names (extends, import, include), or none when it does not compile."""
    try:
        source, filename, _ = loader.get_source(env, name)
        tree = env.parse(source, name, filename)
        bucket = cache.get_bucket(env, name, filename, source)
        bucket.code = env.compile(tree, name, filename)
    except jinja2.TemplateError:
        return []
    cache.set_bucket(bucket)
    return [found for found in meta.find_referenced_templates(tree) if found is not None]


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates in memory, by Jinja's key (the template's name and file): Jinja
    takes a template's code from here when its source is the one compiled (checked against
    the checksum it stores with the code), and compiles it itself otherwise."""

    def __init__(self, compiled: Mapping[str, bytes]) -> None:
        self.compiled = dict(compiled)

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.compiled.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class RenderedOnce:
    """`once(macro, value, ...)` in a template: what `macro(value, ...)` renders, rendered once
    per environment (one build) for equal arguments. A partner's card appears on the home page,
    on each of its country pages and on its level page (43,137 cards for 9,847 partners): a macro
    is a function of its arguments, so the same card is the same HTML.

    Arguments that cannot be hashed are rendered every time.
    """

    def __init__(self) -> None:
        self._rendered: dict[tuple[Hashable, ...], Markup] = {}

    def __call__(self, macro: Callable[..., str], *args: Hashable) -> Markup:
        key = (getattr(macro, "name", None), *args)
        try:
            found = self._rendered.get(key)
        except TypeError:  # a value with a list or dict in it
            return Markup(macro(*args))
        if found is None:
            found = self._rendered[key] = Markup(macro(*args))
        return found


def render_pages(pages: Iterable[Page], env: jinja2.Environment) -> dict[str, bytes]:
    """Output path -> UTF-8 bytes of every page."""
    return {page.path: render_page(page, env) for page in pages}


def render_page(page: Page, env: jinja2.Environment) -> bytes:
    """UTF-8 bytes of one page."""
    return env.get_template(page.template).render(page.context).encode("utf-8")


def static_files(templates_dir: Path | None = None) -> dict[str, bytes]:
    """Site path ("static/style.css") -> bytes of every file under templates/static/.

    A file of the same name in the programme's templates/static/ replaces the built-in one.
    """
    found: dict[str, bytes] = {}
    folders = [builtin_templates()]
    if templates_dir is not None:
        folders.append(templates_dir)
    for folder in folders:
        static = folder / STATIC
        if not static.is_dir():
            continue
        for path in sorted(static.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                found[f"{STATIC}/{path.relative_to(static).as_posix()}"] = path.read_bytes()
    return dict(sorted(found.items()))

"""Whether an SVG logo is safe to publish: a still picture that runs nothing and loads nothing."""

from __future__ import annotations

import re
from xml.etree import ElementTree
from xml.parsers import expat

from ...problems import printable

# A logo opened at its own URL is a document on the site's origin: its script runs there, and
# whatever it fetches leaves from there. Browsers read CSS with escapes (`@\69mport`,
# `u\72l(`), image functions (`image-set()`) and animations that rewrite an attribute after
# any check of it, so the file is not searched for what is dangerous: it is parsed as the
# browser parses it (character references decoded, namespaces resolved) and every element,
# attribute and value must be on the lists below, which hold what a static logo needs.

_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
_XML = "http://www.w3.org/XML/1998/namespace"

#: Elements a still logo is drawn with: shapes, text, groups and their references, paint
#: servers, clip paths, masks and markers. Names are case-sensitive, as the browser reads them.
ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan",
        "linearGradient", "radialGradient", "stop", "pattern",
        "clipPath", "mask", "marker",
    }
)  # fmt: skip
#: Refused elements that get their own reason: a stylesheet is CSS the browser decodes (and
#: a logo can say the same with presentation attributes); an animation rewrites an attribute
#: (a link to javascript:, a style) after any check of it; script runs.
_STYLESHEETS = frozenset({"style"})
_ANIMATIONS = frozenset(
    {"animate", "animateColor", "animateMotion", "animateTransform", "set", "mpath", "discard"}
)
_SCRIPTS = frozenset({"script", "handler", "listener"})

#: Presentation attributes a logo uses, and the typographic properties drawing programs write
#: into `style` attributes; each is also a CSS property a `style` attribute may set. Left out
#: on purpose: every property that takes an image or an address (`cursor`, `filter`,
#: `mask-image`, `background`, `content`, `shape-inside`), shorthands (`font`) and custom
#: properties. `-inkscape-font-specification` is read by no browser.
PRESENTATION = frozenset(
    {
        "alignment-baseline", "baseline-shift", "clip-path", "clip-rule", "color",
        "color-interpolation", "color-interpolation-filters", "color-rendering", "direction",
        "display", "dominant-baseline", "enable-background", "fill", "fill-opacity",
        "fill-rule", "font-family", "font-feature-settings", "font-kerning", "font-size",
        "font-size-adjust", "font-stretch", "font-style", "font-variant",
        "font-variant-caps", "font-variant-east-asian", "font-variant-ligatures",
        "font-variant-numeric", "font-variation-settings", "font-weight", "image-rendering",
        "inline-size", "isolation", "letter-spacing", "line-height", "marker", "marker-end",
        "marker-mid", "marker-start", "mask", "mix-blend-mode", "opacity", "overflow",
        "paint-order", "shape-rendering", "solid-color", "solid-opacity", "stop-color",
        "stop-opacity", "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap",
        "stroke-linejoin", "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-align",
        "text-anchor", "text-decoration", "text-decoration-color", "text-decoration-line",
        "text-decoration-style", "text-indent", "text-rendering", "text-transform",
        "transform", "transform-origin", "unicode-bidi", "vector-effect", "visibility",
        "white-space", "word-spacing", "writing-mode", "-inkscape-font-specification",
    }
)  # fmt: skip
#: Geometry, structure and accessibility attributes (no namespace). `style` is checked as a
#: list of presentation properties; `href` only as a #fragment (`_LINKS`).
ATTRIBUTES = PRESENTATION | frozenset(
    {
        "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr",
        "dx", "dy", "rotate", "width", "height", "d", "points", "pathLength",
        "viewBox", "preserveAspectRatio", "version", "baseProfile",
        "gradientUnits", "gradientTransform", "spreadMethod", "offset",
        "patternUnits", "patternContentUnits", "patternTransform",
        "clipPathUnits", "maskUnits", "maskContentUnits",
        "markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient",
        "textLength", "lengthAdjust",
        "id", "class", "lang", "role", "focusable", "style", "href",
    }
)  # fmt: skip
#: Attributes in a namespace, as the parser names them: the old link attribute and the
#: whitespace and language markers (not xml:base, which would move every #fragment elsewhere).
_NAMESPACED = frozenset({f"{{{_XLINK}}}href", f"{{{_XML}}}space", f"{{{_XML}}}lang"})
#: How a message names an attribute in a namespace whose prefix is fixed.
_PREFIXES = {"{" + _XLINK + "}": "xlink:", "{" + _XML + "}": "xml:"}
_LINKS = frozenset({"href", f"{{{_XLINK}}}href"})
#: The attributes whose value is all there is to check: no link, no style, no namespace, no
#: event handler and no free text among them.
_VALUED = ATTRIBUTES - {"href", "style"}
#: Text for people and tools, never read as CSS or as an address: any value.
_FREE_TEXT = re.compile(r"(?:aria|data)-[a-z0-9-]{1,40}")

#: A link to anything but a part of the same file would load it.
_FRAGMENT = re.compile(r"#[-\w.:]+")
#: A value that could be read as CSS holds numbers, names, colours, strings and functions, and
#: no backslash (an escape: nothing is decoded here, so nothing may need decoding), no `@`
#: (a rule), no `/` or `*` (comments, addresses), no `:`, `;`, braces or angle brackets.
_PLAIN_VALUE = re.compile(r"[\w \t\n\r#%.,+\-()'\"]*")
#: Every `(` opens one of these functions; `url` only as `url(#id)`, a part of the same file.
#: (A name starts after a character that is not part of one: each is read once, not once per
#: letter, so a long value costs linear time.)
_FUNCTION = re.compile(r"(?<![-\w])([-\w]*)\(")
_FUNCTIONS = frozenset(
    {"rgb", "rgba", "hsl", "hsla", "matrix", "translate", "scale", "rotate", "skewx", "skewy"}
)
_LOCAL_URL = re.compile(r"url\(#[-\w.:]+\)", re.IGNORECASE)
#: One declaration of a `style` attribute: `property: value`.
_DECLARATION = re.compile(r"[ \t\n\r]*([-A-Za-z]+)[ \t\n\r]*:(.*)", re.DOTALL)

#: The names a browser reads as UTF-8. The parser reads our text as UTF-8 whatever the file
#: declares; a browser decodes the declared encoding, in which a byte that is a quote or a
#: letter here can be part of another character, so it would not read what was checked.
_UTF_8 = frozenset({"utf-8", "utf8"})
_DECLARES = "declares entities or a stylesheet"
_STYLE_HINT = "use presentation attributes (fill, stroke)"
_VALUE_RULE = (
    "a value may hold no backslash, @ or address, and no function but url(#id), rgb(), hsl() "
    "and transforms"
)


def svg_problem(text: str) -> str | None:
    """Why an SVG could run script or load something when opened (None when it cannot)."""
    if "\ufffd" in text:  # a byte that is not UTF-8, read as U+FFFD
        return "is not saved as UTF-8"
    problem = _declaration_problem(text)
    if problem:
        return problem
    try:
        root = ElementTree.fromstring(text)
    except (ElementTree.ParseError, ValueError):
        return "is not well-formed XML"
    if root.tag != f"{{{_SVG}}}svg":
        return "is not an SVG image (its root is not <svg> in the SVG namespace)"
    for element in root.iter():
        problem = _element_problem(element)
        if problem:
            return problem
    return None


class _Refused(Exception):
    """Stops the parser at the first declaration a logo may not hold."""


def _declaration_problem(text: str) -> str | None:
    """What the file declares that a logo may not, or why it is not XML at all (None if neither).

    Read from expat's own events, which stop the parser before any entity is expanded (no
    billion laughs): the declared encoding, a DOCTYPE's internal subset (entities, default
    attributes) and processing instructions (`<?xml-stylesheet?>`), which the element tree
    does not show.
    """

    def declaration(version: str, encoding: str | None, standalone: int) -> None:
        if encoding is not None and encoding.lower() not in _UTF_8:
            raise _Refused("is not saved as UTF-8")

    def doctype(name: str, system: str | None, public: str | None, internal: int) -> None:
        if internal:  # an external DTD (an old Illustrator export) is never fetched
            raise _Refused(_DECLARES)

    def instruction(target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            raise _Refused(_DECLARES)
        raise _Refused(f"has a processing instruction <?{_shown(target)}?>; a logo needs none")

    def entity(*_: object) -> None:
        raise _Refused(_DECLARES)

    parser = expat.ParserCreate()
    parser.XmlDeclHandler = declaration
    parser.StartDoctypeDeclHandler = doctype
    parser.ProcessingInstructionHandler = instruction
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(text, True)
    except _Refused as refused:
        return str(refused)
    except (expat.ExpatError, ValueError):
        return "is not well-formed XML"
    return None


def _element_problem(element: ElementTree.Element) -> str | None:
    namespace, _, name = element.tag.rpartition("}")
    if namespace != "{" + _SVG or name not in ELEMENTS:
        return _refused_element(namespace, name)
    for key, value in element.attrib.items():
        problem = _attribute_problem(key, value)
        if problem:
            what, why = problem
            return f"has {what} on <{_shown(name)}>: {why}"
    return None


def _refused_element(namespace: str, name: str) -> str:
    """Why an element outside the SVG namespace or the list ELEMENTS is refused."""
    a_tag = _a(name, f"<{_shown(name)}>")
    if namespace != "{" + _SVG:
        return f"has {a_tag} element outside the SVG namespace; a logo holds SVG elements only"
    if name in _SCRIPTS:
        return f"has {a_tag} element: logos may not run script"
    if name in _STYLESHEETS:
        return f"has {a_tag} element: logos may not carry CSS stylesheets; {_STYLE_HINT}"
    if name in _ANIMATIONS:
        return f"has {a_tag} element: a logo is a still picture, without animation"
    return (
        f"has {a_tag} element; a logo holds only shapes, text, groups, gradients, "
        "patterns, clip paths, masks and markers"
    )


def _attribute_problem(key: str, value: str) -> tuple[str, str] | None:
    """What is wrong with one attribute, and why, or None."""
    if key in _VALUED:  # most of them: only the value to check
        if _plain(value):
            return None
        label = _label(key)
        return _a(label, f"{label} value"), _VALUE_RULE
    if key.startswith("{"):
        if key not in _NAMESPACED:
            return f"an attribute {_label(key)}", "a logo uses SVG attributes"
    else:
        if key.lower().startswith("on"):
            return f"an event handler {_label(key)}", "logos may not run script"
        if _FREE_TEXT.fullmatch(key):
            return None
        if key not in ATTRIBUTES:
            return (
                f"an attribute {_label(key)}",
                "a logo needs geometry and presentation attributes only",
            )
    if key in _LINKS:
        if not _FRAGMENT.fullmatch(value):
            return f"a link ({_label(key)})", "a logo may link only to a #fragment of the same file"
        return None
    if key == "style":
        return _style_problem(value)
    if not _plain(value):
        label = _label(key)
        return _a(label, f"{label} value"), _VALUE_RULE
    return None


def _label(key: str) -> str:
    """An attribute's name as a message shows it: with its prefix, or its namespace named."""
    if not key.startswith("{"):
        return _shown(key)
    namespace, _, local = key.rpartition("}")
    if namespace + "}" in _PREFIXES:
        return _PREFIXES[namespace + "}"] + _shown(local)
    return _shown(local) + " from another namespace"


def _style_problem(style: str) -> tuple[str, str] | None:
    """A `style` attribute is a list of presentation properties with plain values."""
    for declaration in style.split(";"):
        if not declaration.strip(" \t\n\r"):
            continue
        match = _DECLARATION.fullmatch(declaration)
        if not match:
            return "a style attribute", f"it may hold only property: value pairs; {_STYLE_HINT}"
        name = match.group(1).lower()
        if name not in PRESENTATION:
            return f"a style property {_shown(name)}", "a logo needs presentation properties only"
        if not _plain(match.group(2)):
            return _a(name, f"{_shown(name)} value in its style attribute"), _VALUE_RULE
    return None


def _plain(value: str) -> bool:
    """Whether a value the browser may read as CSS refers to nothing outside the file."""
    if not _PLAIN_VALUE.fullmatch(value):
        return False
    if "(" not in value:
        return True  # no function
    for function in _FUNCTION.finditer(value):
        name = function.group(1).lower()
        if name == "url":
            if not _LOCAL_URL.match(value, function.start()):
                return False
        elif name not in _FUNCTIONS:
            return False
    return True


def _shown(name: str) -> str:
    """An element or attribute name as a message shows it: escaped, at most 40 characters."""
    return printable(name if len(name) <= 40 else name[:40] + "...")


def _a(word: str, phrase: str) -> str:
    """`phrase` with the article its first word takes: "an <image>", "a fill value"."""
    return ("an " if word.lower().startswith(("a", "e", "i", "o", "u", "xml")) else "a ") + phrase

"""The Babel extractor for Pontive's Python files (named in babel.cfg).

It extracts what Babel's own Python extractor does (``_``, ``_l``, ``gettext``, ``N_`` …), and
also the Indonesian labels that are data rather than calls and that templates translate with
``_(label)``:

* the string values of a label constant, at any depth, never the keys: a constant whose name
  ends in ``LABELS`` (``STATUS_LABELS = {...}``, ``ROLE_LABELS``), or one named by the
  ``label_constants`` option in babel.cfg (names or shell patterns such as ``*_FILTERS``);
* the label and group of a ``NavItem(...)`` and the title of a dashboard ``Card(...)`` or ``@cards.card(...)``.

Anything else a template translates — a label in ``rules.py`` (which stays free of Flask), in
``core/formats.py``, or a string built in code — is marked where it is written with
``N_("…")``, a no-op, or translated there with ``_()``/``_l()``.
"""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Iterator
from typing import IO, Any

from babel.messages.extract import extract_python

LABEL_CONSTANTS = ("*LABELS",)
LABEL_CALLS = {"NavItem": ((0,), ("label", "group")), "Card": ((1,), ("title",)), "card": ((), ("title",))}


def extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]) -> Iterator[tuple]:
    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    patterns = LABEL_CONSTANTS + tuple(str(options.get("label_constants", "")).split())
    for node in ast.walk(tree):
        for lineno, text in _labels(node, patterns):
            if text.strip():
                yield lineno, None, text, []


def _labels(node: ast.AST, patterns: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if any(fnmatch.fnmatchcase(name, pattern) for name in names for pattern in patterns):
            yield from _strings(node.value)
    elif isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name in LABEL_CALLS:
            positions, keywords = LABEL_CALLS[name]
            args = [node.args[i] for i in positions if i < len(node.args)]
            args += [k.value for k in node.keywords if k.arg in keywords]
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield arg.lineno, arg.value


def _strings(value: ast.AST) -> Iterator[tuple[int, str]]:
    """The string constants of a label constant: dict values, list/tuple/set items, recursively."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        yield value.lineno, value.value
    elif isinstance(value, ast.Dict):
        for item in value.values:
            yield from _strings(item)
    elif isinstance(value, ast.List | ast.Tuple | ast.Set):
        for item in value.elts:
            yield from _strings(item)
    elif isinstance(value, ast.Call):  # dict(...), frozenset(...), a wrapper around the literal
        for arg in value.args:
            yield from _strings(arg)

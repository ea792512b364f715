"""CONVENTIONS.md: every rules.py is pure — it imports neither Flask nor the database."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "pontive"
FORBIDDEN = ("flask", "flask_", "sqlalchemy", "pontive.extensions", "werkzeug")
RULE_MODULES = sorted(PACKAGE.glob("*/rules.py")) + [PACKAGE / "core" / "workdays.py", PACKAGE / "core" / "formats.py"]


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_there_are_rules_modules():
    assert any(p.name == "rules.py" for p in RULE_MODULES)


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rules_module_imports_neither_flask_nor_the_database(path):
    bad = {m for m in imported_modules(path) if m.startswith(FORBIDDEN)}
    assert not bad, f"{path} imports {bad}"


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rules_module_does_not_read_the_clock(path):
    source = path.read_text(encoding="utf-8")
    for call in ("date.today(", "datetime.now(", "datetime.utcnow(", "time.time("):
        assert call not in source, f"{path} reads the clock ({call}); pass today/now in"

"""The house's rules that import-linter cannot see: which names of Flask the lower layers use.

import-linter (``make lint``, and the first step of ``make test``) checks which packages import
which; Flask is one package, so whether a service reaches for ``request`` or ``render_template``
is checked here, by reading the source.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CATALOG = Path(__file__).resolve().parents[1] / "catalog"
#: What belongs to a request or a page, never to a read, a write, the engine or the models.
REQUEST_NAMES = {"request", "session", "g", "flash", "abort", "redirect", "render_template", "url_for"}
LOWER_LAYERS = ["services", "queries", "search", "models", "data"]


def flask_names(path: Path) -> set[str]:
    """The names a module imports from ``flask``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "flask":
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize(
    "module",
    sorted(str(p.relative_to(CATALOG)) for layer in LOWER_LAYERS for p in (CATALOG / layer).rglob("*.py")),
)
def test_lower_layers_use_nothing_of_a_request_or_a_page(module):
    assert flask_names(CATALOG / module) & REQUEST_NAMES == set()

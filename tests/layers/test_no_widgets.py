"""layers/ renders headless and in worker threads, so it must never import Qt widgets."""

import ast
from pathlib import Path

LAYERS = Path(__file__).resolve().parents[2] / "layers"


def test_layers_import_no_widgets_module():
    offenders = []
    for path in LAYERS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            offenders += [
                f"{path.name}: {n}" for n in names if "QtWidgets" in n or n == "pyqtgraph"
            ]
    assert offenders == []

"""Every ```python snippet of docs/python.md runs, in order, in one namespace (like a notebook),
from the repository root, and so does every snippet of docs/backtest.md in a namespace of its
own; the module docstring's example runs as a doctest."""

from __future__ import annotations

import doctest
import os
import re
from typing import Any, Dict, List, Tuple

import pytest

import dealscore
from conftest import REPO

DOC = REPO / "docs" / "python.md"
BACKTEST_DOC = REPO / "docs" / "backtest.md"
README = REPO / "bindings-python" / "README.md"


def snippets(path: Any = DOC) -> List[Tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"^```python\n(.*?)^```", text, flags=re.S | re.M):
        out.append((text[: m.start()].count("\n") + 1, m.group(1)))
    return out


SNIPPETS = snippets()
assert len(SNIPPETS) >= 8, SNIPPETS
BACKTEST_SNIPPETS = snippets(BACKTEST_DOC)
assert len(BACKTEST_SNIPPETS) >= 5, BACKTEST_SNIPPETS


class Notebook:
    def __init__(self, path: Any, cells: List[Tuple[int, str]]) -> None:
        self.path = path
        self.cells = cells
        self.namespace: Dict[str, Any] = {"__name__": "docs_" + path.stem}
        self.ran = 0

    def run_through(self, index: int) -> None:
        """Runs the snippets up to `index` that have not run yet (so `-k` on one still works)."""
        while self.ran <= index:
            line, code = self.cells[self.ran]
            self.ran += 1
            # Padded so that tracebacks give the line numbers of the page.
            exec(compile("\n" * line + code, str(self.path), "exec"), self.namespace)


def in_repo(path: Any, cells: List[Tuple[int, str]]) -> Any:
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        yield Notebook(path, cells)
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def notebook() -> Any:
    yield from in_repo(DOC, SNIPPETS)


@pytest.fixture(scope="module")
def backtest_notebook() -> Any:
    # The figures' snippets draw charts; no display is needed.
    import matplotlib

    matplotlib.use("Agg")
    yield from in_repo(BACKTEST_DOC, BACKTEST_SNIPPETS)


@pytest.mark.parametrize("index", range(len(SNIPPETS)), ids=[f"python.md:{line}" for line, _ in SNIPPETS])
def test_doc_snippet(notebook: Notebook, index: int) -> None:
    notebook.run_through(index)


@pytest.mark.parametrize(
    "index", range(len(BACKTEST_SNIPPETS)), ids=[f"backtest.md:{line}" for line, _ in BACKTEST_SNIPPETS]
)
def test_backtest_doc_snippet(backtest_notebook: Notebook, index: int) -> None:
    backtest_notebook.run_through(index)


README_SNIPPETS = snippets(README)


@pytest.mark.parametrize("index", range(len(README_SNIPPETS)), ids=[f"README.md:{n}" for n, _ in README_SNIPPETS])
def test_readme_snippet(index: int) -> None:
    line, code = README_SNIPPETS[index]
    exec(compile("\n" * line + code, str(README), "exec"), {"__name__": "readme"})


def test_package_docstring_example() -> None:
    result = doctest.testmod(dealscore, verbose=False)
    assert result.attempted > 0 and result.failed == 0

"""Every ```python snippet of docs/python.md runs, in order, in one namespace (like a notebook),
from the repository root; the module docstring's example runs as a doctest."""

from __future__ import annotations

import doctest
import os
import re
from typing import Any, Dict, List, Tuple

import pytest

import dealscore
from conftest import REPO

DOC = REPO / "docs" / "python.md"
README = REPO / "bindings-python" / "README.md"


def snippets(path: Any = DOC) -> List[Tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"^```python\n(.*?)^```", text, flags=re.S | re.M):
        out.append((text[: m.start()].count("\n") + 1, m.group(1)))
    return out


SNIPPETS = snippets()
assert len(SNIPPETS) >= 8, SNIPPETS


class Notebook:
    def __init__(self) -> None:
        self.namespace: Dict[str, Any] = {"__name__": "docs_python_md"}
        self.ran = 0

    def run_through(self, index: int) -> None:
        """Runs the snippets up to `index` that have not run yet (so `-k` on one still works)."""
        while self.ran <= index:
            line, code = SNIPPETS[self.ran]
            self.ran += 1
            # Padded so that tracebacks give the line numbers of docs/python.md.
            exec(compile("\n" * line + code, str(DOC), "exec"), self.namespace)


@pytest.fixture(scope="module")
def notebook() -> Any:
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        yield Notebook()
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("index", range(len(SNIPPETS)), ids=[f"python.md:{line}" for line, _ in SNIPPETS])
def test_doc_snippet(notebook: Notebook, index: int) -> None:
    notebook.run_through(index)


README_SNIPPETS = snippets(README)


@pytest.mark.parametrize("index", range(len(README_SNIPPETS)), ids=[f"README.md:{n}" for n, _ in README_SNIPPETS])
def test_readme_snippet(index: int) -> None:
    line, code = README_SNIPPETS[index]
    exec(compile("\n" * line + code, str(README), "exec"), {"__name__": "readme"})


def test_package_docstring_example() -> None:
    result = doctest.testmod(dealscore, verbose=False)
    assert result.attempted > 0 and result.failed == 0

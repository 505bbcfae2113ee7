"""The one error type file readers and writers raise for bad input."""

from __future__ import annotations

from pathlib import Path


class FileProblem(Exception):
    """A file cannot be read or written as asked; `str()` is one line naming the file and why."""

    def __init__(self, path: str | Path, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")

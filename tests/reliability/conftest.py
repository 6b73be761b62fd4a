"""Shared by the reliability suite: where each test writes the figures it reached.

Each test records what it actually did (kills survived, inputs tried, writes checked) as a
small JSON file in `DOCCLUB_RELIABILITY_OUT` (default: <tmp>/docclub-reliability);
`python tests/reliability/report.py` turns the files of a real run into docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Record = Callable[..., None]


def out_dir() -> Path:
    return Path(os.environ.get("DOCCLUB_RELIABILITY_OUT") or Path(tempfile.gettempdir()) / "docclub-reliability")


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Record:
    """`figures(name=value, ...)`: save this test's figures as <out>/<test name>.json."""

    def record(**values: Any) -> None:
        path = out_dir()
        path.mkdir(parents=True, exist_ok=True)
        doc = {"test": request.node.name, "module": request.node.module.__name__.rsplit(".", 1)[-1],
               "summary": (request.node.function.__doc__ or "").strip().split("\n")[0], "figures": values}
        (path / f"{request.node.name}.json").write_text(json.dumps(doc, indent=1, default=str))

    return record

"""The usage example in docs/participation.md runs as written."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

PAGE = Path(__file__).parent.parent / "docs" / "participation.md"


class TestConceptPage:
    """The concept page opens with a runnable example."""

    def test_example_runs(self) -> None:
        """The first Python block runs and prints the messages its comments show."""
        blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(compile(blocks[0], str(PAGE), "exec"), {})
        assert output.getvalue().splitlines() == [
            "Kommentieren ist bis zum 29.03.2024 um 24:00 Uhr möglich.",
            "Commenting closed on 29 March 2024 at midnight.",
            "2024-03-21 20:00:00+01:00 1:00:00",
        ]

"""docs/api.md runs: its Python cells execute in order in one namespace, and the outputs it
shows for the figures that do not depend on the data (shapes, reproducibility, Dask equal
to the local pool) are printed again."""

import contextlib
import io
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_api_session_runs_as_written():
    text = DOC.read_text(encoding="utf-8")
    cells = re.findall(r"```python\n(.*?)```\n\n```text\n(.*?)```", text, flags=re.S)
    assert len(cells) >= 6
    ns: dict = {}
    for i, (code, shown) in enumerate(cells, 1):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            exec(compile(code, f"docs/api.md cell {i}", "exec"), ns)  # noqa: S102
        out = buf.getvalue()
        for line in ("True", "Dask cluster", "{'materials': (4, "):
            if line in shown:
                assert line in out, (i, out)
    assert ns["again"] == ns["variants"][0].inputs

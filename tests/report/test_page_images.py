"""Report page thumbnails keep their colours: a light tint stays that tint (a fixed
256-colour dithered conversion once turned tints cyan and speckled)."""

from __future__ import annotations

import io

from PIL import Image

from reserve_planner.charts.style import LIGHT_SERIES
from reserve_planner.report.document import Figure, Paragraph, Report
from reserve_planner.report.pdf import write_document_pages

TINTS = (LIGHT_SERIES["band"], "#BDBDBD", "#FDE0C5")  # the size-curve band, status quo grey


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def _stripes_png() -> bytes:
    """Three flat stripes of light tints, 600 x 300 px."""
    image = Image.new("RGB", (600, 300), "white")
    for k, tint in enumerate(TINTS):
        image.paste(_rgb(tint), (0, 100 * k, 600, 100 * (k + 1)))
    buf = io.BytesIO()
    image.save(buf, format="png")
    return buf.getvalue()


def test_page_thumbnails_keep_light_tints(qapp, tmp_path):
    report = Report("Tints", "a test", (), (
        Paragraph("Three light tints, as charts use them."),
        Figure("tints", _stripes_png(), 600, 300, 120.0, caption="Tints.")))
    (page,) = write_document_pages(report, tmp_path, "A4", dpi=60)
    image = Image.open(page)
    assert image.mode == "P"  # still a small palette file
    colours = {c: n for n, c in image.convert("RGB").getcolors(maxcolors=1 << 16)}
    for tint in TINTS:
        # a stripe is about 110 x 18 px at 60 dpi: its flat middle keeps the exact colour
        assert colours.get(_rgb(tint), 0) > 500, tint
    cyan = sum(n for c, n in colours.items() if c[0] < 150 and c[1] > 200 and c[2] > 200)
    assert cyan == 0

"""Regenerate tests/io/fixtures/libreoffice_edited.xlsx: the template, edited and saved by
LibreOffice Calc.

Run from the repository root with LibreOffice installed (the tests themselves never need it):

    python tests/io/make_libreoffice_fixture.py

Steps: this program writes the article-baseline template with ``save_scenario_workbook``;
then the system Python that ships LibreOffice's ``uno`` module (``/usr/bin/python3`` on
Debian/Ubuntu, override with ``$UNO_PYTHON``) runs this same file with ``--uno`` to drive a
headless LibreOffice: it makes the edits in ``EDITS`` the way a planner would (a typed number,
a formula, numbers typed as text with a comma, a text that starts with '=', an extra column
and an extra sheet), and saves as "Excel 2007-365". No macros are involved: the edits are
made over LibreOffice's UNO API from outside the document. ``tests/io/test_libreoffice.py``
checks that the file loads and that the edits show.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "libreoffice_edited.xlsx"

# (sheet, row label in column A, column heading, kind, value); kind is value|formula|string
EDITS = [
    ("Settings", "Annual purchase budget", "Value", "value", 200_000_000),
    ("Materials", "NdPr oxide", "Price ($/kg)", "formula", "=80+5"),
    ("Series", ("NdPr oxide", 2028), "Domestic supply (t/yr)", "string", "1,250"),
    ("Scenarios", "Licensing shock (April 2025 repeat)", "Price multiplier during (x)",
     "string", "3,5"),
    ("Scenarios", "No disruption", "Note", "string", "=not a formula, just a note"),
]
EXTRA_COLUMN = ("Materials", "Comment", {"NdPr oxide": "checked with the team"})
EXTRA_SHEET = ("My notes", [["Planner notes"], ["Budget raised to $200M for the 2027 run."]])


def main() -> None:
    sys.path.insert(0, str(HERE.parents[1]))
    from reserve_planner.io.baseline import load_article_baseline
    from reserve_planner.io.workbook import (
        load_scenario_workbook_with_warnings,
        save_scenario_workbook,
    )

    if shutil.which("soffice") is None:
        sys.exit("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.xlsx"
        out = Path(tmp) / "edited.xlsx"
        save_scenario_workbook(load_article_baseline(), template)
        uno_python = os.environ.get("UNO_PYTHON", "/usr/bin/python3")
        subprocess.run([uno_python, __file__, "--uno", str(template), str(out), tmp],
                       check=True, timeout=300)
        inputs, warnings = load_scenario_workbook_with_warnings(out)
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, FIXTURE)
    print(f"wrote {FIXTURE.relative_to(HERE.parents[1])}: loads as {inputs.name!r}")
    for w in warnings:
        print(f"  warning: {w}")


def uno_edit(src: str, dst: str, workdir: str) -> None:  # runs under LibreOffice's Python
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    profile = Path(workdir) / "lo_profile"
    proc = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore",
         f"-env:UserInstallation={profile.as_uri()}",
         f"--accept=socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;"
                                       "StarOffice.ComponentContext")
                break
            except NoConnectException:
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                               ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                           (prop("Hidden", True),))
        sheets = doc.Sheets

        def find_col(sheet, heading):
            for c in range(60):
                if sheet.getCellByPosition(c, 0).getString() == heading:
                    return c
            raise SystemExit(f"no column {heading!r} on {sheet.Name}")

        def find_row(sheet, key):
            label, year = (key, None) if isinstance(key, str) else key
            for r in range(1, 500):
                if sheet.getCellByPosition(0, r).getString() == label and (
                        year is None or sheet.getCellByPosition(1, r).getValue() == year):
                    return r
            raise SystemExit(f"no row {key!r} on {sheet.Name}")

        for sheet_name, key, heading, kind, value in EDITS:
            sheet = sheets.getByName(sheet_name)
            cell = sheet.getCellByPosition(find_col(sheet, heading), find_row(sheet, key))
            if kind == "value":
                cell.setValue(value)
            elif kind == "formula":
                cell.setFormula(value)
            else:
                cell.setString(value)
        sheet_name, heading, notes = EXTRA_COLUMN
        sheet = sheets.getByName(sheet_name)
        col = max(c for c in range(60) if sheet.getCellByPosition(c, 0).getString()) + 1
        sheet.getCellByPosition(col, 0).setString(heading)
        for key, text in notes.items():
            sheet.getCellByPosition(col, find_row(sheet, key)).setString(text)
        name, rows = EXTRA_SHEET
        sheets.insertNewByName(name, sheets.getCount())
        extra = sheets.getByName(name)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                extra.getCellByPosition(c, r).setString(text)
        doc.calculateAll()
        doc.storeToURL(uno.systemPathToFileUrl(dst),
                       (prop("FilterName", "Calc MS Excel 2007 XML"), prop("Overwrite", True)))
        doc.close(True)
        with contextlib.suppress(Exception):  # the bridge closes as LibreOffice exits
            desktop.terminate()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--uno":
        uno_edit(*sys.argv[2:5])
    else:
        main()

"""Parse the cells of a scenario workbook (:class:`RawWorkbook`) into :class:`PlanInputs`.

Every problem found is collected, with the sheet, cell, value and what was expected, and
raised together in one :class:`WorkbookError`; nothing is returned unless the inputs are
complete and pass :meth:`PlanInputs.validate`. What does not stop a load (extra sheets or
columns, an edited read-only column, a series starting in another year) becomes a warning.
"""

from __future__ import annotations

import difflib
import math
from typing import Any

from openpyxl.utils import get_column_letter

from ..model import (
    ContractedFloor,
    DisruptionScenario,
    LaterEpisode,
    Material,
    PlanInputs,
    Policy,
    ProjectKind,
    Source,
    SourceKind,
    SupplyProject,
)
from .cell_values import (
    is_blank,
    show,
    text_from_cell,
)
from .montecarlo_sheet import SHEET as MONTE_CARLO_SHEET
from .raw_workbook import MAX_COLUMNS, MAX_ROWS, RawSheet, RawWorkbook, cell_name
from .scenario_layout import (
    ANALYSIS_SHEETS,
    CONTRACTED_FLOOR_FIELDS,
    CONTRACTED_FLOORS,
    DEPTH_FIELD,
    DEPTH_PREFIX,
    EPISODE_DEPTH_FIELD,
    EPISODE_FIELDS,
    EPISODES,
    FLOOR_FIELDS,
    FLOORS,
    MATERIAL_FIELDS,
    MATERIALS,
    MONTE_CARLO_RESULTS_SHEET,
    PROJECT_FIELDS,
    PROJECTS,
    REQUIRED_SHEETS,
    RESULTS_SHEETS,
    SCENARIO_FIELDS,
    SCENARIO_SHEETS,
    SCENARIOS,
    SERIES,
    SERIES_DEMAND,
    SERIES_FIELDS,
    SETTING_FIELDS,
    SETTINGS,
    SETTINGS_HEADERS,
    SOURCE_CELL_COLUMN,
    SOURCE_FIELDS,
    SOURCES,
    VARIANTS,
    Field,
    ValueKind,
    norm,
)
from .schema_version import check_schema_version, is_results_workbook
from .sheet_tables import BAD, SheetTable, TableReader, did_you_mean
from .source_columns import check_source_columns
from .workbook_problems import WorkbookError, WorkbookProblem, file_problem

PROBABILITY_TOLERANCE = 1e-6
"""How far from 1 the scenario probabilities may add up to [-]."""


def parse_scenario(raw: RawWorkbook) -> PlanInputs:
    """Plan inputs from the cells of a scenario workbook; raises :class:`WorkbookError`
    listing every problem. Warnings are dropped; see :func:`parse_scenario_with_warnings`."""
    return parse_scenario_with_warnings(raw)[0]


def parse_scenario_with_warnings(raw: RawWorkbook) -> tuple[PlanInputs, list[str]]:
    """Plan inputs and the warnings (one sentence each) from a scenario workbook's cells.

    Raises :class:`WorkbookError` with every problem (each naming sheet, cell, value and
    what was expected) when the workbook cannot give valid inputs.
    """
    return _ScenarioReader(raw).read()


class _ScenarioReader(TableReader):
    """Reads each sheet of a scenario workbook in turn."""

    def __init__(self, raw: RawWorkbook):
        super().__init__(raw)
        self.series_first_rows: dict[str, int] = {}

    def read(self) -> tuple[PlanInputs, list[str]]:
        check_schema_version(self)
        self._check_sheets()
        name, notes, policy_kw = self._read_settings()
        materials = self._read_materials()
        names = list(dict.fromkeys(m["name"] for m in materials if m["name"] is not BAD))
        series = self._read_series(names, policy_kw.get("start_year"))
        projects = self._read_projects(names)
        scenarios = self._read_scenarios(names)
        self._read_episodes(scenarios, names)
        floors = self._read_floors(names)
        contracted = self._read_contracted_floors(names)
        sources = self._read_sources()
        if self.problems:
            raise WorkbookError(self._sorted(self.problems), self.warnings)
        policy_kw["floor_candidates_usd_per_kg"] = floors
        built = []
        for m in materials:
            dom, allied = series[m["name"]]
            built.append(Material(**m, domestic_supply_t_per_yr=dom,
                                  allied_supply_t_per_yr=allied))
        inputs = PlanInputs(
            name=name, materials=tuple(built),
            projects=tuple(SupplyProject(**p) for p in projects),
            scenarios=tuple(DisruptionScenario(**s) for s in scenarios),
            policy=Policy(**policy_kw), sources=sources, notes=notes,
            contracted_floors=tuple(ContractedFloor(**f) for f in contracted),
        )
        for p in inputs.validate():  # a backstop: the checks above should catch everything
            where = self.find(p.field)
            message = f"{p.message} (got {show(p.value)})"
            if where is None:
                self.problems.append(file_problem(f"{p.field}: {message}", p.value))
            else:
                self.problems.append(WorkbookProblem(where.sheet, where.cell, p.value, message,
                                                     where.row, where.column))
        if self.problems:
            raise WorkbookError(self._sorted(self.problems), self.warnings)
        if self.raw.sheet(SOURCES) is not None:
            check_source_columns(self, inputs, self.series_first_rows)
        self._warn_beyond_horizon(inputs)
        return inputs, self.warnings

    def _warn_beyond_horizon(self, inputs: PlanInputs) -> None:
        """A disruption that starts after the last plan month has no effect: say so."""
        horizon = inputs.policy.horizon_months
        checks = [(f"scenarios/{s.name}/start_month", s.start_month, s.duration_months > 0,
                   f"the disruption of scenario {show(s.name)} starts in month "
                   f"{s.start_month:,}")
                  for s in inputs.scenarios]
        for path, month, matters, what in checks:
            if matters and month >= horizon:
                where = self.find(path)
                text = (f"{what}, after the {horizon:,}-month horizon (months 0 to "
                        f"{horizon - 1:,}); it has no effect on the plan")
                if where is not None and where.cell:
                    self.warnings.append(f"{where.sheet}!{where.cell}: {text}")
                else:
                    self.warnings.append(text)

    @staticmethod
    def _sorted(problems: list[WorkbookProblem]) -> list[WorkbookProblem]:
        order = {s.casefold(): i for i, s in enumerate(SCENARIO_SHEETS)}
        return sorted(problems, key=lambda p: (0 if not p.sheet else 1,
                                               order.get(p.sheet.casefold(), 99), p.row or 0))

    def _check_sheets(self) -> None:
        for name in REQUIRED_SHEETS:
            if self.raw.sheet(name) is None:
                self.problem(name, None, None, None,
                             f"the sheet is missing; a scenario workbook needs the sheets "
                             f"{', '.join(REQUIRED_SHEETS)}")
        known = {norm(s) for s in (*SCENARIO_SHEETS, VARIANTS)}  # Variants: variants.py
        quiet = ({norm(s) for s in (*RESULTS_SHEETS, *ANALYSIS_SHEETS,
                                    MONTE_CARLO_RESULTS_SHEET)}
                 if is_results_workbook(self.raw) else set())
        self.problems.extend(getattr(self.raw, "problems", ()))
        for sheet in self.raw.sheets:
            key = norm(sheet.name)
            if key == norm(VARIANTS):
                continue  # read, and its problems reported, by variants_sheet.py
            if key == norm(MONTE_CARLO_SHEET):
                continue  # the Monte Carlo distributions: read by montecarlo_sheet.py
            if key in known:
                self._warn_hidden(sheet)
                if sheet.truncated:
                    self.problem(sheet.name, None, None, None,
                                 f"the sheet has cells beyond row {MAX_ROWS:,} or column "
                                 f"{get_column_letter(MAX_COLUMNS)}; a scenario workbook is "
                                 "much smaller. Delete the unused rows and columns.")
            elif key not in quiet:
                self.warn("", None, None, f"sheet '{sheet.name}' is not part of a scenario "
                          "workbook and was not read")

    def _warn_hidden(self, sheet: RawSheet) -> None:
        """Hidden sheets, rows and columns are read like the others; say so."""
        if sheet.hidden:
            self.warn(sheet.name, None, None, "the sheet is hidden in the workbook; it was "
                      "read like the others (unhide it to see what the plan uses)")
        if sheet.hidden_rows:
            self.warn(sheet.name, None, None, f"{_count(sheet.hidden_rows, 'row')} hidden "
                      f"({_listing([str(r) for r in sheet.hidden_rows])}); "
                      f"{'they were' if len(sheet.hidden_rows) > 1 else 'it was'} read")
        if sheet.hidden_columns:
            self.warn(sheet.name, None, None, f"{_count(sheet.hidden_columns, 'column')} "
                      f"hidden ({_listing([get_column_letter(c) for c in sheet.hidden_columns])}"
                      f"); {'they were' if len(sheet.hidden_columns) > 1 else 'it was'} read")

    def _read_settings(self) -> tuple[str, str, dict[str, Any]]:
        sheet = self.raw.sheet(SETTINGS)
        policy: dict[str, Any] = {}
        name, notes = "", ""
        if sheet is None:
            return name, notes, policy
        key_field = Field("setting", SETTINGS_HEADERS[0], "setting", ValueKind.TEXT)
        value_field = Field("value", SETTINGS_HEADERS[1], "value", ValueKind.TEXT)
        unit_field = Field("unit", SETTINGS_HEADERS[2], "unit", ValueKind.TEXT, default="")
        table = self.table(SETTINGS, (key_field, value_field, unit_field),
                           extra_known=SETTINGS_HEADERS[3:])
        if table is None:
            return name, notes, policy
        by_key = {k: f for f in SETTING_FIELDS for k in (norm(f.title), norm(f.name))}
        seen: dict[str, int] = {}
        value_col = table.columns.get("value")
        values: dict[str, Any] = {}
        unknown: list[tuple[int, str]] = []
        for r in table.rows:
            key_text = text_from_cell(table.cell(r, "setting").value).strip()
            fld = by_key.get(norm(key_text))
            key_col = table.columns.get("setting")
            if fld is None:
                if key_text:
                    unknown.append((r, key_text))
                continue
            if fld.name in seen:
                self.problem(SETTINGS, r, key_col, key_text,
                             f"setting '{fld.title}' appears twice (also in row "
                             f"{seen[fld.name]})", SETTINGS_HEADERS[0])
                continue
            seen[fld.name] = r
            unit = text_from_cell(table.cell(r, "unit").value).strip()
            if unit and fld.unit and norm(unit) not in (norm(fld.unit), norm(fld.shown_unit)):
                self.problem(SETTINGS, r, table.columns.get("unit"), unit,
                             f"{fld.label} is given in {unit}; this program reads "
                             f"{fld.shown_unit}. Convert the value and set the unit back to "
                             f"{fld.shown_unit}",
                             SETTINGS_HEADERS[2])
            if value_col is not None:
                values[fld.name] = self.value(SETTINGS, r, value_col, fld,
                                              table.sheet.cell(r, value_col),
                                              SETTINGS_HEADERS[1])
                path = f"policy/{fld.name}" if fld.name not in ("name", "notes") else fld.name
                self.locate(path, SETTINGS, r, value_col, SETTINGS_HEADERS[1])
        refused = self._unknown_settings(unknown, seen, table.columns.get("setting"))
        for fld in SETTING_FIELDS:
            if fld.name not in seen:
                if fld.default is None and fld.name not in refused:
                    self.problem(SETTINGS, None, None, None,
                                 f"the setting '{fld.title}' is missing; add a row with "
                                 f"'{fld.title}' in the {SETTINGS_HEADERS[0]} column")
                values[fld.name] = fld.default
        name = values.pop("name", "")
        notes = values.pop("notes", "")
        return name, notes, {k: v for k, v in values.items() if v is not BAD}

    def _unknown_settings(self, unknown: list[tuple[int, str]], seen: dict[str, int],
                          key_col: int | None) -> set[str]:
        """A setting name that is a near miss of one the sheet lacks (``Startng year``) is
        refused, as a heading typo is; other unknown settings are warned and skipped.
        Returns the names of the settings so refused."""
        missing = {norm(f.title): f for f in SETTING_FIELDS if f.name not in seen}
        refused: set[str] = set()
        for r, key_text in unknown:
            close = difflib.get_close_matches(norm(key_text), list(missing), n=1, cutoff=0.8)
            fld = missing.get(close[0]) if close else None
            if fld is None or fld.name in refused:
                self.warn(SETTINGS, r, key_col, f"setting '{key_text}' is not known and was "
                          "not read")
                continue
            refused.add(fld.name)
            self.problem(SETTINGS, r, key_col, key_text,
                         f"setting '{key_text}' is not one this program knows; did you mean "
                         f"'{fld.title}'? Correct the name", SETTINGS_HEADERS[0])
        return refused

    def _read_materials(self) -> list[dict[str, Any]]:
        table = self.table(MATERIALS, MATERIAL_FIELDS)
        if table is None:
            return []
        rows = self.named_rows(table, MATERIAL_FIELDS, "materials")
        if not rows and self.raw.sheet(MATERIALS) is not None:
            self.problem(MATERIALS, None, None, None,
                         "there are no materials; at least one is needed")
        self.locate("materials", MATERIALS, None, None)
        return [values for _, values in rows]

    def _read_projects(self, materials: list[str]) -> list[dict[str, Any]]:
        table = self.table(PROJECTS, PROJECT_FIELDS)
        if table is None:
            return []
        out = []
        for r, values in self.named_rows(table, PROJECT_FIELDS, "projects"):
            self.material_ref(table, r, values["material"], materials)
            if values["kind"] is not BAD:
                values["kind"] = ProjectKind(values["kind"])
            out.append(values)
        return out

    def _read_scenarios(self, materials: list[str]) -> list[dict[str, Any]]:
        table = self.table(SCENARIOS, SCENARIO_FIELDS, dynamic_prefix=DEPTH_PREFIX)
        if table is None:
            return []
        depth_cols = self._depth_columns(table, materials)
        rows = self.named_rows(table, SCENARIO_FIELDS, "scenarios")
        out = []
        probabilities = []
        for r, values in rows:
            path = f"scenarios/{values['name']}" if values["name"] is not BAD else ""
            depths = self._depths(table, r, depth_cols, DEPTH_FIELD, path, materials)
            for key in ("earliest_start_month", "latest_start_month"):
                v = values.get(key)
                if isinstance(v, float) and v.is_integer():
                    values[key] = int(v)  # a whole month; a fraction is the model's problem
            values["depth_by_material"] = depths
            probabilities.append(values["probability"])
            out.append(values)
        if not rows and self.raw.sheet(SCENARIOS) is not None:
            self.problem(SCENARIOS, None, None, None,
                         "there are no scenarios; at least one is needed")
        col = table.columns.get("probability")
        if rows and col is not None and all(p is not BAD for p in probabilities):
            total = math.fsum(probabilities)
            if abs(total - 1.0) > PROBABILITY_TOLERANCE:
                first, last = rows[0][0], rows[-1][0]
                cells = f"{cell_name(first, col)}:{cell_name(last, col)}"
                self.problems.append(WorkbookProblem(
                    SCENARIOS, cells, round(total, 9),
                    f"the scenario probabilities add up to {show(round(total, 9))}; they "
                    "must add up to 1", first, table.headers.get(col)))
            self.locate("scenarios/probability", SCENARIOS, rows[0][0], col)
        self.locate("scenarios", SCENARIOS, None, None)
        return out

    def _depth_columns(self, table: SheetTable, materials: list[str]
                       ) -> list[tuple[int, str]]:
        """The ``Depth: <material>`` columns of a Scenarios or Episodes table: (column,
        material) for each material on the Materials sheet; a used column for another
        material, or a second column for one, is a problem."""
        sheet = table.sheet.name
        depth_cols: list[tuple[int, str]] = []
        seen_mat: dict[str, int] = {}
        for c, text in table.dynamic.items():
            raw_name = text.split(":", 1)[1].strip() if ":" in text else \
                text[len("depth"):].strip()
            name = raw_name if raw_name in materials else next(
                (m for m in materials if m.casefold() == raw_name.casefold()), None)
            used = any(not is_blank(table.sheet.cell(r, c).value) for r in table.rows)
            if name is None:
                if used:
                    self.problem(sheet, table.header_row, c, text,
                                 f"column '{text}' is for material {show(raw_name)}, which is "
                                 f"not on the {MATERIALS} sheet{did_you_mean(raw_name, materials)}"
                                 "; delete the column or add the material", text)
                else:
                    self.warn(sheet, table.header_row, c, f"column '{text}' is for a "
                              "material not on the Materials sheet; it is empty and was ignored")
                continue
            if name in seen_mat:
                self.problem(sheet, table.header_row, c, text,
                             f"there are two depth columns for {show(name)} (also "
                             f"{cell_name(table.header_row, seen_mat[name])})", text)
                continue
            seen_mat[name] = c
            depth_cols.append((c, name))
        return depth_cols

    def _depths(self, table: SheetTable, r: int, depth_cols: list[tuple[int, str]],
                fld: Field, path: str, materials: list[str]) -> tuple[tuple[str, float], ...]:
        """The depths of row ``r`` (blank cells left out), in Materials order; each cell
        located at ``path/depth/<material>`` when ``path`` is given."""
        depths = []
        for c, mat in depth_cols:
            raw = table.sheet.cell(r, c)
            if is_blank(raw.value) and raw.formula is None:
                continue
            v = self.value(table.sheet.name, r, c, fld, raw, table.headers[c])
            if path:
                self.locate(f"{path}/depth/{mat}", table.sheet.name, r, c, table.headers[c])
            if v is not BAD:
                depths.append((mat, v))
        order = {m: i for i, m in enumerate(materials)}  # Materials order, not columns
        return tuple(sorted(depths, key=lambda d: order[d[0]]))

    def _read_episodes(self, scenarios: list[dict[str, Any]], materials: list[str]) -> None:
        """The optional Episodes sheet: each scenario's later episodes, numbered 2, 3, ...
        in ``scenarios[i]["later_episodes"]``. A workbook without the sheet (written before
        episodes existed) gives every scenario one episode. A row naming an unknown
        scenario, or a repeated or missing episode number, is a problem of its own cell."""
        if self.raw.sheet(SCENARIOS) is None:
            return  # no Scenarios sheet is a problem of its own; its episodes cannot be placed
        table = self.table(EPISODES, EPISODE_FIELDS, dynamic_prefix=DEPTH_PREFIX,
                           required=False)
        if table is None:
            return
        depth_cols = self._depth_columns(table, materials)
        by_name: dict[str, dict[str, Any]] = {}
        for s in scenarios:
            if s["name"] is not BAD:
                by_name.setdefault(s["name"], s)
        name_col, number_col = table.columns.get("scenario"), table.columns.get("episode")
        found: dict[str, list[tuple[int, Any, dict[str, Any]]]] = {}
        for r in table.rows:
            head = self.row_values(table, r, EPISODE_FIELDS[:2], "")
            name, number = head["scenario"], head["episode"]
            if name is not BAD and name not in by_name:
                self.problem(EPISODES, r, name_col, name,
                             f"scenario {show(name)} is not on the {SCENARIOS} sheet"
                             f"{did_you_mean(str(name), list(by_name))}; an episode belongs "
                             "to a scenario there", table.headers.get(name_col or 0))
                name = BAD
            path = f"scenarios/{name}/episode {number}" if BAD not in (name, number) else ""
            values = self.row_values(table, r, EPISODE_FIELDS[2:], path)
            values["depth_by_material"] = self._depths(table, r, depth_cols,
                                                       EPISODE_DEPTH_FIELD, path, materials)
            if name is not BAD:
                found.setdefault(name, []).append((r, number, values))
        for name, items in found.items():
            self._attach_episodes(table, name, items, by_name[name], number_col)

    def _attach_episodes(self, table: SheetTable, name: str,
                         items: list[tuple[int, Any, dict[str, Any]]],
                         scenario: dict[str, Any], number_col: int | None) -> None:
        """Scenario ``name``'s rows, checked to be numbered 2, 3, ... once each (in any
        row order), become its ``later_episodes``."""
        header = table.headers.get(number_col or 0)
        seen: dict[int, int] = {}
        ok = True
        for r, number, values in items:
            if number is BAD or any(v is BAD for v in values.values()):
                ok = False
            elif number in seen:
                self.problem(EPISODES, r, number_col, number,
                             f"episode {number} of scenario {show(name)} appears twice (also "
                             f"in row {seen[number]})", header)
                ok = False
            else:
                seen[number] = r
        expected = 2
        for number in sorted(seen):
            if number != expected:
                self.problem(EPISODES, seen[number], number_col, number,
                             f"scenario {show(name)} has episode {number} but no episode "
                             f"{expected}; number its episodes 2, 3, ... with none missing",
                             header)
                ok = False
                break
            expected += 1
        if ok:
            ordered = sorted(items, key=lambda item: item[1])
            scenario["later_episodes"] = tuple(LaterEpisode(**values)
                                               for _, _, values in ordered)

    def _read_series(self, materials: list[str], start_year: object
                     ) -> dict[str, tuple[tuple[float, ...], ...]]:
        out: dict[str, tuple[tuple[float, ...], ...]] = {}
        table = self.table(SERIES, SERIES_FIELDS, extra_known=(SERIES_DEMAND.header,
                                                               SERIES_DEMAND.title))
        if table is None:
            return out
        by_material: dict[str, list[tuple[int, int]]] = {}
        if "material" not in table.columns or "year" not in table.columns:
            return out
        for r in table.rows:
            v = self.row_values(table, r, SERIES_FIELDS[:2], "")
            if v["material"] is BAD or v["year"] is BAD:
                continue
            if not self.material_ref(table, r, v["material"], materials):
                continue
            by_material.setdefault(v["material"], []).append((v["year"], r))
        demand_col = next((c for c, t in table.headers.items()
                           if norm(t) in (norm(SERIES_DEMAND.header), norm(SERIES_DEMAND.title))),
                          None)
        for mat in materials:
            rows = sorted(by_material.get(mat, []))
            if not rows:
                self.problem(SERIES, None, None, mat,
                             f"there are no rows for material {show(mat)}; each material "
                             "needs its domestic and allied supply for at least the first "
                             "plan year")
                continue
            ok = True
            for (y0, r0), (y1, r1) in zip(rows, rows[1:], strict=False):
                col = table.columns.get("year")
                if y1 == y0:
                    self.problem(SERIES, r1, col, y1, f"year {y1} appears twice for "
                                 f"{show(mat)} (also in row {r0})", table.headers.get(col or 0))
                    ok = False
                elif y1 != y0 + 1:
                    self.problem(SERIES, r1, col, y1, f"year {y1} follows {y0} for "
                                 f"{show(mat)}; the years of a material must follow one "
                                 "another", table.headers.get(col or 0))
                    ok = False
            if not ok:
                continue
            if isinstance(start_year, int) and rows[0][0] != start_year:
                self.warn(SERIES, rows[0][1], table.columns.get("year"),
                          f"the supply of {show(mat)} starts in {rows[0][0]} and the plan in "
                          f"{start_year}; its first row is read as the first plan year")
            series = []
            for name in ("domestic_supply_t_per_yr", "allied_supply_t_per_yr"):
                series.append(self._one_series(table, mat, name, [r for _, r in rows]))
            out[mat] = (series[0], series[1])
            if demand_col is not None:
                self._check_demand(table, demand_col, [r for _, r in rows])
        self.series_first_rows = {m: min(rs)[1] for m, rs in by_material.items()}
        return out

    def _one_series(self, table: SheetTable, mat: str, name: str, rows: list[int]
                    ) -> tuple[float, ...]:
        fld = next(f for f in SERIES_FIELDS if f.name == name)
        col = table.columns.get(name)
        if col is None:
            return ()
        header = table.headers.get(col)
        path = f"materials/{mat}/{name}"
        self.locate(path, SERIES, rows[0], col, header)
        last = max((i for i, r in enumerate(rows) if not is_blank(table.sheet.cell(r, col).value)
                    or table.sheet.cell(r, col).formula), default=-1)
        if last < 0:
            self.problem(SERIES, rows[0], col, None, f"{fld.label} of {show(mat)} is empty; "
                         f"expected a number in {fld.unit} for at least the first year", header)
            return ()
        values = []
        for i, r in enumerate(rows[:last + 1]):
            raw = table.sheet.cell(r, col)
            self.locate(f"{path}[{i}]", SERIES, r, col, header)
            if is_blank(raw.value) and raw.formula is None:
                self.problem(SERIES, r, col, None, f"{fld.label} is empty, but a later year of "
                             f"{show(mat)} has a value; expected a number in {fld.unit}", header)
                continue
            v = self.value(SERIES, r, col, fld, raw, header)
            if v is not BAD:
                values.append(v)
        return tuple(values)

    def _check_demand(self, table: SheetTable, col: int, rows: list[int]) -> None:
        """The demand column holds formulas computed from Materials; it is never read."""
        for r in rows:
            raw = table.sheet.cell(r, col)
            if raw.formula is None and not is_blank(raw.value):
                self.warn(SERIES, r, col, f"demand is computed from the {MATERIALS} sheet "
                          f"(demand and growth) and is not read; the value {show(raw.value)} "
                          "typed here was ignored")

    def _read_floors(self, materials: list[str]) -> tuple[tuple[str, tuple[float, ...]], ...]:
        if self.raw.sheet(FLOORS) is None:
            return ()
        table = self.table(FLOORS, FLOOR_FIELDS, required=False)
        if table is None:
            return ()
        levels: dict[str, list[float]] = {}
        for r in table.rows:
            v = self.row_values(table, r, FLOOR_FIELDS, "")
            if v["material"] is BAD or not self.material_ref(table, r, v["material"],
                                                             materials):
                continue
            self.locate(f"policy/floor_candidates/{v['material']}", FLOORS, r,
                        table.columns.get("level"))
            entry = levels.setdefault(v["material"], [])
            if v["level"] is not BAD:
                entry.append(v["level"])
        return tuple((m, tuple(ls)) for m, ls in levels.items())

    def _read_contracted_floors(self, materials: list[str]) -> list[dict[str, Any]]:
        """The optional Contracted floors sheet (absent in older workbooks: none)."""
        table = self.table(CONTRACTED_FLOORS, CONTRACTED_FLOOR_FIELDS, required=False)
        if table is None:
            return []
        out = []
        for r, values in self.named_rows(table, CONTRACTED_FLOOR_FIELDS, "contracted_floors"):
            self.material_ref(table, r, values["material"], materials)
            out.append(values)
        return out

    def _read_sources(self) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        if self.raw.sheet(SOURCES) is None:
            self.warn(SOURCES, None, None, "the sheet is missing; the values are read without "
                      "their sources")
            return sources
        table = self.table(SOURCES, SOURCE_FIELDS, extra_known=(SOURCE_CELL_COLUMN,),
                           required=False)
        if table is None:
            return sources
        seen: dict[str, int] = {}
        for r in table.rows:
            v = self.row_values(table, r, SOURCE_FIELDS, "")
            if any(x is BAD for x in v.values()):
                continue
            path = v["path"]
            if path in seen:
                col = table.columns.get("path")
                self.problem(SOURCES, r, col, path, f"path {show(path)} appears twice (also "
                             f"in row {seen[path]})", table.headers.get(col or 0))
                continue
            seen[path] = r
            sources[path] = Source(SourceKind(v["kind"]), v["reference"], v["detail"])
        return sources


def _count(items: tuple[int, ...], noun: str) -> str:
    return f"{len(items)} {noun}s are" if len(items) > 1 else f"1 {noun} is"


def _listing(items: list[str], most: int = 8) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most:,} more" if len(items) > most else "")

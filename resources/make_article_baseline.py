"""Write ``article_baseline.json``, the built-in scenario, from sourced figures.

Every number below carries its source: the article (``shared/reference/000_...txt``), a
public figure (``shared/reference/public-figures.md``, section given as §n), a value derived
from those by the rule stated, or an assumption with its one-line rationale. Derived series
are computed here, so the rule and the number cannot drift apart; a test checks that the
committed JSON equals what this script writes.

Run: ``python resources/make_article_baseline.py``
"""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "article_baseline.json"

ARTICLE = "Article: 'The U.S. Struggles to Break Out from China's Grip on Rare Earths'"
USGS = "USGS Mineral Commodity Summaries 2025, Rare Earths (public figures §1)"
SMM_JAN = "SMM, China oxide prices Jan 2025 (public figures §2)"
SMM_DEC = "SMM, China NdPr oxide Dec 2025 (public figures §2)"
ADAMAS = "Adamas Intelligence (public figures §2, §4)"
DOD_MP = "DoD-MP Materials agreements, July 2025 (public figures §3)"
TRADE = "Trade press, China magnet exports to the US (public figures §4)"
MOFCOM = "MOFCOM announcements and effects, 2025 (public figures §5)"
ARGUS = "Argus via gmteight, Europe prices April-May 2025 (public figures §2)"
SPIKE = "mining.com, 2010-11 export restrictions and price spikes (public figures §2)"
BUDGET = "2025 budget law, $2B for the stockpile through 2027 (public figures §6)"
ILUKA = "Iluka Eneabba refinery, company figures (public figures §7)"

PLAN_START_YEAR = 2027
HORIZON_YEARS = 10
GROWTH = 0.087  # Adamas global NdFeB demand growth 2024-40
YEARS_2024_TO_START = PLAN_START_YEAR - 2024

sources: dict[str, dict[str, str]] = {}


def src(path: str, kind: str, reference: str, detail: str) -> None:
    sources[path] = {"kind": kind, "reference": reference, "detail": detail}


def log_volatility(prices: list[float]) -> float:
    """Sample standard deviation of yearly log price changes [-]."""
    changes = [math.log(b / a) for a, b in zip(prices, prices[1:], strict=False)]
    return round(statistics.stdev(changes), 3)


def grown(value_2024: float) -> float:
    return round(value_2024 * (1 + GROWTH) ** YEARS_2024_TO_START, 1)


def yearly_allied(demand_start: float, domestic: list[float], share: float) -> list[float]:
    """Allied imports as ``share`` of net imports, year by year [t/yr]."""
    out = []
    for y, dom in enumerate(domestic):
        demand = demand_start * (1 + GROWTH) ** y
        out.append(round(max(0.0, demand - dom) * share, 1))
    return out


STORAGE_HANDLING_USD_PER_T_YR = 100.0
INSURANCE_SHARE_PER_YR = 0.005
SHORTAGE_MULTIPLE = 10.0
PURCHASE_SHARE_OF_DEMAND = 0.25
RELEASE_SHARE_OF_DEMAND = 0.50
LGD = 0.45  # Basel II foundation-IRB loss given default, senior unsecured
# DoD's NdPr floor runs ten years from Q4 2025: October 2025 to September 2035.
FLOOR_LAST_MONTH = (2035 - PLAN_START_YEAR) * 12 + 8


def material(
    name: str,
    demand_2024: float,
    demand_src: tuple[str, str, str],
    domestic: list[float],
    domestic_src: tuple[str, str, str],
    allied_share: float,
    allied_src: tuple[str, str, str],
    china_share: float,
    china_src: tuple[str, str, str],
    allied_exposed: float,
    allied_exposed_src: tuple[str, str, str],
    price: float,
    price_src: tuple[str, str, str],
    volatility: float,
    volatility_src: tuple[str, str, str],
    shortage: tuple[float, tuple[str, str, str]] | None = None,
) -> dict:
    p = f"materials/{name}"
    demand = grown(demand_2024)
    monthly = demand / 12
    src(f"{p}/demand_t_per_yr", demand_src[0], demand_src[1],
        f"{demand_src[2]}; {demand_2024:,.0f} t in 2024 grown {GROWTH:.1%}/yr to "
        f"{PLAN_START_YEAR} (Adamas growth, public figures §4)")
    src(f"{p}/demand_growth_per_yr", "public figure", ADAMAS,
        "global NdFeB demand growth 8.7%/yr 2024-40, applied to all magnet materials")
    src(f"{p}/domestic_supply_t_per_yr", *domestic_src)
    src(f"{p}/allied_supply_t_per_yr", allied_src[0], allied_src[1],
        f"{allied_src[2]}; {allied_share:.0%} of net imports each year")
    src(f"{p}/china_exposed_share", *china_src)
    src(f"{p}/allied_exposed_share", *allied_exposed_src)
    src(f"{p}/price_usd_per_kg", *price_src)
    src(f"{p}/price_log_volatility", *volatility_src)
    storage = round(STORAGE_HANDLING_USD_PER_T_YR + INSURANCE_SHARE_PER_YR * price * 1000, 0)
    src(f"{p}/storage_cost_usd_per_t_yr", "assumption", "",
        f"${STORAGE_HANDLING_USD_PER_T_YR:.0f}/t/yr warehousing of drummed material plus "
        f"{INSURANCE_SHARE_PER_YR:.1%}/yr insurance on value (no public figure, §7)")
    if shortage is None:
        shortage = (round(SHORTAGE_MULTIPLE * price, 0), (
            "assumption", SPIKE,
            f"{SHORTAGE_MULTIPLE:.0f}x the normal price: in 2010-11 Dy buyers paid up to 26x "
            "rather than go without, so a missing kg costs users several times its price"))
    src(f"{p}/shortage_cost_usd_per_kg", *shortage[1])
    src(f"{p}/purchase_limit_t_per_month", "assumption", "",
        f"{PURCHASE_SHARE_OF_DEMAND:.0%} of first-year US monthly demand: buying more would "
        "move the thin market price")
    src(f"{p}/release_limit_t_per_month", "assumption", "",
        f"{RELEASE_SHARE_OF_DEMAND:.0%} of first-year US monthly demand: drawdown logistics "
        "(ORNL: release capacity matters as much as size, modeling anchors)")
    src(f"{p}/starting_stock_t", "assumption", "CRS R47833 (public figures §6)",
        "no usable stock: the National Defense Stockpile covers about 6% of base-case "
        "shortfalls and holds little separated material")
    return {
        "name": name,
        "demand_t_per_yr": demand,
        "demand_growth_per_yr": GROWTH,
        "domestic_supply_t_per_yr": domestic,
        "allied_supply_t_per_yr": yearly_allied(demand, domestic, allied_share),
        "china_exposed_share": china_share,
        "allied_exposed_share": allied_exposed,
        "price_usd_per_kg": price,
        "price_log_volatility": volatility,
        "storage_cost_usd_per_t_yr": storage,
        "shortage_cost_usd_per_kg": shortage[0],
        "purchase_limit_t_per_month": round(PURCHASE_SHARE_OF_DEMAND * monthly, 1),
        "release_limit_t_per_month": round(RELEASE_SHARE_OF_DEMAND * monthly, 1),
        "starting_stock_t": 0.0,
    }


def build() -> dict:
    flat = [1300.0] * HORIZON_YEARS
    ndpr = material(
        "NdPr oxide", 2000,
        ("assumption", USGS, "about 30% of the 6,600 t REO of compounds and metals the US "
         "consumed in 2024, NdPr's usual share of rare earth demand by volume"),
        flat,
        ("public figure", USGS, "US compounds and metals production 1,300 t REO in 2024, almost "
         "all MP Materials NdPr (1,294 t, §3); held flat, new capacity enters as projects. "
         "The article's '<10% of demand' counts magnets in goods; for oxide we take USGS"),
        0.30, ("derived", USGS, "non-China sources were 30% of US compound imports 2020-23"),
        0.90, ("article", ARTICLE, "China does 90% of global processing"),
        0.25, ("assumption", MOFCOM, "part of allied oxide uses Chinese feed or technology and "
               "falls under the 0.1%/technology rule (No. 61); no public measure"),
        84.0, ("public figure", SMM_DEC, "605k yuan/t, about $84/kg; the latest of the Jan 2025 "
               "$56, Jul 2025 $63 and Dec 2025 $84 figures"),
        log_volatility([49, 98, 134, 78, 56]),
        ("derived", USGS, "sample s.d. of yearly log changes of Nd oxide prices 2020-24 "
         "(49, 98, 134, 78, 56 $/kg)"),
    )
    dy = material(
        "Dy oxide", 100,
        ("assumption", "", "about 5% of NdPr demand by mass, the Dy content of high-temperature "
         "NdFeB grades relative to their NdPr"),
        [0.0] * HORIZON_YEARS,
        ("public figure", USGS, "no US heavy rare earth separation in 2024; MP's planned "
         "separation enters as a project"),
        0.10, ("assumption", "", "Lynas Malaysia is the only sizable non-China heavy separator"),
        0.99, ("assumption", ARTICLE, "China separates nearly all heavy rare earths, more than "
               "its 90% overall processing share"),
        0.25, ("assumption", MOFCOM, "as for NdPr: part of allied supply is caught by the 0.1% "
               "and technology rules"),
        225.0, ("public figure", SMM_JAN, "China Dy oxide about $225/kg, Jan 2025"),
        log_volatility([261, 410, 382, 330, 260]),
        ("derived", USGS, "sample s.d. of yearly log changes of Dy oxide prices 2020-24 "
         "(261, 410, 382, 330, 260 $/kg)"),
    )
    tb = material(
        "Tb oxide", 20,
        ("assumption", "", "about 1% of NdPr demand by mass, Tb's share in grain-boundary-"
         "diffused magnets"),
        [0.0] * HORIZON_YEARS,
        ("public figure", USGS, "no US heavy rare earth separation in 2024"),
        0.10, ("assumption", "", "as for Dy: little non-China heavy rare earth separation"),
        0.99, ("assumption", ARTICLE, "as for Dy: China separates nearly all heavy rare earths"),
        0.25, ("assumption", MOFCOM, "as for NdPr"),
        800.0, ("public figure", SMM_JAN, "China Tb oxide about $800/kg, Jan 2025"),
        log_volatility([670, 1346, 2051, 1298, 810]),
        ("derived", USGS, "sample s.d. of yearly log changes of Tb oxide prices 2020-24 "
         "(670, 1,346, 2,051, 1,298, 810 $/kg)"),
    )
    magnets = material(
        "NdFeB magnets", 5500,
        ("assumption", TRADE, "China's magnet exports to the US were regularly above 400 t a "
         "month in 2024 (about 5,000 t/yr), taken as 90% of direct US demand; magnets inside "
         "imported goods are not counted (USGS)"),
        [1000.0] * HORIZON_YEARS,
        ("public figure", DOD_MP, "MP Independence plant, about 1,000 t/yr NdFeB, ramping from "
         "late 2025 and taken at full rate from 2027"),
        0.10, ("assumption", USGS, "Japan's magnet makers; Japan was 6% of US compound imports"),
        0.90, ("assumption", ARTICLE, "China makes about 90% of NdFeB magnets, in line with its "
               "90% processing share"),
        0.50, ("assumption", MOFCOM, "Japanese and European magnet makers use Chinese-origin "
               "metal, so half their output falls under the 0.1% rule"),
        49.0, ("public figure", ADAMAS, "average Chinese NdFeB export value 2024 (58,152 t for "
               "$2.86B)"),
        0.35, ("assumption", "", "magnet prices follow NdPr with damping: about 60% of the NdPr "
               "oxide volatility"),
        shortage=(2500.0, ("assumption", "MP Materials via public figures §4",
                           "an EV drive motor holds about 2 kg of magnet; a vehicle not built "
                           "loses about $5,000 of margin and wages (Ford idled a plant for a "
                           "week in May 2025, §5), so a missing kg costs about $2,500")),
    )
    materials = [ndpr, dy, tb, magnets]

    projects = []

    def project(name, mat, kind, cap, cost, online, ramp, fail, equity, srcs, committed_by="",
                loan=0.0):
        p = f"projects/{name}"
        srcs = {
            "committed_by": (("public figure", DOD_MP, committed_by) if committed_by else
                             ("assumption", "", "no contract commits it: a new floor has to "
                              "make it bankable")),
            "government_loan_usd": (("public figure", DOD_MP, f"${loan / 1e6:,.0f}M DoD loan")
                                    if loan else ("assumption", "", "no public loan")),
            "loan_loss_given_default_share": (
                "assumption", "Basel II, International Convergence of Capital Measurement "
                "(2006), para. 287",
                f"{LGD:.0%}: the foundation-IRB loss given default of a senior unsecured "
                "claim; 25-75% spans secured project loans to subordinated ones"),
            **srcs,
        }
        for field_name, (k, r, d) in srcs.items():
            src(f"{p}/{field_name}", k, r, d)
        projects.append({
            "name": name, "material": mat, "kind": kind, "capacity_t_per_yr": cap,
            "unit_cost_usd_per_kg": cost, "earliest_online_month": online,
            "ramp_up_months": ramp, "failure_probability": fail,
            "government_equity_usd": equity, "committed_by": committed_by,
            "government_loan_usd": loan, "loan_loss_given_default_share": LGD,
        })

    project(
        "MP Mountain Pass NdPr expansion", "NdPr oxide", "domestic", 1700.0, 110.0, 12, 24, 0.10,
        0.0, {
            "capacity_t_per_yr": ("assumption", DOD_MP, "raises MP's NdPr from 1,294 t (2024) "
                                  "to about 3,000 t/yr, the NdPr in 10,000 t/yr of magnets"),
            "unit_cost_usd_per_kg": ("public figure", DOD_MP, "the DoD floor of $110/kg NdPr, "
                                     "taken as the price that makes the expansion bankable"),
            "earliest_online_month": ("assumption", ARTICLE, "2028: expansion at an operating "
                                      "site; permitting is the bottleneck"),
            "ramp_up_months": ("assumption", "", "two years to full rate"),
            "failure_probability": ("assumption", "", "operating mine, lower risk than greenfield"),
            "government_equity_usd": ("assumption", DOD_MP, "the DoD stake is counted on the 10X "
                                      "plant"),
        }, committed_by="")
    project(
        "Iluka Eneabba US offtake", "NdPr oxide", "allied", 1000.0, 95.0, 24, 24, 0.20, 0.0, {
            "capacity_t_per_yr": ("assumption", ILUKA, "a quarter of the NdPr from a 17,500 t/yr "
                                  "REO refinery, under the US-Australia partnership (article)"),
            "unit_cost_usd_per_kg": ("assumption", ILUKA, "A$1.7-1.8B capex for 17,500 t/yr REO "
                                     "puts the bankable NdPr price near $95/kg"),
            "earliest_online_month": ("assumption", ARTICLE, "2029: refinery under construction"),
            "ramp_up_months": ("assumption", "", "two years to full rate"),
            "failure_probability": ("assumption", ARTICLE, "new refinery; capital intensity risk"),
            "government_equity_usd": ("assumption", "", "no US equity"),
        })
    project(
        "MP 10X magnet plant", "NdFeB magnets", "domestic", 9000.0, 70.0, 18, 24, 0.15, 400e6, {
            "capacity_t_per_yr": ("public figure", DOD_MP, "takes MP's magnet capacity to about "
                                  "10,000 t/yr, of which 1,000 t/yr is Independence"),
            "unit_cost_usd_per_kg": ("assumption", ADAMAS, "about 40% above China's $49/kg export "
                                     "average, the usual Western cost premium"),
            "earliest_online_month": ("public figure", DOD_MP, "commissioning 2028 (mid-year "
                                      "taken)"),
            "ramp_up_months": ("assumption", "", "two years to full rate"),
            "failure_probability": ("assumption", ARTICLE, "first plant of its size in the US"),
            "government_equity_usd": ("public figure", DOD_MP, "DoD $400M for about 15% of MP "
                                      "(also in the article), counted on the plant it funds"),
        }, committed_by="DoD offtake (July 2025): DoD buys 100% of 10X output for ten years")
    project(
        "MP heavy rare earth separation (Dy)", "Dy oxide", "domestic", 40.0, 300.0, 18, 12, 0.25,
        0.0, {
            "capacity_t_per_yr": ("assumption", DOD_MP, "heavy separation funded by the $150M DoD "
                                  "loan; Dy at the level of US demand a third covered"),
            "unit_cost_usd_per_kg": ("assumption", SMM_JAN, "a third above China's $225/kg"),
            "earliest_online_month": ("assumption", "", "mid-2028"),
            "ramp_up_months": ("assumption", "", "one year to full rate"),
            "failure_probability": ("assumption", ARTICLE, "unproven process at this scale"),
            "government_equity_usd": ("assumption", DOD_MP, "no equity: DoD's $150M is a loan"),
        }, loan=150e6)
    project(
        "MP heavy rare earth separation (Tb)", "Tb oxide", "domestic", 8.0, 1050.0, 18, 12, 0.25,
        0.0, {
            "capacity_t_per_yr": ("assumption", "", "Tb from the same circuit, a fifth of its Dy"),
            "unit_cost_usd_per_kg": ("assumption", SMM_JAN, "about a third above China's "
                                     "$800/kg"),
            "earliest_online_month": ("assumption", "", "with the Dy circuit"),
            "ramp_up_months": ("assumption", "", "with the Dy circuit"),
            "failure_probability": ("assumption", "", "with the Dy circuit"),
            "government_equity_usd": ("assumption", "", "no equity; the loan is counted on the "
                                      "Dy circuit"),
        })
    project(
        "Lynas Texas heavy separation (Dy)", "Dy oxide", "allied", 60.0, 330.0, 36, 24, 0.50,
        0.0, {
            "capacity_t_per_yr": ("assumption", "", "planned heavy rare earth separation in "
                                  "Texas by an Australian producer"),
            "unit_cost_usd_per_kg": ("assumption", "", "greenfield plant, above MP's cost"),
            "earliest_online_month": ("assumption", ARTICLE, "2030: permitting is the major "
                                      "bottleneck"),
            "ramp_up_months": ("assumption", "", "two years to full rate"),
            "failure_probability": ("assumption", "", "reported as uncertain; a coin toss"),
            "government_equity_usd": ("assumption", "", "no US equity"),
        })

    names = [m["name"] for m in materials]
    scenarios = []

    def scenario(name, prob, start, dur, depth, allied, during, after, after_m, note, srcs):
        p = f"scenarios/{name}"
        srcs = {
            "hits_allied_supply": (
                ("public figure", MOFCOM, "the 0.1% content and technology rule (No. 61) "
                 "reaches allied supply") if allied else
                ("assumption", MOFCOM, "controls on Chinese exports only")),
            "after_months": ("assumption", "", f"prices take {after_m} months to settle"
                             if after_m else "prices settle at once"),
            **srcs,
        }
        for field_name, (k, r, d) in srcs.items():
            src(f"{p}/{field_name}", k, r, d)
        scenarios.append({
            "name": name, "probability": prob, "start_month": start, "duration_months": dur,
            "depth_by_material": {n: depth.get(n, 0.0) for n in names},
            "hits_allied_supply": allied, "price_multiplier_during": during,
            "price_multiplier_after": after, "after_months": after_m, "note": note,
        })

    scenario(
        "Licensing shock (April 2025 repeat)", 0.20, 6, 3,
        {"Dy oxide": 0.9, "Tb oxide": 0.9, "NdFeB magnets": 0.93}, False, 3.0, 1.5, 6,
        "Licences for heavy rare earths and magnets as in April-May 2025 (MOFCOM No. 18).", {
            "probability": ("assumption", MOFCOM, "it happened in 2025 and the April regime stays "
                            "in force (No. 70); one horizon in five sees a repeat"),
            "start_month": ("assumption", "", "mid-2027"),
            "duration_months": ("public figure", MOFCOM, "exports fell in May and recovered in "
                                "June 2025 (353 t to the US)"),
            "depth": ("public figure", MOFCOM, "US magnet imports fell 93% in May 2025; heavy "
                      "oxides taken at 90%; NdPr was not listed"),
            "price_multiplier_during": ("public figure", ARGUS, "Europe Dy oxide went from "
                                        "250-310 to 700-1,000 $/kg"),
            "price_multiplier_after": ("assumption", "", "prices ease over half a year"),
        })
    scenario(
        "October 2025 regime returns", 0.15, 0, 12,
        {"NdPr oxide": 0.3, "Dy oxide": 0.5, "Tb oxide": 0.5, "NdFeB magnets": 0.5}, True, 1.8,
        1.2, 6,
        "The suspended October 2025 rules (12 elements, 0.1% rule) return when the suspension "
        "lapses.", {
            "probability": ("assumption", ARTICLE, "experts doubt China will withdraw the "
                            "licensing system"),
            "start_month": ("public figure", MOFCOM, "suspension ran to 10 Nov 2026 (No. 70)"),
            "duration_months": ("assumption", "", "a year of licensing before a new truce"),
            "depth": ("assumption", MOFCOM, "licences slow rather than stop flows: half of heavy "
                      "and magnet, 30% of NdPr exposure lost; allied supply hit by No. 61"),
            "price_multiplier_during": ("assumption", "", "less than the April shock"),
            "price_multiplier_after": ("assumption", "", "prices ease over half a year"),
        })
    embargo_starts = (18, 54, 90)  # mid-2028, mid-2031, mid-2034
    for months, prob, during in ((6, 0.08, 4.0), (12, 0.05, 4.0), (24, 0.02, 4.0)):
        for start in embargo_starts:
            year = PLAN_START_YEAR + start // 12
            share = prob / len(embargo_starts)
            scenario(
                f"Full embargo, {months} months, from {year}", round(share, 10), start, months,
                {n: 1.0 for n in names}, True, during, 1.5, 12,
                f"China stops all rare earth exports to the US for {months} months from mid-"
                f"{year}, as it cut off Japan in 2010 and banned some minerals to the US in Dec "
                "2024 (article).", {
                    "probability": ("assumption", ARTICLE,
                                    f"{prob:.0%} over the horizon for a {months}-month embargo "
                                    "(full cut-offs happened to Japan in 2010 and the US in Dec "
                                    "2024; long ones are rarer), split evenly over three start "
                                    "dates"),
                    "start_month": ("assumption", "", "the risk is spread over the horizon: "
                                    "mid-2028, mid-2031 and mid-2034"),
                    "duration_months": ("assumption", "", "the 6, 12 and 24 months the brief "
                                        "asks for"),
                    "depth": ("assumption", ARTICLE, "all China-exposed supply, and allied "
                              "supply caught by the 0.1% and technology rules"),
                    "price_multiplier_during": ("assumption", SPIKE, "Dy rose 26x over 2.5 "
                                                "years in 2010-11; a sudden embargo with "
                                                "demand destruction taken at 4x"),
                    "price_multiplier_after": ("assumption", "", "elevated for a year"),
                })
    scenario(
        "Low-price flooding", 0.20, 0, 36, {}, False, 0.65, 1.0, 0,
        "Chinese volume floods the market and prices fall well below Western costs, when a floor "
        "pays out.", {
            "probability": ("assumption", ARTICLE, "flooding made allied projects uncompetitive "
                            "under the previous administration"),
            "start_month": ("assumption", "", "from the plan start"),
            "duration_months": ("assumption", "", "three years"),
            "depth": ("assumption", "", "no physical shortage"),
            "price_multiplier_during": ("derived", SMM_JAN, "NdPr at $56/kg in Jan 2025 against "
                                        "$84 in Dec 2025: 0.67, rounded to 0.65"),
            "price_multiplier_after": ("assumption", "", "back to normal"),
        })
    rest = round(1.0 - sum(s["probability"] for s in scenarios), 10)
    scenarios.insert(0, {
        "name": "No disruption", "probability": rest, "start_month": 0, "duration_months": 0,
        "depth_by_material": {n: 0.0 for n in names}, "hits_allied_supply": False,
        "price_multiplier_during": 1.0, "price_multiplier_after": 1.0, "after_months": 0,
        "note": "Supply and prices as today.",
    })
    src("scenarios/No disruption/probability", "derived", "",
        "one minus the probabilities of the disruption scenarios")

    policy = {
        "start_year": PLAN_START_YEAR,
        "horizon_months": 12 * HORIZON_YEARS,
        "annual_budget_usd": 167e6,
        "total_budget_usd": None,
        "tariff_share": 1.0,
        "tariff_price_passthrough": 0.5,
        "tariff_input_cost_share": 0.1,
        "min_cover_days": 0.0,
        "min_cover_by_month": 36,
        "risk_aversion": 0.2,
        "cvar_level": 0.9,
        "discount_rate_per_yr": 0.03,
        "salvage_share": 0.9,
        "floor_upside_share": 0.3,
        "floor_candidates_usd_per_kg": {},
    }
    for key, (k, r, d) in {
        "start_year": ("assumption", "", "the first full year after this plan is made"),
        "horizon_months": ("public figure", DOD_MP, "ten years, the term of the DoD NdPr floor"),
        "annual_budget_usd": ("derived", BUDGET, "$2B over 2025-27 is $667M/yr for all critical "
                              "minerals; a quarter assumed for rare earths"),
        "total_budget_usd": ("assumption", "", "no cap beyond the yearly one"),
        "tariff_share": ("article", ARTICLE, "the threatened additional 100% tariff"),
        "tariff_price_passthrough": ("assumption", "", "half of the tariff on China-exposed "
                                     "supply reaches the US price"),
        "tariff_input_cost_share": ("assumption", ARTICLE, "'tariff inflation': a tenth of a "
                                    "project's cost is tariffed equipment and reagents"),
        "min_cover_days": ("assumption", "", "none: the optimiser sizes the reserve; Japan's 60 "
                           "and the IEA's 90 days are shown beside it (§6)"),
        "min_cover_by_month": ("assumption", "", "three years to build a required cover"),
        "risk_aversion": ("assumption", "", "a moderate weight on the worst outcomes"),
        "cvar_level": ("assumption", "", "the worst 10% of outcomes"),
        "discount_rate_per_yr": ("assumption", "", "a real public discount rate of 3%"),
        "salvage_share": ("assumption", "", "selling a stockpile at the horizon depresses the "
                          "price by a tenth"),
        "floor_upside_share": ("public figure", DOD_MP, "30% of upside above the floor shared "
                               "with DoD (one secondary source, low confidence)"),
        "floor_candidates_usd_per_kg": ("assumption", "", "the tariff-inflated unit costs of "
                                        "each material's projects"),
    }.items():
        src(f"policy/{key}", k, r, d)

    contracted_floors = []

    def contracted(name, mat, project_name, covered, detail):
        p = f"contracted_floors/{name}"
        src(f"{p}/level_usd_per_kg", "public figure", DOD_MP, "$110/kg NdPr price floor")
        src(f"{p}/covered_t_per_yr", *detail)
        src(f"{p}/first_month", "public figure", DOD_MP, "in force from Q4 2025, before the "
            "plan starts")
        src(f"{p}/last_month", "public figure", DOD_MP, "ten years from Q4 2025: to September "
            "2035")
        src(f"{p}/upside_share", "public figure", DOD_MP, "30% of the upside above the floor "
            "shared with DoD (one secondary source, low confidence)")
        contracted_floors.append({
            "name": name, "material": mat, "project": project_name, "level_usd_per_kg": 110.0,
            "covered_t_per_yr": covered, "first_month": 0, "last_month": FLOOR_LAST_MONTH,
            "upside_share": 0.3,
            "contract": "DoD-MP Materials Price Protection Agreement (July 2025)",
        })

    contracted(
        "DoD NdPr floor: Mountain Pass output", "NdPr oxide", "", 1300.0,
        ("public figure", USGS, "MP's NdPr output in production, 1,300 t REO of compounds in "
         "2024 (USGS; MP reports 1,294 t NdPr): the floor covers all MP NdPr"))
    contracted(
        "DoD NdPr floor: Mountain Pass expansion", "NdPr oxide",
        "MP Mountain Pass NdPr expansion", 1700.0,
        ("assumption", DOD_MP, "the expansion's whole output; the floor covers all MP NdPr "
         "stockpiled or sold"))

    return {
        "schema_version": 1,
        "name": "Article baseline",
        "notes": "Built-in scenario from the article and public figures; see Sources.",
        "policy": policy,
        "materials": materials,
        "projects": projects,
        "scenarios": scenarios,
        "contracted_floors": contracted_floors,
        "sources": dict(sorted(sources.items())),
    }


def render() -> str:
    return json.dumps(build(), indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")

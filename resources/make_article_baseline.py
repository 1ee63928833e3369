"""Write ``article_baseline.json``, the built-in scenario, from sourced figures.

Every number below carries its source: the article (``shared/reference/000_...txt``), a
published document cited by its title and link, a value derived from those by the rule stated,
or an assumption with its one-line rationale and a low-high range. Derived series are computed
here, so the rule and the number cannot drift apart; a test checks that the committed JSON
equals what this script writes.

It also writes ``article_baseline_tariff_threat.json``: the same inputs with the threatened
(never imposed) additional 100% tariff, a named variant of the baseline.

Run: ``python resources/make_article_baseline.py``
"""

from __future__ import annotations

import copy
import json
import math
import statistics
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "article_baseline.json"
OUT_TARIFF_THREAT = HERE / "article_baseline_tariff_threat.json"

ARTICLE = ("Article: 'The U.S. Struggles to Break Out from China's Grip on Rare Earths' "
           "(October 2025)")
USGS = ("USGS Mineral Commodity Summaries 2025, Rare Earths, "
        "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-rare-earths.pdf")
SMM_JAN = ("SMM (Shanghai Metals Market) news, China rare earth oxide prices, January 2025, "
           "https://news.metal.com/newscontent/103133392/")
SMM_DEC = ("SMM (Shanghai Metals Market) news, China NdPr oxide price, December 2025, "
           "https://news.metal.com/newscontent/103700681/")
CHINA_VAT = ("Ministry of Finance, State Taxation Administration and General Administration "
             "of Customs of China, Announcement [2019] No. 39 on deepening VAT reform (13% from "
             "1 April 2019), "
             "http://english.gov.cn/policies/policy_watch/2019/03/22/content_281476573757920.htm")
ADAMAS_EXPORTS = ("Adamas Intelligence, Record rare earth magnet exports from China in 2024, "
                  "https://www.adamasintel.com/record-rare-earth-magnet-exports-from-china-in-"
                  "2024/")
ADAMAS_GROWTH = ("Adamas Intelligence, forecast of global NdFeB magnet demand 2024-2040 "
                 "(subscription report, no public link)")
DOD_MP = ("DoD-MP Materials Price Protection Agreement (July 2025), "
          "https://contracts.justia.com/companies/fortress-value-acquisition-corp-10229/"
          "contract/1332901; Project Blue, https://www.projectblue.com/blue/news-analysis/1257/; "
          "FAS, Unpacking the DoD and MP partnership, "
          "https://fas.org/publication/unpacking-dod-and-mp-partnership/")
MP_EV = "MP Materials, company figure (2022): about 2 kg of NdFeB magnet per EV traction motor"
TRADE = ("China customs data on magnet exports to the US as reported in the trade press: "
         "4,593 t in 2019 (Reuters via SME), regularly above 400 t a month in 2024")
MOFCOM_18 = ("MOFCOM Announcement No. 18 of 2025 (4 April 2025), via Holland & Knight, China "
             "Imposes Export Controls on Medium and Heavy Rare Earth Materials, "
             "https://hklaw.com/en/insights/publications/2025/04/china-imposes-export-controls-"
             "on-medium-and-heavy-rare-earth-materials")
MOFCOM_61 = ("MOFCOM Announcement No. 61 of 2025 (9 October 2025, the 0.1% content and "
             "technology rule), via ChemRadar, https://www.chemradar.com/en/news/detail/"
             "f1la2toi5p1c")
MOFCOM_70 = ("MOFCOM Announcement No. 70 of 2025 (7 November 2025: the October measures "
             "suspended to 10 November 2026, the April regime stays), via ChemRadar, "
             "https://www.chemradar.com/en/news/detail/f3s7t2oy9qf4")
#: China's record of export-control actions: three in 11 months (gallium, germanium and
#: antimony to the US, Dec 2024; heavy rare earths and magnets, Apr 2025; 12 elements and the
#: 0.1% rule, Oct 2025), so a disruption's month cannot be known in advance.
CONTROL_RECORD = ("three control actions in 11 months (No. 46 in Dec 2024, No. 18 in Apr "
                  "2025, Nos. 57 and 61 in Oct 2025): the next can come in any month, not on "
                  "a date that purchases could be timed around")
#: Start window of the licensing-shock repeat [months]: the first three plan years.
LICENSING_WINDOW = (0, 35)
#: Share of the licensing shock's 0.20 that escalates to a six-month cut-off two years
#: later (an assumption on the 2024-25 record of three widening control actions in 11
#: months; range 0-0.08).
ESCALATION_PROBABILITY = 0.03
MOFCOM_46 = ("MOFCOM Announcement No. 46 of 2024 (3 December 2024), via Reuters, 'China bans "
             "exports of gallium, germanium, antimony to US', "
             "https://www.brecorder.com/news/40335663/china-bans-exports-of-gallium-germanium-"
             "antimony-to-us")
EXPORTS_2025 = ("China customs magnet export data for May and June 2025, as reported by Reuters "
                "and the Wall Street Journal")
FORD = "Bloomberg, May 2025: Ford idled its Chicago Explorer plant for a week"
ARGUS = ("Argus Europe Dy and Tb oxide prices, April-May 2025, via GMTEight, "
         "https://gmteight.com/latest/detail/282683")
SPIKE = ("mining.com, Charts: rare earth export restrictions, price spikes and the risks of "
         "demand destruction, https://www.mining.com/featured-article/charts-rare-earth-export-"
         "restrictions-price-spikes-and-the-risks-of-demand-destruction/")
BUDGET = ("One Big Beautiful Bill Act, Public Law 119-21 (July 2025): $7.5B for critical "
          "minerals, of it $2B for the National Defense Stockpile through 2027, "
          "https://www.congress.gov/bill/119th-congress/house-bill/1")
VAULT = "GTR, Project Vault (February 2026), https://www.gtreview.com/?p=121242"
SECURE = ("SECURE Minerals Act, H.R. 7126 (January 2026), "
          "https://www.congress.gov/bill/119th-congress/house-bill/7126")
CRS = ("CRS R47833, Emergency Access to Strategic and Critical Materials: The National Defense "
       "Stockpile (November 2023), https://www.everycrsreport.com/reports/R47833.html")
TARIFFS_NOW = ("Mondaq, United States Begins Implementing US-China Trade Arrangement, Lowers "
               "Fentanyl-Related Tariffs And Delays Reciprocal Tariff Rate Hike (11 November "
               "2025), https://www.mondaq.com/unitedstates/export-controls-trade-investment-"
               "sanctions/1702762/united-states-begins-implementing-us-china-trade-arrangement-"
               "lowers-fentanyl-related-tariffs-and-delays-reciprocal-tariff-rate-hike; "
               "Policy Risk Report, Trade Alert: USTR Finalizes Tariff Increases on Chinese "
               "Imports from Strategic Sectors (Section 301, September 2024: permanent magnets "
               "from 0% to 25% in 2026), https://www.policyriskreport.com/p/biden-finalizes-"
               "tariff-increases; CNA, details of the Trump-Xi agreement reached in Busan "
               "(2 November 2025: the deal averts the threatened 100% tariff), "
               "https://www.channelnewsasia.com/east-asia/trump-xi-summit-busan-tariffs-export-"
               "controls-fentanyl-soybeans-5436071")
ILUKA = "Iluka Resources, Eneabba rare earths refinery, company figures"
LEE_DACASS = ("Lee and Dacass (2022), Reducing the United States' risks of dependency on China "
              "in the rare earth market, Resources Policy 77:102702, "
              "https://doi.org/10.1016/j.resourpol.2022.102702")
POTHEN = ("Pothen (2013), Dynamic Market Power in an Exhaustible Resource Industry. The Case "
          "of Rare Earth Elements, ZEW Discussion Paper 14-005, "
          "http://ftp.zew.de/pub/zew-docs/dp/dp14005.pdf")
BINNEMANS = ("Binnemans et al. (JOM) via mining.com, Why rare earth element production is "
             "always out of whack (minor constituents such as Dy and Tb: very high price "
             "inelasticity)")
MAGNET_MAKERS = ("Magnet makers' composition notes: FAQ 324, https://www.couragemagnet.com, "
                 "'Chemical composition of NdFeB', https://www.sensmagnetics.com, and "
                 "https://www.dowellmagnet.com (May 2025)")
ORNL = ("ORNL (Leiby and Bowman), Strategic Petroleum Reserve cost-benefit model: release "
        "capacity matters as much as size")
JOGMEC = "IEA policies database, policy 16639 (Japan, JOGMEC rare metal stockpiling)"

PLAN_START_YEAR = 2027
HORIZON_YEARS = 10
YEARS_2024_TO_START = PLAN_START_YEAR - 2024

# US demand growth [fraction/yr]. US figures: China's magnet exports to the US went from
# 4,593 t (2019) to about 5,000 t/yr (2024), 1.7%/yr; USGS US consumption of compounds and
# metals went 6,490 t (2020) to 6,600 t (2024), 0.4%/yr, through a 10,200 t peak. Adamas's
# 8.7%/yr is *global* NdFeB growth, the top of the range.
GROWTH = 0.02
GROWTH_LOW, GROWTH_HIGH = 0.0, 0.087
ADAMAS_GLOBAL_GROWTH = 0.087

CHINA_VAT_RATE = 0.13
# Europe oxide prices (Argus), [$/kg]: early April 2025 as the controls began, May 2025 at the
# deepest cut; midpoints of the quoted ranges.
EUROPE_APRIL = {"Dy oxide": (250.0, 310.0), "Tb oxide": (930.0, 1000.0)}
EUROPE_MAY = {"Dy oxide": (700.0, 1000.0), "Tb oxide": (2000.0, 4000.0)}
CHINA_JAN_2025 = {"Dy oxide": 225.0, "Tb oxide": 800.0}

# The April 2025 licensing episode, US magnet imports from China [t/month].
MAY_2025_CUT = 0.93       # May 2025, 46.4 t, -93% year on year
JUNE_2025_T = 353.0       # June 2025
MONTHLY_2024_T = 400.0    # "regularly above 400 t" a month in 2024
HEAVY_MAY_CUT = 0.90      # heavy oxides in May 2025: no export figure, assumed near magnets

# Short-run demand curves (docs/model.md, "Shortage damage"). No published short-run
# elasticity for rare earth oxides or magnets was found (Lee and Dacass 2022 and Pothen 2013
# show that price rises and welfare losses turn on it without giving one to reuse).
# Calibrated on the April-May 2025 licensing shock: Europe Dy went from 280 to 850 $/kg
# (Argus) while the baseline's licensing scenario cuts 45% of US Dy demand (its depth times
# the China-exposed share, averaged over the episode): e = -ln(1 - 0.45) / ln(850 / 280).
CALIBRATION_SHORTFALL = 0.45
CALIBRATION_PRICE_RATIO = 850.0 / 280.0
ELASTICITY = round(-math.log(1 - CALIBRATION_SHORTFALL) / math.log(CALIBRATION_PRICE_RATIO), 2)
ELASTICITY_LOW, ELASTICITY_HIGH = 0.2, 1.0
# Magnet choke price: the lost downstream production value of a missing kg of magnet.
MAGNET_CHOKE_USD_PER_KG = 2500.0
MAGNET_CHOKE_LOW, MAGNET_CHOKE_HIGH = 500.0, 5000.0
# Oxide content of sintered NdFeB by mass [0-1]: NdPr 29-32.5% (mid 31%), Dy 0.6-1.2% (mid
# 0.9%); Tb from the baseline's own ratio (Tb demand 1% of NdPr's, so 1% x 31%).
MAGNET_CONTENT = {"NdPr oxide": (0.31, 0.29, 0.325), "Dy oxide": (0.009, 0.006, 0.012),
                  "Tb oxide": (0.0031, 0.0029, 0.00325)}
# Spot market while a disruption lasts: non-Chinese material traders and consumers' stocks
# can sell, as importers bought Dy and Tb in Europe in April-May 2025 (Argus).
SPOT_SHARE_OF_DEMAND = 0.10
SPOT_LOW, SPOT_HIGH = 0.0, 0.25

LICENSED_SHARE = 0.25     # share of China-origin licensed material a US stockpile could buy
LICENSED_LOW, LICENSED_HIGH = 0.0, 0.5

sources: dict[str, dict[str, str]] = {}


def src(path: str, kind: str, reference: str, detail: str) -> None:
    sources[path] = {"kind": kind, "reference": reference, "detail": detail}


def log_changes(prices: list[float]) -> list[float]:
    """Yearly log price changes [-]."""
    return [math.log(b / a) for a, b in zip(prices, prices[1:], strict=False)]


def log_volatility(prices: list[float]) -> float:
    """Sample standard deviation of yearly log price changes [-]."""
    return round(statistics.stdev(log_changes(prices)), 3)


def volatility_source(label: str, prices: list[float], low: float, high: float,
                      wide: str) -> tuple[str, str, str]:
    changes = ", ".join(f"{c:+.2f}" for c in log_changes(prices))
    listed = ", ".join(f"{p:,.0f}" for p in prices)
    return ("assumption", USGS,
            f"assumption; range {low:.1f}-{high:.1f}. {log_volatility(prices)} is the sample s.d. "
            f"of the four yearly log changes ({changes}) of USGS {label} annual average prices "
            f"2020-24 ({listed} $/kg): the only multi-year series in the references, and too "
            f"short to be a measurement. Annual averages smooth the monthly swings the floor "
            f"pays on; {wide}")


def grown(value_2024: float) -> float:
    return round(value_2024 * (1 + GROWTH) ** YEARS_2024_TO_START, 1)


def mid(pair: tuple[float, float]) -> float:
    return (pair[0] + pair[1]) / 2


def ex_china_price(name: str) -> float:
    """Geometric mean of the early-April and May 2025 Europe midpoints [$/kg]."""
    return round(math.sqrt(mid(EUROPE_APRIL[name]) * mid(EUROPE_MAY[name])), 0)


def ex_china_source(name: str) -> tuple[str, str, str]:
    element = name.split()[0]
    a, m = EUROPE_APRIL[name], EUROPE_MAY[name]
    price = ex_china_price(name)
    china = CHINA_JAN_2025[name]
    return ("assumption", ARGUS,
            f"assumption; range {mid(a):,.0f}-{mid(m):,.0f} $/kg. A US buyer pays the ex-China "
            f"price, not China's domestic one (about ${china:,.0f}/kg in Jan 2025, SMM). Europe "
            f"{element} oxide was {a[0]:,.0f}-{a[1]:,.0f} $/kg in early April 2025 as the MOFCOM "
            f"No. 18 controls began and {m[0]:,.0f}-{m[1]:,.0f} $/kg in May 2025 at the deepest "
            f"cut. With the April regime still in force (No. 70) the plan-start price lies "
            f"between the pre-control and the peak price: the geometric mean of the midpoints, "
            f"sqrt({mid(a):,.0f} x {mid(m):,.0f}) = ${price:,.0f}/kg, {price / china:.1f}x "
            f"China's domestic price")


def episode_depth(may_cut: float) -> float:
    """Mean share lost over the two months of the 2025 episode (May cut, June shortfall)."""
    june_loss = (MONTHLY_2024_T - JUNE_2025_T) / MONTHLY_2024_T
    return round((may_cut + june_loss) / 2, 2)


def yearly_allied(demand_start: float, domestic: list[float], share: float) -> list[float]:
    """Allied imports as ``share`` of net imports, year by year [t/yr]."""
    out = []
    for y, dom in enumerate(domestic):
        demand = demand_start * (1 + GROWTH) ** y
        out.append(round(max(0.0, demand - dom) * share, 1))
    return out


STORAGE_HANDLING_USD_PER_T_YR = 100.0
INSURANCE_SHARE_PER_YR = 0.005
PURCHASE_SHARE_OF_DEMAND = 0.25
RELEASE_SHARE_OF_DEMAND = 0.50
# Budget [$]: the 2025 appropriation and the two later proposals.
STOCKPILE_APPROPRIATION_USD = 2e9     # National Defense Stockpile, 2025-27
RARE_EARTH_SHARE_OF_STOCKPILE = 0.25  # assumption: rare earths' share of stockpile money
SECURE_USD = 2.5e9                    # SECURE Minerals Act, Strategic Resilience Reserve
VAULT_USD = 12e9                      # Project Vault ($10B EXIM loan plus $1.67B private)
# Additional US tariff on Chinese imports in force (10% IEEPA fentanyl + 10% reciprocal) and
# the threatened one [fraction of value].
TARIFF_IN_FORCE = 0.20
TARIFF_THREAT = TARIFF_IN_FORCE + 1.0  # the threatened 100% comes on top of what is in force
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
    shortage: tuple[float, tuple[str, str, str]],
    licensed: bool,
) -> dict:
    """One material; ``licensed``: China-origin supply needs a MOFCOM No. 18 licence."""
    p = f"materials/{name}"
    demand = grown(demand_2024)
    monthly = demand / 12
    allied = yearly_allied(demand, domestic, allied_share)
    src(f"{p}/demand_t_per_yr", demand_src[0], demand_src[1],
        f"{demand_src[2]}; {demand_2024:,.0f} t in 2024 grown {GROWTH:.0%}/yr (the US growth "
        f"assumption) to {PLAN_START_YEAR}")
    src(f"{p}/demand_growth_per_yr", "assumption", TRADE + "; " + USGS + "; " + ADAMAS_GROWTH,
        f"assumption; range {GROWTH_LOW:.0%}-{GROWTH_HIGH:.1%}/yr. {GROWTH:.0%}/yr, taken from "
        "US figures: China's magnet exports to the US grew from 4,593 t (2019) to about "
        "5,000 t/yr (2024), 1.7%/yr, rounded up; USGS US consumption of compounds and metals "
        "went from 6,490 t (2020) to 6,600 t (2024), 0.4%/yr, and fell from 10,100 t in 2023, "
        "the low end. Adamas's 8.7%/yr is global NdFeB growth 2024-40, driven outside the US, "
        "and is the high end, not the US rate. Applied to all magnet materials")
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
        f"{INSURANCE_SHARE_PER_YR:.1%}/yr insurance on value (no public figure on storage "
        "costs was found)")
    src(f"{p}/shortage_cost_usd_per_kg", *shortage[1])
    src(f"{p}/demand_curve", "assumption", LEE_DACASS + "; " + POTHEN,
        "constant elasticity: the price of what is left rises as a power of the shortfall, "
        "steeply for an input with no short-run substitute, up to the choke price")
    src(f"{p}/demand_elasticity", "assumption", LEE_DACASS + "; " + POTHEN,
        f"assumption; range {ELASTICITY_LOW:g}-{ELASTICITY_HIGH:g}. No published short-run "
        "elasticity was found: Lee and Dacass (2022) show the price rise and welfare loss of "
        "a Chinese export restriction depend on it, Pothen (2013) finds heavy rare earth "
        "prices more than double and light ones +21% under restrictions, and "
        f"{BINNEMANS} (the low end). Calibrated on the "
        "April-May 2025 licensing shock: Europe Dy rose from 280 to 850 $/kg (Argus) while "
        f"the licensing scenario leaves {CALIBRATION_SHORTFALL:.0%} of US Dy demand unmet, so "
        f"e = -ln(1 - {CALIBRATION_SHORTFALL}) / ln(850 / 280) = {ELASTICITY:g}, taken for "
        "every material for want of separate figures. The 26x Dy rise of 2010-11 would need "
        "an 80% shortfall at this elasticity; it included hoarding over 2.5 years, and a "
        "1.0 elasticity is the high end")
    spot = round(SPOT_SHARE_OF_DEMAND * monthly, 2)
    src(f"{p}/spot_limit_t_per_month", "assumption", ARGUS,
        f"assumption; range {SPOT_LOW * monthly:,.2f}-{SPOT_HIGH * monthly:,.2f} t/month "
        f"({SPOT_LOW:.0%}-{SPOT_HIGH:.0%} of first-year monthly demand). In April-May 2025 "
        "importers bought Dy and Tb in Europe at three to four times China's price; the "
        "volume is not published. "
        f"{SPOT_SHARE_OF_DEMAND:.0%} of first-year monthly demand ({monthly:,.1f} t) is "
        "taken as what non-Chinese traders' and users' stocks can sell in a month")
    src(f"{p}/spot_china_licensed", "assumption", MOFCOM_18 + "; " + MOFCOM_46,
        "no: a disruption is China refusing licences, and No. 46 of 2024 already bars dual-use "
        "exports to US military users, so no China-origin material is bought on the spot "
        "market while it lasts")
    market_limit = PURCHASE_SHARE_OF_DEMAND * monthly
    if licensed:
        china_origin = china_share * max(0.0, demand - domestic[0] - allied[0]) / demand
        non_china = 1.0 - china_origin

        def limit_at(share: float) -> float:
            return market_limit * (non_china + share * china_origin)

        purchase = round(limit_at(LICENSED_SHARE), 2)
        src(f"{p}/purchase_limit_t_per_month", "assumption", MOFCOM_18 + "; " + MOFCOM_70,
            f"assumption; range {limit_at(LICENSED_LOW):,.2f}-{limit_at(LICENSED_HIGH):,.2f} "
            f"t/month (licensed share {LICENSED_LOW:.0%}-{LICENSED_HIGH:.0%}). China-origin "
            f"{name.split()[0]} needs a MOFCOM No. 18 export licence, kept in force by No. 70, "
            "and a US government stockpile is a buyer China can refuse (No. 46 of 2024 already "
            "bars dual-use exports to US military users). So the reserve buys "
            f"{PURCHASE_SHARE_OF_DEMAND:.0%} of first-year monthly demand ({monthly:,.1f} t, the "
            f"market-depth rule) only of what it can reach: the non-China share of first-year "
            f"supply ({non_china:.1%}: domestic, allied and non-exposed imports) plus "
            f"{LICENSED_SHARE:.0%} licensed of the China-origin share ({china_origin:.1%}): "
            f"{market_limit:,.2f} x ({non_china:.3f} + {LICENSED_SHARE} x {china_origin:.3f}) "
            f"= {purchase:,.2f} t/month")
    else:
        purchase = round(market_limit, 2)
        src(f"{p}/purchase_limit_t_per_month", "assumption", "",
            f"assumption; range {0.15 * monthly:,.1f}-{0.35 * monthly:,.1f} t/month (15-35%). "
            f"{PURCHASE_SHARE_OF_DEMAND:.0%} of first-year US monthly demand: buying more would "
            f"move the thin market price. {name.split()[0]} is not listed in MOFCOM No. 18, so "
            "China-origin material needs no licence")
    src(f"{p}/release_limit_t_per_month", "assumption", ORNL,
        f"{RELEASE_SHARE_OF_DEMAND:.0%} of first-year US monthly demand: drawdown logistics")
    src(f"{p}/starting_stock_t", "assumption", CRS,
        "no usable stock: the National Defense Stockpile covers about 6% of base-case "
        "shortfalls and holds little separated material")
    return {
        "name": name,
        "demand_t_per_yr": demand,
        "demand_growth_per_yr": GROWTH,
        "domestic_supply_t_per_yr": domestic,
        "allied_supply_t_per_yr": allied,
        "china_exposed_share": china_share,
        "allied_exposed_share": allied_exposed,
        "price_usd_per_kg": price,
        "price_log_volatility": volatility,
        "storage_cost_usd_per_t_yr": storage,
        "shortage_cost_usd_per_kg": shortage[0],
        "purchase_limit_t_per_month": purchase,
        "release_limit_t_per_month": round(RELEASE_SHARE_OF_DEMAND * monthly, 1),
        "starting_stock_t": 0.0,
        "demand_curve": "constant elasticity",
        "demand_elasticity": ELASTICITY,
        "spot_limit_t_per_month": spot,
        "spot_china_licensed": False,
    }


def oxide_choke(name: str) -> tuple[float, tuple]:
    """The choke price of an oxide [$/kg]: the magnet value a missing kg idles."""
    content, low, high = MAGNET_CONTENT[name]
    value = round(MAGNET_CHOKE_USD_PER_KG / content, -1)
    tb_note = (" (no Tb content figure in the references: the baseline's Tb demand is 1% of "
               "NdPr's, so 1% of the NdPr content)" if name == "Tb oxide" else "")
    return value, (
        "derived", MAGNET_MAKERS + "; " + MP_EV + "; " + FORD,
        f"choke price; range {MAGNET_CHOKE_LOW / high:,.0f}-{MAGNET_CHOKE_HIGH / low:,.0f} "
        f"$/kg (the magnet choke range over the content range). The value of a missing kg when "
        f"the downstream line idles: a kg of {name.split()[0]} goes into 1 / {content:g} = "
        f"{1 / content:,.1f} kg of sintered NdFeB ({content:.2%} of magnet mass{tb_note}), "
        f"each worth the magnets' ${MAGNET_CHOKE_USD_PER_KG:,.0f}/kg choke price: "
        f"{MAGNET_CHOKE_USD_PER_KG:,.0f} / {content:g} = ${value:,.0f}/kg. It is the top of the "
        "demand curve, reached only by deep shortfalls; below it the elasticity sets the "
        "price (formerly a flat 10x price with no empirical basis)")


def build() -> dict:
    flat = [1300.0] * HORIZON_YEARS
    ndpr_incl_vat = 84.0
    ndpr_price = round(ndpr_incl_vat / (1 + CHINA_VAT_RATE), 1)
    ndpr = material(
        "NdPr oxide", 2000,
        ("assumption", USGS, "assumption; range 1,300-3,100 t. USGS gives total US apparent "
         "consumption of rare earth compounds and metals only (6,600 t REO in 2024, an "
         "estimate; 6,490-10,200 t in 2020-24), with no split by element; NdPr is taken as "
         "about 30% of it (1,980 t, rounded to 2,000), a judgment of NdPr's share by volume, "
         "not a published figure. 20-30% of the 2020-24 range gives 1,300-3,100 t"),
        flat,
        ("public figure", USGS, "US compounds and metals production 1,300 t REO in 2024, almost "
         "all MP Materials NdPr (MP reports 1,294 t, DoD-MP sources); held flat, new capacity "
         "enters as projects. The article's '<10% of demand' counts magnets in goods; for oxide "
         "we take USGS"),
        0.30, ("derived", USGS, "non-China sources were 30% of US compound imports 2020-23"),
        0.90, ("article", ARTICLE, "China does 90% of global chemical processing, the stage that "
               "makes NdPr oxide"),
        0.25, ("assumption", MOFCOM_61, "part of allied oxide uses Chinese feed or technology and "
               "falls under the 0.1%/technology rule (No. 61); no public measure"),
        ndpr_price, ("derived", SMM_DEC + "; " + CHINA_VAT,
                     f"ex-VAT: SMM's 605,000 yuan/t (Dec 2025, about ${ndpr_incl_vat:.0f}/kg at "
                     "SMM's own 7.20 yuan/$) includes China's 13% VAT; 605,000 / 1.13 = "
                     f"535,400 yuan/t = ${ndpr_incl_vat:.0f} / 1.13 = ${ndpr_price}/kg. The "
                     "latest of the Jan 2025 ($56 incl. VAT, $49.6 ex-VAT), Jul 2025 ($63) and "
                     "Dec 2025 figures"),
        log_volatility([49, 98, 134, 78, 56]),
        volatility_source("Nd oxide", [49, 98, 134, 78, 56], 0.3, 0.7,
                          "the range runs from the smallest yearly move (0.31) to the largest "
                          "(0.69); SMM's NdPr rose ln(84/56) = 0.41 from Jan to Dec 2025"),
        oxide_choke("NdPr oxide"),
        licensed=False,
    )
    dy_price = ex_china_price("Dy oxide")
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
        0.25, ("assumption", MOFCOM_61, "as for NdPr: part of allied supply is caught by the "
               "0.1% and technology rules"),
        dy_price, ex_china_source("Dy oxide"),
        log_volatility([261, 410, 382, 330, 260]),
        volatility_source("Dy oxide", [261, 410, 382, 330, 260], 0.2, 1.1,
                          "the range runs from below the USGS figure to the ln(850/280) = 1.11 "
                          "that Europe Dy moved in one month in 2025"),
        oxide_choke("Dy oxide"),
        licensed=True,
    )
    tb_price = ex_china_price("Tb oxide")
    tb = material(
        "Tb oxide", 20,
        ("assumption", "", "about 1% of NdPr demand by mass, Tb's share in grain-boundary-"
         "diffused magnets"),
        [0.0] * HORIZON_YEARS,
        ("public figure", USGS, "no US heavy rare earth separation in 2024"),
        0.10, ("assumption", "", "as for Dy: little non-China heavy rare earth separation"),
        0.99, ("assumption", ARTICLE, "as for Dy: China separates nearly all heavy rare earths"),
        0.25, ("assumption", MOFCOM_61, "as for NdPr"),
        tb_price, ex_china_source("Tb oxide"),
        log_volatility([670, 1346, 2051, 1298, 810]),
        volatility_source("Tb oxide", [670, 1346, 2051, 1298, 810], 0.4, 1.1,
                          "the range runs from the smallest yearly move (0.42) to the "
                          "ln(3,000/965) = 1.13 that Europe Tb moved in one month in 2025"),
        oxide_choke("Tb oxide"),
        licensed=True,
    )
    magnets = material(
        "NdFeB magnets", 5500,
        ("assumption", TRADE, "China's magnet exports to the US were regularly above 400 t a "
         "month in 2024 (about 5,000 t/yr), taken as 90% of direct US demand (the China share "
         "below); magnets inside imported goods are not counted (USGS)"),
        [1000.0] * HORIZON_YEARS,
        ("public figure", DOD_MP, "MP Independence plant, about 1,000 t/yr NdFeB, ramping from "
         "late 2025 and taken at full rate from 2027"),
        0.10, ("assumption", USGS, "Japan's magnet makers; Japan was 6% of US compound imports"),
        0.90, ("assumption", "", "assumption; range 0.8-1.0. No magnet-production share was "
               "found in the references: the article's 90% is chemical processing, not magnet "
               "making, and is not used as a source here. 0.90 is a judgment that China's "
               "exports to the US (about 400 t a month in 2024) are nearly all of the US "
               "magnet imports not bought from allied makers"),
        0.50, ("assumption", MOFCOM_61, "Japanese and European magnet makers use Chinese-origin "
               "metal, so half their output falls under the 0.1% rule"),
        49.0, ("public figure", ADAMAS_EXPORTS, "average Chinese NdFeB export value 2024 "
               "(58,152 t for $2.86B)"),
        0.35, ("assumption", "", "assumption; range 0.2-0.6. Magnet prices follow NdPr with "
               "damping: about 60% of the NdPr oxide volatility; no magnet price series in the "
               "references"),
        (MAGNET_CHOKE_USD_PER_KG, (
            "assumption", MP_EV + "; " + FORD,
            f"choke price; assumption; range {MAGNET_CHOKE_LOW:,.0f}-{MAGNET_CHOKE_HIGH:,.0f} "
            "$/kg (10x-100x the $49/kg export value). The lost downstream production value of a "
            "missing kg when the line idles: an EV drive motor holds about 2 kg of magnet and a "
            "vehicle not built is taken to lose about $5,000 of margin and wages (Ford idled "
            "its Chicago plant for a week in May 2025), $5,000 / 2 kg = $2,500/kg. It is the "
            "top of the demand curve: the elasticity sets the price and damage of smaller "
            "shortfalls, where users draw stocks or switch grades. Neither the $5,000 nor the "
            "share of magnets without substitutes is measured")),
        licensed=True,
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
            "unit_cost_usd_per_kg": ("assumption", ADAMAS_EXPORTS, "about 40% above China's $49/kg "
                                     "export average, the usual Western cost premium"),
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

    def scenario(name, prob, start, dur, depth, allied, during, after, after_m, note, srcs,
                 window=None, later=()):
        p = f"scenarios/{name}"
        srcs = {
            "hits_allied_supply": (
                ("public figure", MOFCOM_61, "the 0.1% content and technology rule (No. 61) "
                 "reaches allied supply") if allied else
                ("assumption", MOFCOM_18, "controls on Chinese exports only")),
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
            **({"earliest_start_month": window[0], "latest_start_month": window[1]}
               if window else {}),
            **({"later_episodes": list(later)} if later else {}),
        })

    magnet_depth = episode_depth(MAY_2025_CUT)
    heavy_depth = episode_depth(HEAVY_MAY_CUT)
    june_loss = (MONTHLY_2024_T - JUNE_2025_T) / MONTHLY_2024_T
    peak = {n: mid(EUROPE_MAY[n]) / ex_china_price(n) for n in EUROPE_MAY}
    licensing_multiplier = round(sum(peak.values()) / len(peak), 2)
    licensing_depth = {"Dy oxide": heavy_depth, "Tb oxide": heavy_depth,
                       "NdFeB magnets": magnet_depth}
    licensing_note = ("Licences for heavy rare earths and magnets as in April-June 2025 "
                      "(MOFCOM No. 18): a deep cut for one month and a partial second month.")
    licensing_srcs = {
            "probability": ("assumption", MOFCOM_18 + "; " + MOFCOM_70, "it happened in 2025 and "
                            "the April regime stays in force (No. 70); one horizon in five "
                            "sees a repeat, "
                            f"{ESCALATION_PROBABILITY:.2f} of it the repeat that escalates to a "
                            "cut-off (its own scenario)"),
            "start_month": ("assumption", "", "mid-2027, an example inside the start window"),
            "earliest_start_month": ("derived", MOFCOM_46 + "; " + MOFCOM_18 + "; " + MOFCOM_61,
                                     CONTROL_RECORD + "; the window opens at the plan start"),
            "latest_start_month": ("assumption", MOFCOM_70, "the April regime stays in force "
                                   "(No. 70): a repeat is taken to come within the first "
                                   "three years (2027-2029), uniform over the window"),
            "duration_months": ("public figure", EXPORTS_2025,
                                "two months, as in 2025: US magnet imports from China fell 93% "
                                f"in May 2025 only, and June was {JUNE_2025_T:.0f} t, near "
                                f"2024's ~{MONTHLY_2024_T:.0f} t a month. Range 1-2 months (one "
                                "month at the May cut is the narrow reading); the former 3 "
                                "months at 93% overstated the episode"),
            "depth": ("derived", EXPORTS_2025,
                      f"depth averaged over the two-month episode. Magnets: May "
                      f"{MAY_2025_CUT:.0%} lost (46.4 t), June ({MONTHLY_2024_T:.0f} - "
                      f"{JUNE_2025_T:.0f}) / {MONTHLY_2024_T:.0f} = {june_loss:.2%} lost; "
                      f"({MAY_2025_CUT:.2f} + {june_loss:.4f}) / 2 = {magnet_depth:.2f}, which "
                      f"loses {2 * magnet_depth:.2f} month of supply against "
                      f"{MAY_2025_CUT + june_loss:.2f} in the record. Dy and Tb oxide: no export "
                      f"figures in the references; assumed {HEAVY_MAY_CUT:.0%} in May and the "
                      f"magnets' June recovery: ({HEAVY_MAY_CUT:.2f} + {june_loss:.4f}) / 2 = "
                      f"{heavy_depth:.2f} (assumption; range 0.3-0.9). NdPr was not listed"),
            "price_multiplier_during": ("derived", ARGUS,
                                        "the May 2025 Europe peak over the ex-China normal "
                                        "prices used here: Dy "
                                        f"{mid(EUROPE_MAY['Dy oxide']):,.0f} / "
                                        f"{ex_china_price('Dy oxide'):,.0f} = "
                                        f"{peak['Dy oxide']:.2f}, Tb "
                                        f"{mid(EUROPE_MAY['Tb oxide']):,.0f} / "
                                        f"{ex_china_price('Tb oxide'):,.0f} = "
                                        f"{peak['Tb oxide']:.2f}; mean {licensing_multiplier}. "
                                        "Range 1.2-3.0 (3.0 is the rise from the pre-control "
                                        "April price, 280 to 850 $/kg for Dy)"),
            "price_multiplier_after": ("assumption", "", "prices ease over half a year"),
        }
    scenario("Licensing shock (April 2025 repeat)", 0.20 - ESCALATION_PROBABILITY, 6, 2,
             licensing_depth, False, licensing_multiplier, 1.5, 6, licensing_note,
             licensing_srcs, window=LICENSING_WINDOW)
    scenario(
        "October 2025 regime returns", 0.15, 0, 12,
        {"NdPr oxide": 0.3, "Dy oxide": 0.5, "Tb oxide": 0.5, "NdFeB magnets": 0.5}, True, 1.8,
        1.2, 6,
        "The suspended October 2025 rules (12 elements, 0.1% rule) return when the suspension "
        "lapses.", {
            "probability": ("assumption", ARTICLE, "experts doubt China will withdraw the "
                            "licensing system"),
            "start_month": ("public figure", MOFCOM_70, "suspension runs to 10 Nov 2026 "
                            "(No. 70), before the plan start"),
            "duration_months": ("assumption", "", "a year of licensing before a new truce"),
            "depth": ("assumption", MOFCOM_61, "licences slow rather than stop flows: half of "
                      "heavy and magnet, 30% of NdPr exposure lost; allied supply hit by "
                      "No. 61"),
            "price_multiplier_during": ("assumption", "", "less than the April shock"),
            "price_multiplier_after": ("assumption", "", "prices ease over half a year"),
        })
    embargo_starts = (18, 54, 90)  # mid-2028, mid-2031, mid-2034: the stated examples
    embargo_windows = ((12, 47), (48, 83), (84, 12 * HORIZON_YEARS - 1))  # 2028-30, -33, -36
    for months, prob, during in ((6, 0.08, 4.0), (12, 0.05, 4.0), (24, 0.02, 4.0)):
        # Split over the start dates in thousandths, as a user would type them (0.027,
        # 0.027, 0.026 for 8%), so every probability is stored exactly as written.
        third = round(prob / len(embargo_starts), 3)
        shares = [third] * (len(embargo_starts) - 1)
        shares.append(round(prob - sum(shares), 3))
        for start, share, window in zip(embargo_starts, shares, embargo_windows, strict=True):
            year = PLAN_START_YEAR + start // 12
            scenario(
                f"Full embargo, {months} months, from {year}", share, start, months,
                {n: 1.0 for n in names}, True, during, 1.5, 12,
                f"China stops all rare earth exports to the US for {months} months from mid-"
                f"{year}, as it cut off rare earth exports to Japan in 2010 (article); in Dec "
                "2024 it banned exports of gallium, germanium and antimony, not rare earths, to "
                "the US (MOFCOM No. 46 of 2024).", {
                    "probability": ("assumption", ARTICLE + "; " + MOFCOM_46,
                                    f"{prob:.0%} over the horizon for a {months}-month embargo, "
                                    "split over three start dates (in thousandths, the "
                                    "last taking the rest). A full rare earth "
                                    "cut-off has one precedent, Japan in 2010; the Dec 2024 "
                                    "ban on gallium, germanium and antimony (not rare earths) "
                                    "shows China will ban exports to the US outright. Long "
                                    "embargoes are taken as rarer"),
                    "start_month": ("assumption", "", "the risk is spread over the horizon: "
                                    "mid-2028, mid-2031 and mid-2034 as examples inside "
                                    "the start windows"),
                    "earliest_start_month": ("assumption", MOFCOM_46,
                                             CONTROL_RECORD + "; the horizon from 2028 is cut "
                                             "into three windows of three years (the last to "
                                             "the horizon's end), one per start group, uniform"),
                    "latest_start_month": ("assumption", "", "the end of the group's "
                                           "three-year window"),
                    "duration_months": ("assumption", "", "the 6, 12 and 24 months the brief "
                                        "asks for"),
                    "depth": ("assumption", ARTICLE, "all China-exposed supply, and allied "
                              "supply caught by the 0.1% and technology rules"),
                    "price_multiplier_during": ("assumption", SPIKE, "Dy rose 26x over 2.5 "
                                                "years in 2010-11; a sudden embargo with "
                                                "demand destruction taken at 4x"),
                    "price_multiplier_after": ("assumption", "", "elevated for a year"),
                }, window=window)
    scenario(
        "Low-price flooding", 0.20, 0, 36, {}, False, 0.65, 1.0, 0,
        "Chinese volume floods the market and prices fall well below Western costs, when a floor "
        "pays out.", {
            "probability": ("assumption", ARTICLE, "flooding made allied projects uncompetitive "
                            "under the previous administration"),
            "start_month": ("assumption", "", "from the plan start"),
            "duration_months": ("assumption", "", "three years"),
            "depth": ("assumption", "", "no physical shortage"),
            "price_multiplier_during": ("derived", SMM_JAN + "; " + SMM_DEC,
                                        "NdPr at $56/kg in Jan 2025 against $84 in Dec 2025 "
                                        "(both incl. VAT, so the ratio holds ex-VAT): 0.67, "
                                        "rounded to 0.65"),
            "price_multiplier_after": ("assumption", "", "back to normal"),
        })
    scenario(
        "Licensing shock escalating to a six-month cut-off", ESCALATION_PROBABILITY, 6, 2,
        licensing_depth, False, licensing_multiplier, 1.5, 6,
        licensing_note + " Two years after it ends, a six-month full cut-off with the "
        "extraterritorial rules follows: the 2024-25 escalation (a ban on minor metals, then "
        "heavy rare earth licences, then the 0.1% content rule, within 11 months) carried on.",
        {**licensing_srcs,
         "probability": ("assumption", MOFCOM_46 + "; " + MOFCOM_18 + "; " + MOFCOM_61,
                         "three control actions in 11 months, each wider than the last (No. "
                         "46, No. 18, No. 61): about one repeat of the licensing shock in seven "
                         f"escalates to a cut-off within the horizon ({ESCALATION_PROBABILITY} "
                         "of the 0.20 the licensing shock had; range 0-0.08)"),
         "later_episodes": ("assumption", MOFCOM_46 + "; " + MOFCOM_18 + "; " + MOFCOM_61,
                            "the escalation goes on: a six-month full cut-off with the "
                            "extraterritorial rules two years after the shock ends, priced as "
                            "the baseline's six-month embargoes (4x during, 1.5x for 12 months "
                            "after); gap range 12-36 months, duration 3-12")},
        window=LICENSING_WINDOW,
        later=({"gap_months": 24, "duration_months": 6,
                "depth_by_material": {n: 1.0 for n in names}, "hits_allied_supply": True,
                "price_multiplier_during": 4.0, "price_multiplier_after": 1.5,
                "after_months": 12},))
    rest = round(1.0 - math.fsum(s["probability"] for s in scenarios), 12)  # 0.3, as typed
    scenarios.insert(0, {
        "name": "No disruption", "probability": rest, "start_month": 0, "duration_months": 0,
        "depth_by_material": {n: 0.0 for n in names}, "hits_allied_supply": False,
        "price_multiplier_during": 1.0, "price_multiplier_after": 1.0, "after_months": 0,
        "note": "Supply and prices as today.",
    })
    src("scenarios/No disruption/probability", "derived", "",
        "one minus the probabilities of the disruption scenarios")

    stockpile_per_yr = STOCKPILE_APPROPRIATION_USD / 3  # 2025, 2026, 2027
    budget = round(RARE_EARTH_SHARE_OF_STOCKPILE * stockpile_per_yr, -6)
    secure = RARE_EARTH_SHARE_OF_STOCKPILE * SECURE_USD / HORIZON_YEARS
    vault = RARE_EARTH_SHARE_OF_STOCKPILE * VAULT_USD / HORIZON_YEARS
    policy = {
        "start_year": PLAN_START_YEAR,
        "horizon_months": 12 * HORIZON_YEARS,
        "annual_budget_usd": budget,
        "total_budget_usd": None,
        "tariff_share": TARIFF_IN_FORCE,
        "tariff_price_passthrough": 0.5,
        "tariff_input_cost_share": 0.1,
        "min_cover_days": 0.0,
        "min_cover_by_month": 36,
        "risk_aversion": 0.2,
        "cvar_level": 0.9,
        "discount_rate_per_yr": 0.03,
        "salvage_share": 0.9,
        "floor_upside_share": 0.3,
        "price_half_life_yr": 2.0,
        "release_lag_months": 0,
        "start_step_months": 3,
        "floor_candidates_usd_per_kg": {},
    }
    for key, (k, r, d) in {
        "start_year": ("assumption", "", "the first full year after this plan is made"),
        "horizon_months": ("public figure", DOD_MP, "ten years, the term of the DoD NdPr floor"),
        "annual_budget_usd": (
            "assumption", BUDGET + "; " + SECURE + "; " + VAULT,
            f"assumption; range ${secure / 1e6:,.1f}M-${vault / 1e6:,.0f}M/yr. The engine has "
            f"one yearly budget; by year: 2025-27, ${STOCKPILE_APPROPRIATION_USD / 1e9:.0f}B is "
            f"appropriated to the National Defense Stockpile for all its minerals, available "
            f"through 2027: ${stockpile_per_yr / 1e6:,.0f}M/yr if spent evenly, of which "
            f"{RARE_EARTH_SHARE_OF_STOCKPILE:.0%} (an assumption) for rare earths, "
            f"${budget / 1e6:,.0f}M; 2027 is the only plan year it covers. 2028-36: nothing is "
            f"appropriated; the baseline assumes Congress keeps the 2025-27 rare earth rate, "
            f"${budget / 1e6:,.0f}M/yr. Range: the SECURE Minerals Act's "
            f"${SECURE_USD / 1e9:.1f}B Strategic Resilience Reserve (a bill, not law) over ten "
            f"years with the same rare earth share is ${secure / 1e6:,.1f}M/yr; Project Vault's "
            f"${VAULT_USD / 1e9:.0f}B (Feb 2026, $10B of it a 15-year EXIM loan, aiming at "
            f"about 60 days of supply) on the same terms is ${vault / 1e6:,.0f}M/yr. The law as "
            f"written gives $0 after 2027, below the range: the reserve would be bought in "
            f"{PLAN_START_YEAR} alone. ${budget / 1e6:,.0f}M lies inside the range and "
            f"continues the only appropriated rate"),
        "total_budget_usd": ("assumption", "", "no cap beyond the yearly one"),
        "tariff_share": (
            "assumption", TARIFFS_NOW,
            f"assumption; range 0-0.45. The references record only the threatened additional "
            f"100% tariff (article), which was never imposed: the Oct 2025 US-China truce "
            f"averted it (the 100% threat is the variant 'Article baseline, 100% tariff "
            f"threat'). In force since 10 Nov 2025 on Chinese imports: a 10% IEEPA fentanyl "
            f"tariff and the 10% reciprocal tariff, {TARIFF_IN_FORCE:.0%} in all, taken to the "
            f"plan start on the assumption that the truce (to 10 Nov 2026) is renewed. Range: 0 "
            f"if the IEEPA tariffs end or oxides are exempted; 0.45 for magnets, which also "
            f"carry the 25% Section 301 tariff from 1 Jan 2026"),
        "tariff_price_passthrough": ("assumption", "", "half of the tariff on China-exposed "
                                     "supply reaches the US price"),
        "tariff_input_cost_share": ("assumption", ARTICLE, "'tariff inflation': a tenth of a "
                                    "project's cost is tariffed equipment and reagents"),
        "min_cover_days": ("assumption", "", "none: the optimiser sizes the reserve; Japan's 60 "
                           "days (JOGMEC, IEA policy 16639) and the IEA's 90 days are shown "
                           "beside it"),
        "min_cover_by_month": ("assumption", "", "three years to build a required cover"),
        "risk_aversion": ("assumption", "", "a moderate weight on the worst outcomes"),
        "cvar_level": ("assumption", "", "the worst 10% of outcomes"),
        "discount_rate_per_yr": ("assumption", "", "a real public discount rate of 3%"),
        "salvage_share": ("assumption", "", "selling a stockpile at the horizon depresses the "
                          "price by a tenth"),
        "start_step_months": ("assumption", "",
                              "quarterly start-month variants of the start windows: the plan "
                              "cannot be timed to a date, and the solve stays in tens of ms; "
                              "1 (monthly) gives the same purchases to a quarter"),
        "release_lag_months": ("assumption", "",
                               "0: releases start the month a disruption begins; range 0-3 "
                               "months (a US oil reserve drawdown takes weeks to authorise, "
                               "and National Defense Stockpile disposals need Congress); the "
                               "CLI reports what a lag of 1-3 months costs"),
        "price_half_life_yr": ("assumption", "",
                               "2 years: the Nd, Dy and Tb price spikes of 2011 and 2021-22 in "
                               "the USGS series had largely unwound within about two years; "
                               "range 1-5 years (Cashin, Liang and McDermott, IMF Staff Papers "
                               "47(2), 2000, find many commodity price shocks last longer)"),
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
        "notes": "Built-in scenario from the article and the published figures it cites; see "
                 f"Sources. The tariff is the one in force at the plan start "
                 f"({TARIFF_IN_FORCE:.0%}); the threatened 100% is the variant 'Article "
                 "baseline, 100% tariff threat'.",
        "policy": policy,
        "materials": materials,
        "projects": projects,
        "scenarios": scenarios,
        "contracted_floors": contracted_floors,
        "sources": dict(sorted(sources.items())),
    }


def build_tariff_threat() -> dict:
    """The baseline with the threatened additional 100% tariff instead of the one in force."""
    data = copy.deepcopy(build())
    data["name"] = "Article baseline, 100% tariff threat"
    data["notes"] = (
        "The article baseline with the additional 100% tariff on Chinese imports that was "
        "threatened for 1 Nov 2025 and never imposed; every other input as in the baseline.")
    data["policy"]["tariff_share"] = TARIFF_THREAT
    data["sources"]["policy/tariff_share"] = {
        "kind": "article", "reference": ARTICLE,
        "detail": f"the threatened additional 100% tariff on Chinese imports ('if Beijing does "
                  f"not relent'), never imposed, on top of the {TARIFF_IN_FORCE:.0%} in force "
                  f"(source: {TARIFFS_NOW}): {TARIFF_THREAT:.0%} in all"}
    return data


def _dump(data: dict) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def render() -> str:
    """The baseline JSON text."""
    return _dump(build())


def render_tariff_threat() -> str:
    """The 100% tariff threat variant JSON text."""
    return _dump(build_tariff_threat())


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    OUT_TARIFF_THREAT.write_text(render_tariff_threat(), encoding="utf-8")
    print(f"wrote {OUT} and {OUT_TARIFF_THREAT}")

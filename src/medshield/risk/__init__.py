"""The risk register (R1, R2): L x S scoring, the paper's bands, Table 1 as the default register,
assessments and signal-driven proposals read from the ledger, a heat map and exports.

from medshield.risk import read_register, assess, band_of

risks = read_register(ledger)          # Table 1 plus every assessment in the ledger
assess(ledger, "office-01", "RK10", 3, 2, "流量告警增多")
"""

from medshield.risk.export import register_rows, to_csv, to_json
from medshield.risk.heatmap import heatmap_html, heatmap_svg
from medshield.risk.register import Risk, assess, default_register, history, read_register
from medshield.risk.scoring import Band, band_of, score
from medshield.risk.signals import Proposal, decide, evaluate, proposals, propose
from medshield.risk.table1 import TABLE_1, RiskPoint

__all__ = [
    "TABLE_1",
    "Band",
    "Proposal",
    "Risk",
    "RiskPoint",
    "assess",
    "band_of",
    "decide",
    "default_register",
    "evaluate",
    "heatmap_html",
    "heatmap_svg",
    "history",
    "proposals",
    "propose",
    "read_register",
    "register_rows",
    "score",
    "to_csv",
    "to_json",
]

"""The plugin as a whole: the manifest and targets check, every user-visible string has
a Chinese translation, and the report comes out in Chinese when asked."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from datacenter_siting.algorithms import Edge, Rank, Suitability
from datacenter_siting.criteria import DIRECTIONS, STANDARDISATIONS
from datacenter_siting.dock_tables import COLUMNS

from cimviewer.testing import check_plugin

PLUGIN_DIR = Path(__file__).resolve().parents[1]  # (not from conftest: its name is shared)
DATA = PLUGIN_DIR / "data"

TABLE_HEADERS = {"rank", "id", "name", "score", "excluded_by"} | {
    f"{kind}_{stat}" for kind in ("mc", "oat")
    for stat in ("same_rank_share", "top_share", "rank_min", "rank_max")}


def test_check_plugin():
    assert check_plugin(PLUGIN_DIR) == []


def visible_strings() -> set[str]:
    """Declared labels and every literal passed to t() / tr() / tr_() in the code."""
    keys: set[str] = set()
    for path in PLUGIN_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", "")
            if name in ("t", "tr", "tr_"):
                keys.add(node.args[0].value)
    for algorithm in (Rank(), Edge(), Suitability()):
        keys |= {algorithm.title, algorithm.description}
        for p in algorithm.parameters():
            keys |= {p.label, p.description, *getattr(p, "labels", {}).values()}
        for o in algorithm.outputs():
            keys |= {o.label, o.description}
    return (keys | set(COLUMNS) | set(DIRECTIONS) | set(STANDARDISATIONS)
            | TABLE_HEADERS) - {""}


def test_every_string_has_chinese():
    zh = json.loads((PLUGIN_DIR / "i18n" / "zh_CN.json").read_text(encoding="utf-8"))
    missing = sorted(visible_strings() - set(zh))
    assert missing == []
    assert all(value.strip() for value in zh.values())
    # placeholders survive translation
    for key, value in zh.items():
        for i in range(4):
            assert (f"{{{i}" in key) == (f"{{{i}" in value), key


def test_report_in_chinese(run_cli, tmp_path):
    proc = run_cli("rank", f"sites={DATA / 'national_sites.csv'}",
                   "criteria=pue_est:cost,price_cny_kwh:cost", "report_language=zh_CN",
                   f"pdf_report={tmp_path / 'r.pdf'}", "mc_runs=50", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = json.loads(proc.stdout)["outputs"]["report"]["text"]
    assert "数据中心选址排序" in text and "方法：加权线性组合（WLC）。" in text
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")

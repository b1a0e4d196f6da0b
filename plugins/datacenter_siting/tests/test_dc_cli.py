"""The headless contract scripts rely on: ``cimviewer run datacenter_siting.rank`` with
sites / criteria / method / weights / ahp_matrix, and its JSON, via the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SITES = "id,price,pue,latency,excluded\nA,0.35,1.20,20,0\nB,0.60,1.30,5,0\n" \
        "C,0.40,1.15,30,1\nD,0.45,1.25,12,0\n"


@pytest.fixture
def sites(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(SITES, encoding="utf-8")
    return path


def test_weights_wlc(run_cli, sites, tmp_path):
    # price, pue, latency (all cost) min-max over the four sites; weights 1,1,2 -> .25,.25,.5
    # A: price 1, pue (1.30-1.20)/.15 = 2/3, latency (30-20)/25 = .4 -> .25+.1667+.2 = .616667
    # B: 0, 0, 1 -> .5;  C: .8, 1, 0 -> .45;  D: .6, 1/3, .72 -> .15+.083333+.36 = .593333
    proc = run_cli("rank", f"sites={sites}", "criteria=price:cost,pue:cost,latency:cost",
                   "method=wlc", "weights=1,1,2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["weights"] == pytest.approx([0.25, 0.25, 0.5])
    assert out["consistency_ratio"] is None
    ranking = out["ranking"]
    assert [r["id"] for r in ranking] == ["A", "B", "C", "D"]  # site order
    assert set(ranking[0]) == {"id", "score", "rank"}
    assert [r["score"] for r in ranking] == pytest.approx([0.616667, 0.5, 0.45, 0.593333],
                                                          abs=1e-6)
    assert [r["rank"] for r in ranking] == [1, 3, 4, 2]


def test_constraint_excludes_and_ahp_matrix(run_cli, sites, tmp_path):
    matrix = tmp_path / "ahp.csv"
    # consistent: w = (4, 2, 1) / 7 -> CR 0
    matrix.write_text("1,2,4\n1/2,1,2\n1/4,1/2,1\n", encoding="utf-8")
    proc = run_cli("rank", f"sites={sites}", "criteria=price:cost,pue:cost,latency:cost",
                   "method=topsis", f"ahp_matrix={matrix}", "constraints=excluded==0",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["weights"] == pytest.approx([4 / 7, 2 / 7, 1 / 7], abs=1e-9)
    assert out["consistency_ratio"] == pytest.approx(0.0, abs=1e-9)
    c = out["ranking"][2]
    assert c["id"] == "C" and c["rank"] is None and c["score"] is None
    assert sorted(r["rank"] for r in out["ranking"] if r["rank"]) == [1, 2, 3]


@pytest.mark.parametrize("params, message", [
    (["criteria=price:cost,water:cost", "weights=1,1"], "no column 'water'"),
    (["criteria=price:cost,pue:cost", "weights=1,1,1"], "3 weights for 2 criteria"),
    (["criteria=price:cost,pue:cost", "ahp_matrix=BAD_RECIPROCAL"],
     "not reciprocal at (price, pue)"),
    (["criteria=price:cost,pue:cost", "ahp_matrix=BAD_NEGATIVE"],
     "(price, pue) = -3 is not a positive number"),
    (["criteria=price:cheap"], "NAME:benefit or NAME:cost"),
])
def test_bad_input_is_one_line(run_cli, sites, tmp_path, params, message):
    (tmp_path / "rec.csv").write_text("1,3\n3,1\n", encoding="utf-8")
    (tmp_path / "neg.csv").write_text("1,-3\n-1/3,1\n", encoding="utf-8")
    params = [p.replace("BAD_RECIPROCAL", str(tmp_path / "rec.csv"))
              .replace("BAD_NEGATIVE", str(tmp_path / "neg.csv")) for p in params]
    proc = run_cli("rank", f"sites={sites}", *params, cwd=tmp_path)
    assert proc.returncode != 0
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    error = [line for line in lines if "rank:" in line and "%" not in line]
    assert len(error) == 1 and message in error[0], proc.stderr
    assert "Traceback" not in proc.stderr


def test_edge_through_the_cli(run_cli, tmp_path):
    demo = Path(__file__).resolve().parents[3] / "resources" / "demo"
    proc = run_cli("edge", f"candidates={demo / 'infrastructure.gpkg'}:fibre_nodes",
                   f"demand={demo / 'infrastructure.gpkg'}:substations", "model=cover",
                   "latency_cap_ms=0.21", "demand_cell_m=0", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["optimal"] is True and out["max_latency_ms"] <= 0.21
    assert len(out["selected_ids"]) == out["selected"] >= 1
    assert (tmp_path / "datacenter_siting.edge" / "edge_sites.gpkg").exists()


def test_rank_reversal_when_a_site_is_added(run_cli, tmp_path):
    # the example of test_dc_sensitivity, as a file: a, b both benefit, weights 1, 1.
    # Without S2: S1 0.5 > S3 0.45; with S2: S1 0.15 < S3 0.32 -> one pair reversed.
    path = tmp_path / "s.csv"
    path.write_text("id,a,b\nS0,10,0\nS1,2,10\nS2,0,100\nS3,6,4\n", encoding="utf-8")
    proc = run_cli("rank", f"sites={path}", "criteria=a:benefit,b:benefit", "weights=1,1",
                   "added_site=S2", "mc_runs=0", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["added_site_reversals"] == 1
    assert out["reversals"] >= 1  # removing S2 is the same reversal seen the other way
    assert "Adding S2 reverses the order of 1 pair(s): S1 / S3." in \
        out["outputs"]["report"]["text"]
    proc = run_cli("rank", f"sites={path}", "criteria=a:benefit,b:benefit",
                   "added_site=S9", cwd=tmp_path)
    assert proc.returncode == 1 and "added_site: no site with id 'S9'" in proc.stderr


def test_inconsistent_matrix_is_warned_naming_the_judgement(run_cli, sites, tmp_path):
    # consistent with w = (8, 4, 2, 1) except a_14, written 1/8 instead of 8: the other
    # judgements imply a_41 = a_42 a_21 = a_43 a_31 = 1/8, so "excluded vs price" is the
    # judgement to check, named as the user wrote it (the entry >= 1: a_41 = 8)
    matrix = tmp_path / "ahp.csv"
    matrix.write_text("1,2,4,1/8\n1/2,1,2,4\n1/4,1/2,1,2\n8,1/4,1/2,1\n", encoding="utf-8")
    proc = run_cli("rank", f"sites={sites}",
                   "criteria=price:cost,pue:cost,latency:cost,excluded:cost",
                   f"ahp_matrix={matrix}", "mc_runs=0", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["consistency_ratio"] > 0.1
    assert "the most inconsistent judgement is excluded vs price; the other judgements " \
           "imply about 1/8" in out["outputs"]["report"]["text"]


def test_suitability_raster_through_the_cli_opens_again_as_values(run_cli, tmp_path):
    """The score GeoTIFF the CLI writes is a value raster, not a terrain: it opens again
    with its classes, and info says so."""
    demo = Path(__file__).resolve().parents[3] / "resources" / "demo"
    proc = run_cli("suitability", f"terrain={demo / 'terrain.tif'}",
                   f"substations={demo / 'infrastructure.gpkg'}:substations",
                   "cell_m=40", "criteria=substation_m:cost", "weights=1", "constraints=",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    tif = tmp_path / "datacenter_siting.suitability" / "score.tif"
    assert tif.exists()
    info = subprocess.run([sys.executable, "-m", "cimviewer", "info", str(tif), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert info.returncode == 0, info.stderr
    values = json.loads(info.stdout)["values"]
    assert values["name"] == "score" and values["classes"] == 5
    assert values["range"][1] == pytest.approx(out["best_score"])

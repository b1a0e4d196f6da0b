"""One small run of each built-in algorithm on the demo city: what the frozen-app test
runs (``cimviewer run NAME ARGS --json``), as (name, arguments, key expected in the JSON).

``{demo}`` is the demo folder, ``{plugins}`` the built-in plugins folder, ``{out}`` a
temporary folder.
"""

from __future__ import annotations

RUNS: list[tuple[str, list[str], str]] = [
    ("building_stats.summary", ["-p", "layer={demo}/buildings.city.json"], "buildings"),
    ("coverage_5g.link_budget", ["-p", "model=uma", "-p", "frequency_ghz=3.5",
                                 "-p", "distance_m=1000", "-p", "tx_height_m=25",
                                 "-p", "rx_height_m=1.5"], "path_loss_db"),
    # split into tasks: on a dask LocalCluster whose workers are the frozen app itself
    ("coverage_5g.coverage", ["-p", "terrain={demo}/terrain.tif",
                              "-p", "buildings={demo}/buildings.city.json",
                              "-p", "poles={demo}/street_furniture.gpkg", "-p", "sites=3",
                              "-p", "cell_m=20", "-p", "max_radius_m=300",
                              "--backend", "dask"], "median_rsrp_dbm"),
    ("pole_siting.layout", ["-p", "roads={demo}/roads.gpkg"], "poles"),
    ("pole_siting.cover", ["-p", "candidates={demo}/street_furniture.gpkg",
                           "-p", "demand={demo}/sensors.gpkg", "-p", "radius_m=300",
                           "-p", "time_limit_s=30"], "selected"),
    ("pole_siting.plan", ["-p", "roads={demo}/roads.gpkg",
                          "-p", "poles={demo}/street_furniture.gpkg",
                          "-p", "time_limit_s=5",
                          "-p", "pdf_report={out}/plan.pdf"], "smart_poles"),
    ("datacenter_siting.rank", ["-p", "sites={plugins}/datacenter_siting/data/national_sites.csv",
                                "-p", "criteria=pue_est:cost,price_cny_kwh:cost",
                                "-p", "mc_runs=50"], "ranking"),
    ("datacenter_siting.edge", ["-p", "candidates={demo}/infrastructure.gpkg:fibre_nodes",
                                "-p", "demand={demo}/buildings.city.json",
                                "-p", "time_limit_s=30"], "selected"),
    ("datacenter_siting.suitability", ["-p", "terrain={demo}/terrain.tif",
                                       "-p", "substations={demo}/infrastructure.gpkg:substations",
                                       "-p", "fibre={demo}/infrastructure.gpkg:fibre_nodes",
                                       "-p", "cell_m=40"], "cells"),
    ("sunlight.hours", ["-p", "buildings={demo}/buildings.city.json", "-p", "spacing_m=80",
                        "-p", "step_min=60"], "pass_share"),
]

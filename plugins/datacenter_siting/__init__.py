"""Data-center siting (东数西算): rank candidate sites or grid cells by explainable
multi-criteria decision analysis, and place edge nodes near demand.

Headless modules (numpy; highspy for edge placement); the dock is the only Qt module.

* :mod:`datacenter_siting.criteria` — criteria, directions, standardisation functions;
* :mod:`datacenter_siting.ahp` — pairwise matrices: weights, consistency ratio;
* :mod:`datacenter_siting.wlc`, :mod:`datacenter_siting.topsis` — the two scorings;
* :mod:`datacenter_siting.constraints` — hard constraints before any scoring;
* :mod:`datacenter_siting.sensitivity` — weight perturbation, rank reversal;
* :mod:`datacenter_siting.pue` — annual PUE from climate normals (free cooling);
* :mod:`datacenter_siting.latency` — fibre latency from route length and hops;
* :mod:`datacenter_siting.edge` — p-median and set covering with HiGHS;
* :mod:`datacenter_siting.algorithms` — ``rank`` and ``edge`` for the framework and CLI.
"""

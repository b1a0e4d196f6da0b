"""Smart pole siting (多杆合一): lighting layout along the streets, existing poles merged,
equipment for each department placed by set / maximal covering solved with HiGHS.

Headless (numpy, scipy, shapely, highspy); the dock is the only Qt module.

* :mod:`pole_siting.covering` — coverage matrices, LSCP / MCLP with HiGHS, greedy + bound;
* :mod:`pole_siting.algorithms` — ``cover`` (and the plan) for the framework and the CLI.
"""

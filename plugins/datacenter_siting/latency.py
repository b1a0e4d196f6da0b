"""Network latency from fibre route length and hops.

Light in silica fibre travels at about c / 1.468, i.e. about 4.9 us per km: the
plugin uses **5 us per km one way** (0.005 ms/km). The fibre route is longer than the
straight line: route = straight distance x ``route_factor`` (default 1.5, an
assumption; long-haul routes in China follow railways and highways). Each router or
switch hop on the way adds ``hop_ms`` (default 0.1 ms, an assumption) and the number of
hops grows with distance: ``hops = base_hops + route_km / km_per_hop``.
"""

from __future__ import annotations

import numpy as np

US_PER_KM = 5.0
EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray,
                    lat2: np.ndarray) -> np.ndarray:
    """Haversine distance in km (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, float) - np.asarray(lon1, float))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def planar_km(x1: np.ndarray, y1: np.ndarray, x2: np.ndarray, y2: np.ndarray) -> np.ndarray:
    """Straight distance in km between projected coordinates in metres (broadcasting)."""
    return np.hypot(np.asarray(x2, float) - x1, np.asarray(y2, float) - y1) / 1000.0


def latency_ms(straight_km: np.ndarray, route_factor: float = 1.5, hop_ms: float = 0.1,
               base_hops: float = 2.0, km_per_hop: float = 200.0,
               us_per_km: float = US_PER_KM) -> np.ndarray:
    """One-way latency in ms: propagation over the fibre route plus per-hop delay."""
    route = np.asarray(straight_km, float) * route_factor
    hops = base_hops + route / km_per_hop
    return route * us_per_km / 1000.0 + hops * hop_ms


def weighted_mean_latency(matrix_ms: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per candidate (rows), the demand-weighted mean latency to the demand (columns)."""
    w = np.asarray(weights, float)
    return (np.asarray(matrix_ms, float) * w[None, :]).sum(axis=1) / w.sum()

"""IDW from the nearest sensors: against a brute-force reference, and the plan cache."""

import numpy as np

from cimviewer.geometry.idw import IdwInterpolator, idw


def brute_force(xy, values, targets, power, k):
    """Straight from the definition: sort all distances, weight the k nearest."""
    out = []
    for t in targets:
        d = np.hypot(*(xy - t).T)
        order = np.argsort(d)[:k]
        if d[order[0]] == 0:
            out.append(values[order[0]])
            continue
        w = d[order] ** -power
        out.append(float((w * values[order]).sum() / w.sum()))
    return np.array(out)


def test_nearest_neighbour_idw_matches_the_definition():
    rng = np.random.default_rng(7)
    xy = rng.uniform(0, 1000, (300, 2))
    values = rng.uniform(0, 150, 300)
    targets = np.vstack([rng.uniform(-100, 1100, (200, 2)), xy[:5]])
    for power, k in ((2.0, 12), (1.0, 5), (3.0, 1)):
        np.testing.assert_allclose(idw(xy, values, targets, power, k),
                                   brute_force(xy, values, targets, power, k), rtol=1e-9)


def test_fewer_samples_than_neighbours_is_plain_idw():
    xy = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    values = np.array([1.0, 2.0, 4.0])
    target = np.array([[3.0, 4.0]])
    d = np.hypot(*(xy - target).T)
    expected = (values / d**2).sum() / (1 / d**2).sum()
    np.testing.assert_allclose(idw(xy, values, target), [expected])


def test_plan_is_kept_while_only_values_change():
    rng = np.random.default_rng(1)
    xy = rng.uniform(0, 500, (5000, 2))
    targets = rng.uniform(0, 500, (2000, 2))
    interpolate = IdwInterpolator(targets)
    for _ in range(5):
        values = rng.uniform(0, 100, 5000)
        np.testing.assert_allclose(interpolate(xy, values),
                                   idw(xy, values, targets), rtol=1e-12)
    assert interpolate.plans_made == 1
    values[0] = np.nan  # a sensor goes quiet: its neighbours take over
    out = interpolate(xy, values)
    assert interpolate.plans_made == 2
    np.testing.assert_allclose(out, idw(np.delete(xy, 0, 0), values[1:], targets))
    assert np.isnan(interpolate(xy, np.full(5000, np.nan))).all()


def test_noise_levels_are_averaged_as_energy():
    xy = np.array([[0.0, 0.0], [10.0, 0.0]])
    levels = np.array([60.0, 80.0])
    middle = np.array([[5.0, 0.0]])
    energetic = 10 * np.log10((10**6 + 10**8) / 2)  # 77.03 dB, not 70
    np.testing.assert_allclose(idw(xy, levels, middle, decibels=True), [energetic])
    np.testing.assert_allclose(idw(xy, levels, middle), [70.0])
    np.testing.assert_allclose(idw(xy, levels, xy, decibels=True), levels)  # exact at sensors

"""Sunlight hours (日照分析): headless sun steps, receivers and an exact shadow test.

* :func:`sunlight.solar.sun_steps` — the sun over a day's window (true solar time);
* :func:`sunlight.receivers.facade_points`, :func:`~sunlight.receivers.ground_grid`;
* :func:`sunlight.shadow.sunlit_minutes` — minutes of direct sun per receiver.
"""

from sunlight.receivers import facade_points, ground_grid
from sunlight.shadow import shadowed, sunlit_minutes
from sunlight.solar import PRESETS, solar_noon, sun_steps

__all__ = ["PRESETS", "facade_points", "ground_grid", "shadowed", "solar_noon", "sun_steps",
           "sunlit_minutes"]

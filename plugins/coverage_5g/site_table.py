"""Sites as plain rows for the dock's table and the project state (no Qt here)."""

from __future__ import annotations

from typing import Any

#: (key, kind, default) of each editable column, in table order
COLUMNS: tuple[tuple[str, str, Any], ...] = (
    ("name", "text", ""),
    ("x", "float", 0.0),
    ("y", "float", 0.0),
    ("height_m", "float", 10.0),
    ("mount", "choice", "ground"),
    ("tx_power_dbm", "float", 35.0),
    ("frequency_ghz", "float", 3.5),
    ("bandwidth_mhz", "float", 100.0),
    ("antenna", "choice", "omni"),
    ("azimuth_deg", "float", 0.0),
    ("downtilt_deg", "float", 6.0),
)
CHOICES = {"mount": ("ground", "roof"), "antenna": ("omni", "sector")}
KEYS = tuple(key for key, _kind, _default in COLUMNS)
#: version of what the dock saves in projects (the manifest's state_version)
STATE_VERSION = 1


def clean_site(raw: dict[str, Any], index: int = 0) -> dict[str, Any]:
    """A site dict with every column, values converted; bad values become defaults."""
    out: dict[str, Any] = {}
    for key, kind, default in COLUMNS:
        value = raw.get(key, default)
        if kind == "float":
            try:
                value = float(value)
            except (TypeError, ValueError):
                value = default
            if value != value:  # NaN
                value = default
        elif kind == "choice":
            value = str(value).strip().lower()
            if value not in CHOICES[key]:
                value = default
        else:
            value = str(value or "").strip()
        out[key] = value
    out["name"] = out["name"] or f"site-{index + 1}"
    return out


def format_value(key: str, value: Any) -> str:
    kind = next(k for name, k, _d in COLUMNS if name == key)
    if kind == "float":
        return f"{float(value):.2f}" if key in ("x", "y") else f"{float(value):g}"
    return str(value)


def sites_to_state(sites: list[dict[str, Any]], settings: dict[str, Any]) -> dict[str, Any]:
    return {"sites": [clean_site(s, i) for i, s in enumerate(sites)],
            "settings": dict(settings)}


def sites_from_state(data: dict[str, Any]) -> list[dict[str, Any]]:
    sites = data.get("sites") if isinstance(data, dict) else None
    if not isinstance(sites, list):
        return []
    return [clean_site(s, i) for i, s in enumerate(sites) if isinstance(s, dict)]

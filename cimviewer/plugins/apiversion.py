"""The version of the plugin API (``cimviewer.api``) and the rule for accepting plugins.

SemVer on the API, not the app: a plugin declares ``api = "MAJOR.MINOR"``, the lowest
API it needs. It loads when the majors are equal and its minor is not newer than ours.
"""

from __future__ import annotations

#: 1.1: sample_grid; 1.2: the GUI half (ctx.gui), CityModelLayer.set_object_values;
#: 1.3: ValuesOutput (lists of numbers or strings in run summaries), write_pdf_report;
#: 1.4: value rasters (ValueGrid, RasterLayer) as layer outputs
API_VERSION = "1.5"
#: version of the plugin.toml format itself
MANIFEST_VERSION = 1


def parse_version(text: str) -> tuple[int, int]:
    parts = str(text).strip().split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"{text!r} is not a version like '1.0'")
    major = int(parts[0])
    minor = int(parts[1]) if len(parts) > 1 else 0
    return major, minor


def api_refusal(required: str, provided: str = API_VERSION) -> str | None:
    """Why a plugin needing API ``required`` cannot load here, or None when it can."""
    try:
        need = parse_version(required)
    except ValueError as exc:
        return f"its api version is invalid: {exc}"
    have = parse_version(provided)
    if need[0] != have[0]:
        fix = "update cimviewer" if need[0] > have[0] else "update the plugin"
        return (f"it needs plugin API {required} and this cimviewer provides {provided} "
                f"(major versions differ; {fix})")
    if need[1] > have[1]:
        return (f"it needs plugin API {required} and this cimviewer provides only {provided} "
                f"(update cimviewer)")
    return None

"""Finding city objects by id or attribute value."""

from __future__ import annotations

from cimviewer.core.citymodel import ObjectTable


def find_objects(objects: ObjectTable, query: str, limit: int = 1000) -> list[int]:
    """Objects whose id contains ``query`` or one of whose scalar attributes equals it
    (case-insensitive; numbers compare by value)."""
    text = query.strip().lower()
    if not text:
        return []
    try:
        number: float | None = float(text)
    except ValueError:
        number = None
    found: list[int] = []
    for i, (obj_id, attrs) in enumerate(zip(objects.ids, objects.attributes, strict=True)):
        if text in obj_id.lower() or _matches(attrs, text, number):
            found.append(i)
            if len(found) >= limit:
                break
    return found


def _matches(attrs: dict, text: str, number: float | None) -> bool:
    for value in attrs.values():
        if isinstance(value, str):
            if value.lower() == text:
                return True
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if number is not None and float(value) == number:
                return True
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and any(isinstance(v, str) and text in v.lower()
                                                  for v in item.values()):
                    return True
        elif isinstance(value, dict) and any(isinstance(v, str) and text in v.lower()
                                             for v in value.values()):
            return True
    return False

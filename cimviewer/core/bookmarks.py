"""Named camera views."""

from __future__ import annotations

from dataclasses import dataclass

from cimviewer.core.camera import CameraState


@dataclass(frozen=True)
class Bookmark:
    name: str
    camera: CameraState

    def to_dict(self) -> dict:
        return {"name": self.name, "camera": self.camera.to_dict()}

    @classmethod
    def from_dict(cls, data: dict) -> Bookmark:
        name = data.get("name")
        if not isinstance(name, str) or not name:
            raise ValueError("bookmark name must be a non-empty string")
        return cls(name, CameraState.from_dict(data.get("camera") or {}))

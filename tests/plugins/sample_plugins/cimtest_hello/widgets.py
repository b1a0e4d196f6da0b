from __future__ import annotations

from cimviewer.api import LayerStyle

GREETINGS: list[str] = []


def make_panel(ctx):
    from PySide6.QtWidgets import QLabel

    label = QLabel(f"hello from {ctx.name}")
    label.setObjectName("hello_panel")
    return label


def greet(ctx):
    GREETINGS.append(ctx.name)
    ctx.set_state({"greetings": len(GREETINGS)})


def red_style(layer):
    return LayerStyle(mode="single", color=(255, 0, 0))

"""The set of selected objects, as (layer uid, object index) pairs."""

from __future__ import annotations

from collections.abc import Iterable

from psygnal import Signal

Pick = tuple[str, int]


class Selection:
    changed = Signal(object)  # emits the new tuple of picks

    def __init__(self) -> None:
        self._items: tuple[Pick, ...] = ()

    @property
    def items(self) -> tuple[Pick, ...]:
        return self._items

    def set(self, picks: Iterable[Pick]) -> None:
        new = tuple(dict.fromkeys(picks))
        if new != self._items:
            self._items = new
            self.changed.emit(new)

    def toggle(self, pick: Pick) -> None:
        if pick in self._items:
            self.set(p for p in self._items if p != pick)
        else:
            self.set((*self._items, pick))

    def clear(self) -> None:
        self.set(())

    def for_layer(self, layer_uid: str) -> list[int]:
        return [index for uid, index in self._items if uid == layer_uid]

    def __len__(self) -> int:
        return len(self._items)

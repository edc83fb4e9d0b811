"""A least-recently-used cache bounded by the bytes its values cost, not their count."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ByteBudgetLRU(Generic[K, V]):
    """Keeps the most recently used values whose total cost stays within ``budget`` bytes.

    A value costlier than the whole budget is not kept at all.
    """

    def __init__(self, budget: int, cost: Callable[[V], int]) -> None:
        self.budget = budget
        self._cost = cost
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self.used = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def held(self) -> list[K]:
        """The keys held, least recently used first."""
        return list(self._items)

    def get(self, key: K) -> V | None:
        """The value held for ``key``, now the most recently used; None when not held."""
        entry = self._items.get(key)
        if entry is None:
            return None
        self._items.move_to_end(key)
        return entry[0]

    def put(self, key: K, value: V) -> None:
        """Hold ``value`` for ``key``, dropping the least recently used to stay in budget.

        A value costlier than the whole budget is not kept, and any older value for
        ``key`` is dropped all the same.
        """
        self.discard(key)
        cost = self._cost(value)
        if cost > self.budget:
            return
        self._items[key] = (value, cost)
        self.used += cost
        while self.used > self.budget:
            _, (_, dropped) = self._items.popitem(last=False)
            self.used -= dropped

    def discard(self, key: K) -> None:
        """Drop ``key`` and its value, if held."""
        entry = self._items.pop(key, None)
        if entry is not None:
            self.used -= entry[1]

    def clear(self) -> None:
        """Drop every value."""
        self._items.clear()
        self.used = 0

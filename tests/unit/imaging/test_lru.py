"""The byte-bounded LRU that keeps memory flat however large a folder is."""

from __future__ import annotations

from viewer.imaging.lru import ByteBudgetLRU


def test_least_recently_used_values_go_first() -> None:
    lru: ByteBudgetLRU[str, bytes] = ByteBudgetLRU(10, len)
    lru.put("a", b"1234")
    lru.put("b", b"1234")
    assert lru.get("a") == b"1234"  # "a" is now the most recent
    lru.put("c", b"1234")
    assert "b" not in lru
    assert "a" in lru
    assert "c" in lru
    assert lru.used == 8


def test_the_budget_is_never_exceeded() -> None:
    lru: ByteBudgetLRU[int, bytes] = ByteBudgetLRU(1000, len)
    for i in range(10_000):
        lru.put(i, bytes(i % 97))
        assert lru.used <= 1000
    assert sum(len(lru.get(k) or b"") for k in range(10_000) if k in lru) == lru.used


def test_a_value_larger_than_the_budget_is_not_kept() -> None:
    lru: ByteBudgetLRU[str, bytes] = ByteBudgetLRU(4, len)
    lru.put("small", b"12")
    lru.put("huge", b"123456")
    assert "huge" not in lru
    assert lru.get("small") == b"12"


def test_replacing_and_discarding_keep_the_count_right() -> None:
    lru: ByteBudgetLRU[str, bytes] = ByteBudgetLRU(100, len)
    lru.put("a", b"x" * 10)
    lru.put("a", b"x" * 30)
    assert lru.used == 30
    lru.discard("a")
    lru.discard("missing")
    assert lru.used == 0
    assert len(lru) == 0

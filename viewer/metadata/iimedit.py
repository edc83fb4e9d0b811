"""IPTC-IIM datasets edited as a list, byte for byte, so nothing else in the block changes.

exiv2 re-serialises the IPTC it parsed (a time ``132723`` comes back as
``132723+0000``), so the writer hands it this module's list instead: the block's own
datasets, in their order and with their bytes, with only the edited fields replaced.

The flow for one block:

1. the edited fields' new values are encoded as UTF-8 and cut at their IIM limit on a
   character boundary (:func:`viewer.metadata.fieldmap.cut_utf8`), with a warning;
2. when nothing would change (every value already as wanted) the block is left alone;
3. otherwise the block is marked UTF-8 (1:90 ``ESC % G``) and, when it was not UTF-8
   before, every existing text dataset is re-encoded from the encoding the reader
   guesses for it (exiv2 only changes the marker, which turns Latin-1 into garbage);
4. each edited dataset is replaced where it stood (its repeats removed), a list field's
   items take the place of the old ones, and a new dataset goes at the end of record 2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from viewer.metadata import iptc
from viewer.metadata.fieldmap import PLACE_BY_NAME, FieldValue, cut_utf8
from viewer.metadata.text import decode_legacy, is_ascii

Dataset = tuple[iptc.Key, bytes]
RECORD_VERSION = (2, 0)
# Record 2 datasets that hold binary data, never text: the record version, the
# rasterized caption and the preview.
_BINARY = frozenset({0, 125, 200, 201, 202})


@dataclass
class IimEdit:
    """The edited block, what it means to the user, and whether it differs.

    Attributes:
        datasets: the block's datasets after the edit, in order.
        warnings: values cut at their IIM limit, in words.
        changed: whether ``datasets`` differs from the block before.
    """

    datasets: list[Dataset]
    warnings: list[str] = field(default_factory=list)
    changed: bool = False


def is_utf8(datasets: list[Dataset]) -> bool:
    """Whether the block declares UTF-8 (1:90)."""
    return any(
        key == iptc.CODED_CHARSET and raw.startswith(iptc.UTF8_MARKER) for key, raw in datasets
    )


def as_utf8(key: iptc.Key, raw: bytes, declared_utf8: bool) -> bytes:
    """A dataset's bytes as they read in a UTF-8 block (binary datasets as they are)."""
    if declared_utf8 or key[0] != 2 or key[1] in _BINARY or is_ascii(raw):
        return raw
    return decode_legacy(raw)[0].encode("utf-8")


def wanted_values(
    changes: Mapping[str, FieldValue],
) -> tuple[dict[iptc.Key, list[bytes]], list[str]]:
    """The datasets the changes ask for, encoded and cut, and a warning for each cut."""
    wanted: dict[iptc.Key, list[bytes]] = {}
    warnings = []
    for name, value in changes.items():
        place = PLACE_BY_NAME[name]
        if place.iim is None:
            continue
        values = list(value) if isinstance(value, tuple) else ([value] if value else [])
        encoded = []
        for text in values:
            raw, cut = cut_utf8(text, place.limit)
            if cut:
                warnings.append(
                    f"{place.label}: {len(text.encode('utf-8')):,} bytes, more than the "
                    f"{place.limit:,} IPTC allows, so IPTC holds it cut "
                    f"(“…{raw.decode('utf-8')[-20:]}”); XMP holds the whole text"
                )
            encoded.append(raw)
        wanted[place.iim] = encoded
    return wanted, warnings


def edit_block(old: list[Dataset], changes: Mapping[str, FieldValue]) -> IimEdit:
    """Apply ``changes`` (normalised, see :func:`viewer.metadata.fieldmap.normalise`)."""
    wanted, warnings = wanted_values(changes)
    declared = is_utf8(old)
    current = [(key, as_utf8(key, raw, declared)) for key, raw in old]
    differs = any(
        [raw for k, raw in current if k == key] != values for key, values in wanted.items()
    )
    if not differs:
        return IimEdit(list(old), [], changed=False)
    datasets = current if old else [(RECORD_VERSION, b"\x00\x04")]
    datasets = _mark_utf8(datasets)
    for key, values in wanted.items():
        datasets = _replace(datasets, key, values)
    return IimEdit(datasets, warnings, changed=datasets != old)


def _mark_utf8(datasets: list[Dataset]) -> list[Dataset]:
    """The block with 1:90 saying UTF-8, in place of any other 1:90, else after record 1."""
    marked = [(k, iptc.UTF8_MARKER if k == iptc.CODED_CHARSET else raw) for k, raw in datasets]
    if any(key == iptc.CODED_CHARSET for key, _ in marked):
        return _without_repeats(marked, iptc.CODED_CHARSET)
    at = _after_record(marked, 1, 0)
    return [*marked[:at], (iptc.CODED_CHARSET, iptc.UTF8_MARKER), *marked[at:]]


def _after_record(datasets: list[Dataset], record: int, fallback: int) -> int:
    """The index just after the last dataset of ``record`` (or of records before it)."""
    last = -1
    for index, (key, _) in enumerate(datasets):
        if key[0] <= record:
            last = index
    return last + 1 if last >= 0 else min(fallback, len(datasets))


def _without_repeats(datasets: list[Dataset], key: iptc.Key) -> list[Dataset]:
    seen = False
    kept = []
    for item in datasets:
        if item[0] == key:
            if seen:
                continue
            seen = True
        kept.append(item)
    return kept


def _replace(datasets: list[Dataset], key: iptc.Key, values: list[bytes]) -> list[Dataset]:
    """``key``'s datasets replaced by ``values``, where the first of them stood."""
    positions = [index for index, (k, _) in enumerate(datasets) if k == key]
    kept = [item for item in datasets if item[0] != key]
    at = positions[0] if positions else _after_record(kept, 2, len(kept))
    return [*kept[:at], *((key, raw) for raw in values), *kept[at:]]

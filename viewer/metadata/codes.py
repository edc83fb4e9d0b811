"""Code replacements in Photo Mechanic's format: ``=wc8=`` typed, "Alex Ovechkin" written.

A code-replacement file is plain text, one code a line, its columns separated by tabs:
the code, then one or more replacements. ``=code=`` expands to the first replacement,
``=code#2=`` to the second, and so on (Photo Mechanic's convention; the delimiter may be
another character). Codes are case-sensitive.

Decisions for files as they come:

* UTF-8 (a byte-order mark is allowed); a file that is not UTF-8 is read as Windows
  Latin 1, as older Windows tools saved these files, and :attr:`Codes.problems` says so;
* blank lines are skipped; a line without a tab, or whose code is empty or holds the
  delimiter or white space, is skipped and listed in ``problems`` with its number; a
  code given twice keeps its first line (the later one is listed);
* a code that is not in the file, or asks for a replacement the line does not have,
  is left as typed and listed in :attr:`Expansion.unknown`;
* a replacement's own text is not expanded again, so no file can make an expansion loop;
  sizes are bounded (:data:`MAX_FILE_BYTES`, :data:`MAX_CODES`, :data:`MAX_COLUMNS`,
  :data:`MAX_EXPANDED_CHARS`), so a hostile file costs a bounded amount of memory and time.

No Qt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from viewer.errors import PhotoDeskError
from viewer.fileaccess import display_name, read_regular

DELIMITER = "="
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_CODES = 100_000
MAX_COLUMNS = 64
MAX_FIELD_CHARS = 64 * 1024
MAX_EXPANDED_CHARS = 1024 * 1024
MAX_PROBLEMS = 50  # listed one by one; more are counted


class CodesError(PhotoDeskError, ValueError):
    """A code-replacement file that cannot be used, or an expansion too large to make."""


@dataclass(frozen=True)
class Codes:
    """The codes of one file: code -> its replacements (the first is ``=code=``'s).

    Attributes:
        replacements: code -> replacements, in column order.
        problems: the lines that were skipped and why, for the user to see.
        delimiter: the character around a code.
    """

    replacements: dict[str, tuple[str, ...]] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    delimiter: str = DELIMITER

    def __post_init__(self) -> None:
        if len(self.delimiter) != 1 or self.delimiter.isspace() or self.delimiter in "#\\":
            raise ValueError(f"{self.delimiter!r} cannot be a code delimiter")

    def pattern(self) -> re.Pattern[str]:
        """The regular expression of ``=code=`` and ``=code#N=`` for this delimiter."""
        mark = re.escape(self.delimiter)
        return re.compile(f"{mark}([^{mark}\\s#]{{1,256}})(?:#([0-9]{{1,3}}))?{mark}")


@dataclass(frozen=True)
class Expansion:
    """Text with its codes replaced, and the codes it could not replace."""

    text: str
    unknown: tuple[str, ...] = ()


def parse_codes(text: str, delimiter: str = DELIMITER, name: str = "") -> Codes:
    """The codes of a code-replacement file's text (see the module for odd lines)."""
    replacements: dict[str, tuple[str, ...]] = {}
    problems: list[str] = []
    where = f"{name}, line" if name else "line"

    def problem(message: str) -> None:
        problems.append(message)

    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if len(replacements) >= MAX_CODES:
            problem(f"more than {MAX_CODES:,} codes: the rest of the file was left out")
            break
        columns = line.split("\t", MAX_COLUMNS)[:MAX_COLUMNS]
        code = columns[0].strip()
        if len(columns) < 2:
            problem(f"{where} {number}: no tab after the code, so it was skipped")
            continue
        if not code or delimiter in code or "#" in code or any(c.isspace() for c in code):
            problem(f"{where} {number}: {code[:40]!r} cannot be a code (empty, or holds "
                    f"{delimiter!r}, '#' or a space)")  # fmt: skip
            continue
        if code in replacements:
            problem(f"{where} {number}: {code[:40]!r} was given before; the first is kept")
            continue
        replacements[code] = tuple(column.strip()[:MAX_FIELD_CHARS] for column in columns[1:])
    if len(problems) > MAX_PROBLEMS:
        problems[MAX_PROBLEMS:] = [f"and {len(problems) - MAX_PROBLEMS:,} more such lines"]
    return Codes(replacements, tuple(problems), delimiter)


def load_codes(path: Path, delimiter: str = DELIMITER) -> Codes:
    """Read a code-replacement file (a regular file, at most :data:`MAX_FILE_BYTES`).

    Raises:
        CodesError: it cannot be read, or is too large.
    """
    name = display_name(path.name)
    try:
        raw = read_regular(path, MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CodesError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise CodesError(f"{name}: larger than {MAX_FILE_BYTES // 2**20} MiB")
    try:
        text, note = raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        note = f"{name}: not UTF-8, read as Windows Latin 1"
    codes = parse_codes(text, delimiter, name)
    if note:
        return Codes(codes.replacements, (note, *codes.problems), delimiter)
    return codes


def flat(codes: Codes) -> dict[str, str]:
    """The codes as one table: ``code`` for the first replacement, ``code#2`` for the second..."""
    table: dict[str, str] = {}
    for code, replacements in codes.replacements.items():
        for number, text in enumerate(replacements, 1):
            table[code if number == 1 else f"{code}#{number}"] = text
    return table


def from_flat(table: Mapping[str, str], delimiter: str = DELIMITER) -> Codes:
    """:class:`Codes` from a table as :func:`flat` makes it."""
    replacements: dict[str, list[str]] = {}
    for key, text in table.items():
        code, _, number = key.partition("#")
        column = int(number) if number.isdigit() else 1
        items = replacements.setdefault(code, [])
        items.extend([""] * (column - len(items)))
        items[column - 1] = text
    return Codes({code: tuple(items) for code, items in replacements.items()}, (), delimiter)


def expand_codes(text: str, codes: Codes) -> Expansion:
    """``text`` with every known ``=code=`` and ``=code#N=`` replaced, once.

    Raises:
        CodesError: the result would be longer than :data:`MAX_EXPANDED_CHARS`.
    """
    unknown: list[str] = []
    pieces: list[str] = []
    size = 0
    end = 0
    for match in codes.pattern().finditer(text):
        code, number = match.group(1), int(match.group(2) or 1)
        found = codes.replacements.get(code)
        if found is None or not 1 <= number <= len(found):
            unknown.append(match.group(0))
            continue
        piece = text[end : match.start()] + found[number - 1]
        size += len(piece)
        if size > MAX_EXPANDED_CHARS:
            raise CodesError(
                f"the codes would make a text longer than {MAX_EXPANDED_CHARS:,} characters"
            )
        pieces.append(piece)
        end = match.end()
    pieces.append(text[end:])
    return Expansion("".join(pieces), tuple(dict.fromkeys(unknown)))

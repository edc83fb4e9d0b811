"""Templates: a set of fields to apply to photos, with variables filled in per photo.

A template value is text with variables in braces, filled from each photo's own
metadata and file: ``{city}``, ``{byline}``, ``{filename}``, ``{date_taken:%d %B %Y}``.
The flow for one photo (:func:`apply_template`):

1. code replacements first (``=code=``, see :mod:`viewer.metadata.codes`), so that a
   replacement may itself hold variables;
2. then variables: ``{name}`` or ``{name:spec}``, where ``name`` is one of
   :func:`variables` (every caption field, the camera's, the file's) and ``spec`` is a
   ``strftime`` pattern for dates, ``upper``, ``lower``, ``title`` or ``.N`` (the first N
   characters) for text; ``{{`` and ``}}`` stand for braces themselves;
3. an unknown variable, a bad spec or an unclosed brace is an error that names it
   (:class:`TemplateError`); :func:`template_problems` lists them all before a template
   is saved or applied. A variable with no value gives "".

Named templates are kept as one JSON file in the user's config folder
(:class:`TemplateStore`), written atomically (temporary file, fsync, rename). No Qt.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from viewer.errors import PhotoDeskError
from viewer.fileaccess import display_name, read_regular
from viewer.metadata.atomic import write_own_file
from viewer.metadata.codes import Codes, CodesError, expand_codes, flat, from_flat, load_codes
from viewer.metadata.fieldmap import EDITABLE, LIST_FIELDS, FieldValue, normalise
from viewer.metadata.fields import LIST_JOINER
from viewer.metadata.photo import PhotoMetadata

MAX_TEMPLATE_CHARS = 64 * 1024
MAX_STORE_BYTES = 4 * 1024 * 1024
STORE_VERSION = 1
_TEXT_SPECS = {"upper": str.upper, "lower": str.lower, "title": str.title}
_NOT_VARIABLES = frozenset({"sources", "flags", "problems", "provenance", "gps"})
_EXTRA = ("byline", "camera", "credit_line", "credit_text", "heading")


class TemplateError(PhotoDeskError, ValueError):
    """A template that cannot be applied; the message names what is wrong."""


@dataclass(frozen=True)
class Photo:
    """What a template's variables are filled from: the photo's path and metadata."""

    path: Path
    metadata: PhotoMetadata
    today: dt.date | None = None


def variables() -> tuple[str, ...]:
    """Every variable name a template may use, sorted."""
    names = {f.name for f in fields(PhotoMetadata)} - _NOT_VARIABLES - {"bylines"}
    names |= {*_EXTRA, "filename", "filestem", "extension", "folder", "today"}
    return tuple(sorted(names))


def _value(name: str, photo: Photo) -> object:
    path = photo.path
    file_values: dict[str, Callable[[], object]] = {
        "filename": lambda: display_name(path.name),
        "filestem": lambda: display_name(path.stem),
        "extension": lambda: path.suffix.lstrip("."),
        "folder": lambda: display_name(path.parent.name),
        "today": lambda: photo.today or dt.date.today(),
    }
    if name in file_values:
        return file_values[name]()
    value = getattr(photo.metadata, "byline" if name == "bylines" else name)
    return LIST_JOINER.join(value) if isinstance(value, tuple) else value


def _formatted(name: str, spec: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return value.strftime(spec) if spec else value.isoformat()
    text = str(value)
    if not spec:
        return text
    if spec in _TEXT_SPECS:
        return _TEXT_SPECS[spec](text)
    if spec.startswith(".") and spec[1:].isdigit() and len(spec) <= 6:
        return text[: int(spec[1:])]
    raise TemplateError(
        f"{{{name}:{spec}}}: {spec!r} is not a format for text (use upper, lower, title "
        "or .N for the first N characters)"
    )


def _parse(template: str) -> list[tuple[str, str, str]]:
    """The template as (literal text, variable, spec) triples, the variable "" at the end.

    Raises:
        TemplateError: an unclosed brace, an empty or malformed variable.
    """
    if len(template) > MAX_TEMPLATE_CHARS:
        raise TemplateError(f"a template may hold at most {MAX_TEMPLATE_CHARS:,} characters")
    parts: list[tuple[str, str, str]] = []
    literal: list[str] = []
    index = 0
    while index < len(template):
        char = template[index]
        pair = template[index : index + 2]
        if pair in ("{{", "}}"):
            literal.append(char)
            index += 2
        elif char == "{":
            close = template.find("}", index)
            if close < 0:
                raise TemplateError(f"a brace is not closed: “{template[index : index + 30]}”")
            name, _, spec = template[index + 1 : close].partition(":")
            if not name.isidentifier():
                raise TemplateError(f"{{{name}}} is not a variable name (write {{{{ for a brace)")
            parts.append(("".join(literal), name, spec))
            literal = []
            index = close + 1
        else:
            literal.append(char)
            index += 1
    parts.append(("".join(literal), "", ""))
    return parts


def _unknown(name: str) -> TemplateError:
    close = difflib.get_close_matches(name, variables(), n=1)
    hint = f"; did you mean {{{close[0]}}}?" if close else ""
    return TemplateError(f"{{{name}}} is not a variable Photo Desk knows{hint}")


def expand(template: str, photo: Photo, codes: Codes | None = None) -> str:
    """One template value filled in for ``photo`` (codes first, then variables).

    Raises:
        TemplateError: an unknown variable, a bad spec, an unclosed brace, or codes that
            would make the text too long.
    """
    if codes is not None:
        try:
            template = expand_codes(template, codes).text
        except CodesError as exc:
            raise TemplateError(str(exc)) from None
    known = set(variables())
    out: list[str] = []
    for literal, name, spec in _parse(template):
        out.append(literal)
        if not name:
            continue
        if name not in known:
            raise _unknown(name)
        try:
            out.append(_formatted(name, spec, _value(name, photo)))
        except ValueError as exc:
            raise TemplateError(f"{{{name}:{spec}}}: {exc}") from None
    return "".join(out)


def template_problems(template: str) -> list[str]:
    """What is wrong with a template, each in words (an empty list when nothing is)."""
    try:
        parts = _parse(template)
    except TemplateError as exc:
        return [str(exc)]
    known = set(variables())
    problems = [str(_unknown(name)) for _, name, _ in parts if name and name not in known]
    sample = Photo(Path("IMG_0001.JPG"), PhotoMetadata(date_taken=dt.datetime(2021, 6, 11)))
    for _, name, spec in parts:
        if name in known and spec:
            try:
                _formatted(name, spec, _value(name, sample) or "x")
            except (TemplateError, ValueError) as exc:
                problems.append(str(exc))
    return problems


def apply_template(
    template: Mapping[str, FieldValue], photo: Photo, codes: Codes | None = None
) -> dict[str, FieldValue]:
    """A template's fields filled in for one photo, ready for the writer.

    Raises:
        TemplateError: a value cannot be filled in (see :func:`expand`).
    """
    filled: dict[str, FieldValue] = {}
    for name, value in template.items():
        if isinstance(value, tuple):
            filled[name] = tuple(expand(item, photo, codes) for item in value)
        else:
            filled[name] = expand(value, photo, codes)
    return filled


# --- the caption editor's short forms -------------------------------------------------------


def expand_variables(text: str, path: Path, meta: PhotoMetadata | None) -> str:
    """One typed value with its variables filled in for the photo at ``path``.

    Raises:
        TemplateError: an unknown variable, a bad spec or an unclosed brace.
    """
    return expand(text, Photo(path, meta if meta is not None else PhotoMetadata()))


def load_code_replacements(path: Path) -> dict[str, str]:
    """A code-replacement file as one table: ``code``, then ``code#2``... for the others.

    Raises:
        CodesError: the file cannot be read or is too large (a ValueError).
    """
    return flat(load_codes(path))


def replace_codes(text: str, table: Mapping[str, str]) -> str:
    """``text`` with the ``=code=`` of ``table`` (as :func:`load_code_replacements`) replaced.

    Raises:
        CodesError: the result would be too long (a ValueError).
    """
    return expand_codes(text, from_flat(table)).text


# --- named templates ---------------------------------------------------------------------


def config_folder(environ: Mapping[str, str] | None = None, platform: str = sys.platform) -> Path:
    r"""The user's config folder for Photo Desk's own files (templates).

    ``$XDG_CONFIG_HOME/photodesk`` (``~/.config/photodesk``) on Linux,
    ``%APPDATA%\photodesk`` on Windows, ``~/Library/Application Support/photodesk`` on macOS.
    """
    env = os.environ if environ is None else environ
    if platform == "win32" and env.get("APPDATA"):
        return Path(env["APPDATA"]) / "photodesk"
    if platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "photodesk"
    return Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "photodesk"


class TemplateStore:
    """Named templates kept in one JSON file (``templates.json`` in the config folder).

    The file is ``{"version": 1, "templates": {name: {field: value}}}``; lists are JSON
    lists. It is read whole on each :meth:`load` (at most :data:`MAX_STORE_BYTES`) and
    replaced atomically on each change.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else config_folder() / "templates.json"

    def load(self) -> dict[str, dict[str, FieldValue]]:
        """Every named template (none when the file does not exist yet).

        Raises:
            TemplateError: the file is unreadable, too large, or not templates.
        """
        try:
            raw = read_regular(self.path, MAX_STORE_BYTES + 1)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise TemplateError(f"{self._name}: cannot be read ({exc.strerror or exc})") from None
        if len(raw) > MAX_STORE_BYTES:
            raise TemplateError(f"{self._name}: larger than {MAX_STORE_BYTES // 2**20} MiB")
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise TemplateError(f"{self._name}: not a templates file ({exc})") from None
        stored = document.get("templates") if isinstance(document, dict) else None
        if not isinstance(stored, dict):
            raise TemplateError(f"{self._name}: not a templates file (no 'templates' object)")
        return {
            str(name): _fields(value, f"{self._name}: {name}") for name, value in stored.items()
        }

    def save(self, name: str, template: Mapping[str, FieldValue]) -> None:
        """Add or replace the template ``name`` (checked first).

        Raises:
            TemplateError: the name is empty, a field is not editable, or a value holds a
                problem (an unknown variable...).
            OSError: the file could not be written.
        """
        if not name.strip():
            raise TemplateError("a template needs a name")
        checked = _fields(dict(template), name)
        templates = self.load()
        templates[name.strip()] = checked
        self._write(templates)

    def delete(self, name: str) -> None:
        """Remove the template ``name`` (nothing happens when there is none)."""
        templates = self.load()
        if templates.pop(name, None) is not None:
            self._write(templates)

    @property
    def _name(self) -> str:
        return display_name(self.path.name)

    def _write(self, templates: dict[str, dict[str, FieldValue]]) -> None:
        document: dict[str, Any] = {
            "version": STORE_VERSION,
            "templates": {
                name: {k: list(v) if isinstance(v, tuple) else v for k, v in fields_.items()}
                for name, fields_ in sorted(templates.items())
            },
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        write_own_file(self.path, text.encode("utf-8"))


def _fields(value: object, where: str) -> dict[str, FieldValue]:
    if not isinstance(value, dict):
        raise TemplateError(f"{where}: a template is an object of fields")
    try:
        checked = normalise(value)
    except ValueError as exc:
        raise TemplateError(f"{where}: {exc}") from None
    for field_name, field_value in checked.items():
        texts = field_value if field_name in LIST_FIELDS else (field_value,)
        for text in texts:
            for problem in template_problems(str(text)):
                raise TemplateError(f"{where}: {field_name}: {problem}")
    return {name: checked[name] for name in EDITABLE if name in checked}

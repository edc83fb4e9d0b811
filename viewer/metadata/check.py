"""``photodesk --check-metadata PATH... [--require FIELD,...]``: what a desk must fix.

Each photo is read as the window reads it and judged:

* a required field that is empty (caption, credit, copyright and alt text unless
  ``--require`` names others);
* alt text longer than :data:`ALT_TEXT_LIMIT` characters (screen readers and most
  publishing systems expect a short text; the long one belongs in the extended
  description);
* every flag raised while reading (sources that disagree, IPTC cut at its length limit,
  text whose encoding is undeclared or garbled, a picture made by generative AI);
* Content Credentials that do not hold (changed after signing, a broken signature),
  always; with ``--require credentials``, a photo without credentials that hold
  (``valid`` or ``trusted``: a signer on no trust list the app knows passes, since
  offline only the user's own anchors can say more), and with ``--require
  trusted_credentials`` one whose signer does not chain to an anchor the user added;
* a file, or a part of it, that could not be read.

One block per photo (``ok`` or ``FIX`` and the file, then one line per thing to fix),
a summary line, and the exit status: 0 when every photo passes, 1 when any must be
fixed, 2 for a usage error. No Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from viewer.fileaccess import display_name
from viewer.metadata.export import GalleryPhotos, Reader, photos_and_failures
from viewer.metadata.fields import SPEC_BY_NAME
from viewer.metadata.photo import PhotoMetadata
from viewer.metadata.provenance import Provenance
from viewer.metadata.reader import read_metadata

DEFAULT_REQUIRED = ("caption", "credit", "copyright", "alt_text")
ALT_TEXT_LIMIT = 250
# What --require takes beside the caption fields.
CREDENTIALS = "credentials"
TRUSTED_CREDENTIALS = "trusted_credentials"
REQUIREMENTS = (CREDENTIALS, TRUSTED_CREDENTIALS)


def parse_required(text: str) -> tuple[str, ...]:
    """``"caption,credit"`` as field names (or :data:`REQUIREMENTS`, such as "credentials").

    Raises:
        ValueError: a name is neither a caption field nor a requirement (the message
            lists them).
    """
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in SPEC_BY_NAME and name not in REQUIREMENTS]
    if unknown or not names:
        raise ValueError(
            f"unknown field {', '.join(unknown) or '(none given)'}; "
            f"fields are: {', '.join([*SPEC_BY_NAME, *REQUIREMENTS])}"
        )
    return names


def issues(meta: PhotoMetadata, required: Iterable[str] = DEFAULT_REQUIRED) -> list[str]:
    """What must be fixed in one photo before it is published (empty: ready)."""
    found = []
    required = tuple(required)
    missing = [
        SPEC_BY_NAME[name].label.lower()
        for name in required
        if name in SPEC_BY_NAME and not meta.value(name)
    ]
    if missing:
        found.append("missing: " + ", ".join(missing))
    if len(meta.alt_text) > ALT_TEXT_LIMIT:
        found.append(
            f"alt text is {len(meta.alt_text)} characters long (at most {ALT_TEXT_LIMIT}; "
            "put the rest in the extended description)"
        )
    found.extend(flag.message for flag in meta.flags)
    found.extend(credential_issues(meta.provenance, required))
    found.extend(f"not fully readable: {problem}" for problem in meta.problems)
    return found


def credential_issues(provenance: Provenance | None, required: Iterable[str] = ()) -> list[str]:
    """What a photo's Content Credentials leave to fix.

    Credentials that do not hold are always listed; a photo without any, or with
    credentials that could not be checked, only when ``required`` names
    :data:`CREDENTIALS` or :data:`TRUSTED_CREDENTIALS` (the latter also wants the
    signer to chain to a trust anchor the user added).
    """
    wanted = set(required)
    state = provenance.state if provenance is not None else "none"
    if provenance is not None and state == "invalid":
        return [provenance.summary()]
    if not wanted & set(REQUIREMENTS) or state == "trusted":
        return []
    if provenance is None or state == "none":
        return ["no Content Credentials"]
    if state == "error":
        return [provenance.summary()]
    if TRUSTED_CREDENTIALS in wanted:
        return [
            "Content Credentials: the signer does not chain to a trust anchor you added"
            f" ({provenance.signer or 'unnamed signer'})"
        ]
    return []


def check_command(
    paths: Sequence[Path],
    out: TextIO,
    *,
    required: Sequence[str] | str = DEFAULT_REQUIRED,
    read: Reader = read_metadata,
    gallery_photos: GalleryPhotos | None = None,
    err: TextIO | None = None,
) -> int:
    """Check every photo of ``paths`` and print the verdicts on ``out``.

    ``required`` may be the ``--require`` text (``"caption,credit"``). Returns 0 when
    every photo passes, 1 when any must be fixed, 2 (with the reason on ``err``, by
    default standard error) when no path is given or a required field is unknown.
    """
    errors = err if err is not None else sys.stderr
    try:
        fields = parse_required(required) if isinstance(required, str) else tuple(required)
        if not set(fields) <= {*SPEC_BY_NAME, *REQUIREMENTS}:
            parse_required(",".join(fields))
    except ValueError as exc:
        errors.write(f"photodesk: --require: {exc}\n")
        return 2
    if not paths:
        errors.write("photodesk: --check-metadata needs at least one PATH\n")
        return 2
    checked = failed = 0
    for path, failure in photos_and_failures(paths, gallery_photos):
        found = [failure] if failure else issues(read(path), fields)
        checked += 1
        failed += bool(found)
        out.write(f"{'FIX' if found else 'ok '}  {display_name(path)}\n")
        out.writelines(f"     - {line}\n" for line in found)
    noun = "photo" if checked == 1 else "photos"
    out.write(f"{checked} {noun} checked: {checked - failed} ready, {failed} to fix\n")
    return 1 if failed else 0

"""The trust anchors the user added: PEM certificates in their config folder, no Qt.

Content Credentials are ``trusted`` only when the signer's certificate chains to one of
these (:mod:`viewer.metadata.provenance`); Photo Desk knows no trust list of its own and
fetches none. The folder is ``$XDG_CONFIG_HOME/photodesk/trust`` (by default
``~/.config/photodesk/trust``); each ``.pem`` or ``.crt`` file in it may hold several
certificates, and anything else in them (keys, comments) is left out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from viewer.fileaccess import open_regular

MAX_ANCHOR_FILE = 1024 * 1024
ANCHOR_SUFFIXES = (".pem", ".crt")
_CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----")


def trust_folder(environ: Mapping[str, str] | None = None) -> Path:
    """The folder of the user's trust anchors: ``$XDG_CONFIG_HOME/photodesk/trust``.

    ``~/.config/photodesk/trust`` when ``XDG_CONFIG_HOME`` is not set.
    """
    env = os.environ if environ is None else environ
    config = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "photodesk" / "trust"


def trust_anchor_files(folder: Path | None = None) -> list[Path]:
    """The trust anchors the user added: PEM files (``.pem``, ``.crt``) in the folder.

    The folder is :func:`trust_folder` unless given. Sorted by name; none when there is
    no such folder.
    """
    where = trust_folder() if folder is None else folder
    try:
        names = sorted(where.iterdir())
    except OSError:
        return []
    return [p for p in names if p.suffix.lower() in ANCHOR_SUFFIXES and p.is_file()]


def anchors_pem(files: Iterable[Path]) -> tuple[str, list[str]]:
    """The certificates of PEM files as one PEM text, and what could not be read.

    Anything but ``CERTIFICATE`` blocks (keys, comments) is left out.
    """
    blocks: list[str] = []
    problems: list[str] = []
    for path in files:
        try:
            with open_regular(path) as stream:
                text = stream.read(MAX_ANCHOR_FILE).decode("ascii", "replace")
        except OSError as exc:
            problems.append(f"the trust anchor {path.name} could not be read ({exc})")
            continue
        found = _CERTIFICATE.findall(text)
        if not found:
            problems.append(f"the trust anchor {path.name} holds no PEM certificate")
        blocks.extend(found)
    return "\n".join(blocks) + ("\n" if blocks else ""), problems

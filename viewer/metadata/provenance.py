"""Content Credentials (C2PA): who made a picture, with what, and whether it changed since.

The flow for one file, offline from start to end:

1. :func:`has_credentials` walks the file's structure for a manifest store
   (:mod:`viewer.metadata.manifest_store`); most photos have none and cost nothing more;
2. only then is the reference library (c2pa-python, over c2pa-rs) loaded, and handed the
   open file (a stream opened by :func:`viewer.fileaccess.open_regular`, never a path)
   with settings that forbid every fetch: no remote manifest, no OCSP, no network host
   allowed at all (:func:`reader_settings`);
3. its verdict becomes one state (:data:`STATES`): the library's "Invalid" is
   ``invalid``, "Valid" is ``valid``, "Trusted" is ``trusted`` when the signer chains to
   a trust anchor the user added (PEM files, :mod:`viewer.metadata.trust`), and a store the
   library cannot read is ``error``; a store kept online is reported, never fetched;
4. the active manifest is said in plain words (:mod:`viewer.metadata.credential_words`):
   signer, claim generator, date, actions, ingredients and whether generative AI made
   the picture.

No Qt. The library is imported here, inside the functions that need it: the window's
process never loads it, the workers only for a file with credentials.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from viewer.fileaccess import open_regular
from viewer.formats import sniff_format
from viewer.metadata import manifest_store
from viewer.metadata.credential_words import (
    CHANGED_WORDS,
    UNTRUSTED,
    action_words,
    problem_words,
    says_ai,
)
from viewer.metadata.trust import anchors_pem

STATES = ("none", "valid", "trusted", "invalid", "error")
PASSING = frozenset({"valid", "trusted"})
# The library holds about a file's size in memory (up to twice that for JPEG) while it
# checks the file: larger files are not checked, as the decoders keep to their budgets.
MAX_VERIFIED_SIZE = 160 * 2**20
_MIME = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "TIFF": "image/tiff",
    "WebP": "image/webp",
}
_AVIF_BRANDS = (b"avif", b"avis")


@dataclass(frozen=True)
class Provenance:
    """What a file's Content Credentials say, and whether they hold.

    Attributes:
        state: one of :data:`STATES`.
        signer: who signed: the certificate's subject name and organisation.
        generator: the claim generator, the tool that wrote the credentials.
        signed_at: when, ISO 8601 from the signature's time stamp ("" when not recorded).
        actions: what was done, in plain words ("created", "cropped"...), in order.
        ingredients: the titles of the pictures it was made from.
        ai_generated: whether generative AI made it (or part of it), from the actions'
            digital source types and the IPTC Digital Source Type when given; None when
            nothing says.
        problems: what failed, in plain words.
        remote: the credentials are kept online, at ``remote_url``: reported, not checked.
        remote_url: where they are kept online.
        source_type: the digital source type the credentials record ("" when none).
    """

    state: str
    signer: str = ""
    generator: str = ""
    signed_at: str = ""
    actions: tuple[str, ...] = ()
    ingredients: tuple[str, ...] = ()
    ai_generated: bool | None = None
    problems: tuple[str, ...] = ()
    remote: bool = False
    remote_url: str = ""
    source_type: str = ""

    @property
    def passed(self) -> bool:
        """Whether the credentials hold: signature and hashes intact (``valid``, ``trusted``)."""
        return self.state in PASSING

    @property
    def changed(self) -> bool:
        """Whether the picture was changed after it was signed."""
        return self.state == "invalid" and CHANGED_WORDS in self.problems

    def summary(self) -> str:
        """One line for the detail pane ("" for a photo without credentials).

        For example "Content Credentials: signed by … with … on …", or "Changed after it
        was signed: …".
        """
        if self.state == "none":
            return ""
        if self.state == "error":
            if self.remote:
                where = f" at {self.remote_url}" if self.remote_url else ""
                return f"Content Credentials kept online{where}: not checked, Photo Desk is offline"
            return "Content Credentials could not be read: " + (
                "; ".join(self.problems) or "unknown error"
            )
        if self.state == "invalid":
            if not self.changed:
                return "Content Credentials broken: " + ("; ".join(self.problems) or "unknown")
            lead = (
                f"Changed after it was signed by {self.signer}"
                if self.signer
                else ("Changed after it was signed")
            )
            others = [p for p in self.problems if p != CHANGED_WORDS]
            return f"{lead}: {'; '.join(others)}" if others else lead
        parts = ["Content Credentials: signed"]
        if self.signer:
            parts.append(f"by {self.signer}")
        if self.state == "trusted":
            parts.append("(a signer you trust)")
        if self.generator:
            parts.append(f"with {self.generator}")
        if self.signed_at:
            parts.append(f"on {self.signed_at[:10]}")
        line = " ".join(parts)
        return line + " · made with generative AI" if self.ai_generated else line

    def with_source_type(self, iptc_source_type: str) -> Provenance:
        """These credentials, with the IPTC Digital Source Type the file also states.

        Generative AI said by either counts; a type that says otherwise settles an
        ``ai_generated`` that nothing else said.
        """
        said = says_ai(iptc_source_type)
        if said is None or self.ai_generated is True:
            return self
        if said or self.ai_generated is None:
            return replace(self, ai_generated=said)
        return self


def has_credentials(head_or_stream: bytes | BinaryIO) -> bool:
    """Whether a file carries Content Credentials (embedded or kept online); no verification.

    ``head_or_stream`` is an open binary file (left where it was) or its first bytes,
    enough of them to reach the image data.
    """
    return bool(manifest_store.find_manifest_store(head_or_stream))


def reader_settings(anchors: str = "") -> dict[str, Any]:
    """The library's settings: verify everything that needs no network, fetch nothing.

    Remote manifests and OCSP answers are not fetched, and no network host is allowed
    (a second lock, should a future default turn a fetch on). CAWG identity assertions
    are not decoded: Photo Desk does not show them, and resolving one may mean a fetch.
    ``anchors`` (PEM) replaces the library's claim-signing trust anchors, so that
    "trusted" means chained to an anchor the user added.
    """
    settings: dict[str, Any] = {
        "version": 1,
        "verify": {
            "verify_after_reading": True,
            "verify_trust": True,
            "verify_timestamp_trust": True,
            "ocsp_fetch": False,
            "remote_manifest_fetch": False,
        },
        "core": {"allowed_network_hosts": [], "decode_identity_assertions": False},
    }
    if anchors:
        settings["trust"] = {"trust_anchors": anchors}
    return settings


def read_provenance(
    path: Path,
    *,
    trust_anchors: Sequence[Path] = (),
    root: Path | None = None,
    source_type: str = "",
) -> Provenance:
    """Read and verify the Content Credentials of ``path``, offline; never raises.

    ``trust_anchors`` are PEM files (:func:`viewer.metadata.trust.trust_anchor_files`
    lists the user's); ``root``, a
    gallery's folder the file must be in; ``source_type``, the file's IPTC Digital
    Source Type, if the caller has read it.
    """
    try:
        stream = open_regular(path, root)
    except OSError as exc:
        return Provenance("error", problems=(f"the file could not be read ({exc})",))
    with stream:
        provenance = verify_stream(stream, trust_anchors=trust_anchors)
    return provenance.with_source_type(source_type)


def verify_stream(
    stream: BinaryIO, *, trust_anchors: Sequence[Path] = (), max_size: int = MAX_VERIFIED_SIZE
) -> Provenance:
    """:func:`read_provenance` on a file already open (read from its start; left there).

    A file larger than ``max_size`` bytes is not handed to the library, which holds
    about the file's size in memory while it checks: it is an ``error`` that says so.
    """
    where, url = manifest_store.locate_manifest_store(stream)
    if not where:
        return Provenance("none")
    remote = where == manifest_store.REMOTE
    size = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    if size > max_size and not remote:
        mib = 2**20
        return Provenance(
            "error",
            problems=(
                f"the file is too large to check its credentials here ({size // mib} MiB;"
                f" at most {max_size // mib} MiB)",
            ),
        )
    try:
        c2pa = load_library()
    except ImportError:
        return Provenance(
            "error",
            remote=remote,
            remote_url=url,
            problems=("the Content Credentials library (c2pa-python) is not installed",),
        )
    except Exception as exc:  # its native part failed to load (a wrong platform...)
        return Provenance(
            "error",
            remote=remote,
            remote_url=url,
            problems=(f"the Content Credentials library could not be loaded ({exc})",),
        )
    try:
        return _verify(c2pa, stream, trust_anchors, url)
    except Exception as exc:  # the library's bindings raise more than C2paError
        return Provenance("error", remote=remote, remote_url=url, problems=(_damaged(exc),))
    finally:
        stream.seek(0)


def load_library() -> Any:
    """Import c2pa-python, its native part from its own package only.

    Its loader looks for ``libc2pa_c`` in the working folder (and the ``libs`` and
    ``artifacts`` folders there) before its own package, so a library planted where
    Photo Desk was started would be loaded and run. The import is done from a new,
    private, empty folder, then the working folder is set back.

    Raises:
        ImportError: c2pa-python is not installed.
    """
    loaded = sys.modules.get("c2pa")
    if loaded is not None:
        return loaded
    if importlib.util.find_spec("c2pa") is None:
        raise ImportError("c2pa-python is not installed")
    try:
        here: str | None = os.getcwd()
    except OSError:  # the working folder was removed: nothing to go back to
        here = None
    with tempfile.TemporaryDirectory(prefix="photodesk-") as empty:
        os.chdir(empty)
        try:
            import c2pa  # type: ignore[import-untyped]  # noqa: PLC0415 - for signed files
        finally:
            os.chdir(here if here is not None else tempfile.gettempdir())
    return c2pa


def _verify(c2pa: Any, stream: BinaryIO, trust_anchors: Sequence[Path], url: str) -> Provenance:
    """Hand the open file to the library with the offline settings; its verdict in words."""
    anchors, problems = anchors_pem(trust_anchors)
    try:
        context = c2pa.Context.from_dict(reader_settings(anchors))
    except c2pa.C2paError as exc:
        problems.append(f"the trust anchors were refused ({_error_text(exc)})")
        anchors = ""
        context = c2pa.Context.from_dict(reader_settings())
    mime = _mime_type(stream)
    try:
        with context, c2pa.Reader(mime, stream, context=context) as reader:
            store = json.loads(reader.json())
            verdict = reader.get_validation_state()
    except c2pa.C2paError.ManifestNotFound:
        return Provenance("none")
    except c2pa.C2paError as exc:
        if _error_text(exc).startswith("Remote"):  # a store online, which it must not fetch
            return Provenance("error", remote=True, remote_url=url, problems=(_online(url),))
        return Provenance("error", problems=(_damaged(exc),))
    provenance = describe_store(store, verdict, trusting=bool(anchors))
    return replace(provenance, problems=(*problems, *provenance.problems))


def describe_store(store: Mapping[str, Any], verdict: str | None, *, trusting: bool) -> Provenance:
    """The state and words of a manifest store as the library reports it (its JSON).

    ``verdict`` is the library's validation state ("Valid", "Invalid", "Trusted");
    ``trusting`` says whether the user's trust anchors were given to it, the only way
    to ``trusted``.
    """
    manifests = store.get("manifests") or {}
    manifest = manifests.get(store.get("active_manifest") or "") or {}
    state = {"Invalid": "invalid", "Valid": "valid", "Trusted": "trusted"}.get(verdict or "")
    if state is None:
        return Provenance("error", problems=("the credentials could not be checked",))
    if state == "trusted" and not trusting:
        state = "valid"  # chained to an anchor the library carries, not one the user added
    info = manifest.get("signature_info") or {}
    types = _source_types(manifest)
    return Provenance(
        state,
        signer=_signer(info),
        generator=_generator(manifest),
        signed_at=_iso_time(str(info.get("time") or "")),
        actions=_unique(action_words(str(a.get("action", ""))) for a in _actions(manifest)),
        ingredients=_unique(str(i.get("title") or "") for i in manifest.get("ingredients") or []),
        ai_generated=_ai_generated(manifests, manifest),
        problems=_problems(store.get("validation_results") or {}),
        source_type=types[0] if types else "",
    )


def _online(url: str) -> str:
    where = f" at {url}" if url else ""
    return f"the credentials are kept online{where}; Photo Desk does not fetch them"


def _damaged(exc: Exception) -> str:
    return f"the credentials are damaged ({_error_text(exc)})"


def _error_text(exc: Exception) -> str:
    return str(getattr(exc, "message", "") or exc).strip() or type(exc).__name__


def _mime_type(stream: BinaryIO) -> str | None:
    """The format to tell the library, from the first bytes (None: let it look)."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    kind = sniff_format(head)
    if kind == "HEIF":
        return "image/avif" if head[8:12] in _AVIF_BRANDS else "image/heic"
    return _MIME.get(kind)


def _signer(info: Mapping[str, Any]) -> str:
    """The certificate's subject name, with its organisation when that says more."""
    name = str(info.get("common_name") or "").strip()
    organisation = str(info.get("issuer") or "").strip()
    if name and organisation and organisation.lower() not in name.lower():
        return f"{name} ({organisation})"
    return name or organisation


def _generator(manifest: Mapping[str, Any]) -> str:
    """The claim generator as "name version" (its first entry, the tool itself)."""
    for entry in manifest.get("claim_generator_info") or []:
        if isinstance(entry, Mapping) and entry.get("name"):
            return " ".join(str(entry[k]) for k in ("name", "version") if entry.get(k))
    legacy = str(manifest.get("claim_generator") or "").split()
    return legacy[0].replace("/", " ") if legacy else ""


def _iso_time(text: str) -> str:
    try:
        return dt.datetime.fromisoformat(text.strip()).isoformat() if text.strip() else ""
    except ValueError:
        return ""


def _actions(manifest: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every action of the manifest's actions assertions, in order."""
    found: list[Mapping[str, Any]] = []
    for assertion in manifest.get("assertions") or []:
        if not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue
        data = assertion.get("data") or {}
        found.extend(a for a in data.get("actions") or [] if isinstance(a, Mapping))
    return found


def _source_types(manifest: Mapping[str, Any]) -> list[str]:
    return [str(a["digitalSourceType"]) for a in _actions(manifest) if a.get("digitalSourceType")]


def _ai_generated(manifests: Mapping[str, Any], active: Mapping[str, Any]) -> bool | None:
    """Whether the digital source types of the picture's history say generative AI.

    The history is the active manifest and, through their ingredients, the manifests it
    was made from (each looked at once).
    """
    said: bool | None = None
    seen: set[str] = set()
    pending = [active]
    while pending:
        manifest = pending.pop()
        for value in _source_types(manifest):
            ai = says_ai(value)
            if ai:
                return True
            said = False if ai is not None else said
        for ingredient in manifest.get("ingredients") or []:
            label = str(ingredient.get("active_manifest") or "")
            if label and label not in seen and label in manifests:
                seen.add(label)
                pending.append(manifests[label])
    return said


def _problems(results: Mapping[str, Any]) -> tuple[str, ...]:
    """What failed, in words: the active manifest's failures, then its ingredients'."""
    problems = [
        problem_words(str(item.get("code", "")), str(item.get("explanation", "")))
        for item in (results.get("activeManifest") or {}).get("failure") or []
        if item.get("code") != UNTRUSTED
    ]
    for delta in results.get("ingredientDeltas") or []:
        for item in (delta.get("validationDeltas") or {}).get("failure") or []:
            if item.get("code") != UNTRUSTED:
                words = problem_words(str(item.get("code", "")), str(item.get("explanation", "")))
                problems.append(f"an ingredient: {words}")
    return _unique(problems)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))

"""Every writable file of ../shared/corpus written with text like "Écrit à la main — 火星 🙂".

Each file is copied to a temporary folder and given all 21 fields. ExifTool is the
judge, before and after (``exiftool -a -G1 -b -j``):

* written in place: every location holds exactly what was written (XMP whole, IPTC cut on
  a character boundary at its IIM limit, EXIF where the file had the tag), ExifTool's MWG
  composite tags read the new values, and no other tag differs, except those listed in
  :func:`allowed` with the reason;
* a sidecar: the photo's bytes are untouched and ExifTool reads the values in the sidecar;
* refused or failed: the photo's bytes are untouched, and the reason names the file.

No temporary file is left anywhere. The figures are printed (run with ``-s`` to see them).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.unit.metadata.reference import EXIFTOOL, as_list, differences, read_tags
from viewer.metadata.fieldmap import PLACE_BY_NAME, FieldValue, cut_utf8, mwg_list
from viewer.metadata.writer import WriteResult, write_metadata

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
TEXT = "Écrit à la main — 火星 🙂"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(EXIFTOOL is None, reason="ExifTool is not installed"),
    pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present"),
]

CHANGES: dict[str, FieldValue] = {
    "title": f"Title: {TEXT}",
    "headline": f"Headline: {TEXT}",
    "caption": f"Caption: {TEXT}\nSecond line of the caption.",
    "alt_text": f"Alt text: {TEXT}",
    "extended_description": f"Extended description: {TEXT}",
    "credit": TEXT,
    "byline": (TEXT, "Jane Doe"),
    "byline_title": "Photographer",
    "copyright": f"© 2026 {TEXT}",
    "usage_terms": f"Usage: {TEXT}",
    "source": "Source 火星",
    "instructions": f"Instructions: {TEXT}",
    "job_id": "JOB-火星-1",
    "keywords": (TEXT, "Mars", "rover"),
    "sublocation": TEXT,
    "city": "Zhurong 火星",
    "state": "Utopia 🙂",
    "country": "Mars",
    "country_code": "MRS",
    "event": f"Event: {TEXT}",
    "persons": (TEXT, "Someone Else"),
}
# ExifTool's family-1 names: XMP, IPTC (None when XMP-only), EXIF (None when not written).
TAGS = {
    "title": ("XMP-dc:Title", "IPTC:ObjectName", None),
    "headline": ("XMP-photoshop:Headline", "IPTC:Headline", None),
    "caption": ("XMP-dc:Description", "IPTC:Caption-Abstract", "IFD0:ImageDescription"),
    "alt_text": ("XMP-iptcCore:AltTextAccessibility", None, None),
    "extended_description": ("XMP-iptcCore:ExtDescrAccessibility", None, None),
    "credit": ("XMP-photoshop:Credit", "IPTC:Credit", None),
    "byline": ("XMP-dc:Creator", "IPTC:By-line", "IFD0:Artist"),
    "byline_title": ("XMP-photoshop:AuthorsPosition", "IPTC:By-lineTitle", None),
    "copyright": ("XMP-dc:Rights", "IPTC:CopyrightNotice", "IFD0:Copyright"),
    "usage_terms": ("XMP-xmpRights:UsageTerms", None, None),
    "source": ("XMP-photoshop:Source", "IPTC:Source", None),
    "instructions": ("XMP-photoshop:Instructions", "IPTC:SpecialInstructions", None),
    "job_id": ("XMP-photoshop:TransmissionReference", "IPTC:OriginalTransmissionReference", None),
    "keywords": ("XMP-dc:Subject", "IPTC:Keywords", None),
    "sublocation": ("XMP-iptcCore:Location", "IPTC:Sub-location", None),
    "city": ("XMP-photoshop:City", "IPTC:City", None),
    "state": ("XMP-photoshop:State", "IPTC:Province-State", None),
    "country": ("XMP-photoshop:Country", "IPTC:Country-PrimaryLocationName", None),
    "country_code": ("XMP-iptcCore:CountryCode", "IPTC:Country-PrimaryLocationCode", None),
    "event": ("XMP-iptcExt:Event", None, None),
    "persons": ("XMP-iptcExt:PersonInImage", None, None),
}
MWG = {
    "caption": "Description",
    "byline": "Creator",
    "copyright": "Copyright",
    "keywords": "Keywords",
    "city": "City",
    "state": "State",
    "country": "Country",
    "sublocation": "Location",
}


def written_tags() -> set[str]:
    """Every tag a write of all the fields may set (LocationShown's too)."""
    names = {tag for tags in TAGS.values() for tag in tags if tag}
    shown = ("City", "ProvinceState", "CountryName", "Sublocation")
    return names | {f"XMP-iptcExt:LocationShown{name}" for name in shown}


def allowed(name: str, before: dict[str, Any], after: dict[str, Any]) -> dict[str, str]:
    """The other tags that may differ after a faithful write, each with the reason."""
    reasons = {
        "XMP-x:XMPToolkit": "the toolkit that wrote the XMP (exiv2's; ExifTool puts its own)",
        "IPTC:CodedCharacterSet": "IPTC is marked UTF-8",
        "IPTC:ApplicationRecordVersion": "a new IPTC block starts with its record version",
        "Photoshop:IPTCDigest": "the digest is kept current with the new IPTC",
    }
    if before.get("XMP-rdf:About") and after.get("XMP-xmpMM:InstanceID") == before["XMP-rdf:About"]:
        reasons["XMP-rdf:About"] = "Adobe's XMP Toolkit moves an old rdf:about UUID..."
        reasons["XMP-xmpMM:InstanceID"] = "...to xmpMM:InstanceID"
    if name.lower().endswith((".png", ".webp")):
        reasons["File:ExifByteOrder"] = "exiv2 writes EXIF in PNG and WebP little-endian"
        reasons["RIFF:WebP_Flags"] = "the WebP now says it holds XMP"
    if "brought in step" in str(after.get("_warnings")):
        iptc = after.get("IPTC:Writer-Editor")
        if after.get("XMP-photoshop:CaptionWriter") == iptc:
            reasons["XMP-photoshop:CaptionWriter"] = "MWG reconciliation of a stale digest"
    warning_before = str(before.get("ExifTool:Warning", ""))
    if "IPTCDigest is not current" in warning_before:
        reasons["ExifTool:Warning"] = "the stale digest ExifTool warned about is current now"
    return reasons


def expected(field: str, group: str) -> list[str]:
    """What ExifTool must read for ``field`` in the XMP, IPTC or EXIF place."""
    value = CHANGES[field]
    items = list(value) if isinstance(value, tuple) else [value]
    if group == "IPTC":
        limit = PLACE_BY_NAME[field].limit
        return [cut_utf8(item, limit)[0].decode("utf-8") for item in items]
    if group == "EXIF" and isinstance(value, tuple):
        return [mwg_list(value)]
    return items


def mwg_view(files: list[Path], config: Path) -> dict[str, dict[str, Any]]:
    config.write_text("$Image::ExifTool::MWG::strict = 0;\n1;\n", encoding="utf-8")
    assert EXIFTOOL is not None
    result = subprocess.run(
        [EXIFTOOL, "-config", str(config), "-use", "MWG", "-j", "-MWG:all", *map(str, files)],
        capture_output=True,
        check=False,
        timeout=600,
    )
    entries = json.loads(result.stdout.decode("utf-8"))
    return {Path(entry["SourceFile"]).name: entry for entry in entries}


def check_written(
    name: str, before: dict[str, Any], after: dict[str, Any], mwg: dict[str, Any]
) -> list[str]:
    problems = []
    # A JPEG always gets IPTC; a PNG keeps IPTC in step when it has some; WebP has none.
    had_iptc = any(tag.startswith("IPTC:") for tag in before)
    has_iptc = name.lower().endswith((".jpg", ".mpo")) or (name.endswith(".png") and had_iptc)
    for field, (xmp, iim, exif) in TAGS.items():
        if as_list(after.get(xmp)) != expected(field, "XMP"):
            problems.append(f"{name}: {xmp} reads {after.get(xmp)!r}")
        if iim and has_iptc and as_list(after.get(iim)) != expected(field, "IPTC"):
            problems.append(f"{name}: {iim} reads {after.get(iim)!r}")
        if exif and exif in before and as_list(after.get(exif)) != expected(field, "EXIF"):
            problems.append(f"{name}: {exif} reads {after.get(exif)!r}")
        if field in MWG and as_list(mwg.get(MWG[field])) != expected(field, "XMP"):
            problems.append(f"{name}: MWG:{MWG[field]} reads {mwg.get(MWG[field])!r}")
    reasons = allowed(name, before, after)
    for tag, change in differences(before, after).items():
        if tag not in written_tags() and tag not in reasons and not tag.startswith("_"):
            problems.append(f"{name}: {tag} changed: {change[0]!r} -> {change[1]!r}")
    return problems


def test_the_corpus_is_written_read_back_and_otherwise_unchanged(tmp_path: Path) -> None:
    folder = tmp_path / "copies"
    folder.mkdir()
    originals = sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name != "MANIFEST.tsv")
    results: dict[str, WriteResult] = {}
    for original in originals:
        copy = folder / original.name
        shutil.copyfile(original, copy)
        copy.chmod(0o644)
        results[original.name] = write_metadata(copy, CHANGES)
    before = read_tags(originals)
    after = read_tags([folder / name for name, r in results.items() if r.status == "written"])
    mwg = mwg_view([folder / name for name in after], tmp_path / "mwg.config")
    problems: list[str] = []
    for name, result in results.items():
        original_bytes = (CORPUS / name).read_bytes()
        if result.status == "written":
            after[name]["_warnings"] = result.warnings
            problems += check_written(name, before[name], after[name], mwg[name])
            continue
        if (folder / name).read_bytes() != original_bytes:
            problems.append(f"{name}: {result.status}, yet the photo changed")
        assert result.reason, name
        if result.status == "sidecar":
            assert result.target is not None
            sidecar = read_tags([result.target])[result.target.name]
            for field, (xmp, _, _) in TAGS.items():
                if as_list(sidecar.get(xmp)) != expected(field, "XMP"):
                    problems.append(f"{result.target.name}: {xmp} reads {sidecar.get(xmp)!r}")
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    assert not leftovers, leftovers
    statuses = Counter(result.status for result in results.values())
    print(f"\ncorpus: {len(results)} files: {dict(statuses)}")
    for _, result in sorted(results.items()):
        if result.status in ("refused", "failed"):
            print(f"  {result.status}: {result.reason}")
    assert not problems, "\n".join(problems)
    assert statuses["written"] >= 60 and statuses["sidecar"] >= 15, statuses

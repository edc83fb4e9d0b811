"""``--export-metadata`` against ExifTool, field by field (when ExifTool is installed).

ExifTool is the reference reader. Its MWG module gives caption, by-line, copyright,
keywords, city, state, country and sublocation as the Metadata Working Group
reconciles them; for the other caption fields (which the MWG does not name) the same
rule is applied here to ExifTool's raw tags: XMP, unless the file's IPTC digest says
the IPTC was edited after the XMP, then IPTC (an IPTC value cut at its length limit
that begins the XMP value counts as the XMP). ExifTool runs with MWG's strict mode off
(``$Image::ExifTool::MWG::strict = 0``), so that it reads IPTC outside its standard
place too (trailers, second blocks, its IPTC2 group); such IPTC fills a field only when
the MWG reading leaves it empty, as Photo Desk documents.

Two sets of files are compared: the real-world corpus in ``../shared/corpus`` (when
present), and files made here with each quirk Photo Desk once misread. Any disagreement
fails the test unless it is listed in KNOWN with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.builders import QUIRKS

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
LISTS = ("keywords", "byline", "persons")
TEXTS = (
    "title",
    "headline",
    "caption",
    "caption_writer",
    "credit",
    "byline_title",
    "copyright",
    "usage_terms",
    "source",
    "instructions",
    "job_id",
    "sublocation",
    "city",
    "state",
    "country",
    "country_code",
    "event",
    "alt_text",
    "extended_description",
    "digital_source_type",
)
FIELDS = (*TEXTS, *LISTS, "orientation", "date_taken", "make", "model")

# Fields ExifTool's MWG module reconciles itself.
MWG = {
    "caption": "MWG:Description",
    "byline": "MWG:Creator",
    "copyright": "MWG:Copyright",
    "keywords": "MWG:Keywords",
    "city": "MWG:City",
    "state": "MWG:State",
    "country": "MWG:Country",
    "sublocation": "MWG:Location",
}
# Other fields: (XMP tag, IPTC tag or None); the MWG pattern is applied to them here.
PATTERN = {
    "title": ("XMP-dc:Title", "ObjectName"),
    "headline": ("XMP-photoshop:Headline", "Headline"),
    "caption_writer": ("XMP-photoshop:CaptionWriter", "Writer-Editor"),
    "credit": ("XMP-photoshop:Credit", "Credit"),
    "byline_title": ("XMP-photoshop:AuthorsPosition", "By-lineTitle"),
    "source": ("XMP-photoshop:Source", "Source"),
    "instructions": ("XMP-photoshop:Instructions", "SpecialInstructions"),
    "job_id": ("XMP-photoshop:TransmissionReference", "OriginalTransmissionReference"),
    "country_code": ("XMP-iptcCore:CountryCode", "Country-PrimaryLocationCode"),
    "usage_terms": ("XMP-xmpRights:UsageTerms", None),
    "event": ("XMP-iptcExt:Event", None),
    "persons": ("XMP-iptcExt:PersonInImage", None),
    "alt_text": ("XMP-iptcCore:AltTextAccessibility", None),
    "extended_description": ("XMP-iptcCore:ExtDescrAccessibility", None),
    "digital_source_type": ("XMP-iptcExt:DigitalSourceType", None),
}
# The IPTC tag of the MWG fields, for IPTC outside its standard place.
MWG_IIM = {
    "caption": "Caption-Abstract",
    "byline": "By-line",
    "copyright": "CopyrightNotice",
    "keywords": "Keywords",
    "city": "City",
    "state": "Province-State",
    "country": "Country-PrimaryLocationName",
    "sublocation": "Sub-location",
}
LIMITS = {
    "ObjectName": 64,
    "Headline": 256,
    "Writer-Editor": 32,
    "Credit": 32,
    "By-lineTitle": 32,
    "Source": 32,
    "SpecialInstructions": 256,
    "OriginalTransmissionReference": 32,
    "Country-PrimaryLocationCode": 3,
}

# (file, field) -> why Photo Desk and ExifTool differ there.
KNOWN = {
    ("pillow__hopper_lzw.tif", "caption"): (
        "ImageDescription holds byte 0xA8, not UTF-8: ExifTool prints '?', Photo Desk reads "
        "it as Mac Roman, the encoding of the Photoshop 4.0 that wrote it: "
        "'Adobe Photoshop® 4.0'"
    ),
    ("mei__heic_Issue_487.heic", "orientation"): (
        "the HEIF container rotates the picture (irot 270); libheif applies it while decoding "
        "and pillow-heif resets the EXIF tag, so Photo Desk reports 1 (nothing left to apply) "
        "where ExifTool reports the stored tag, 6; the picture is upright either way"
    ),
    ("quirk-iptc-utf8-no-marker.jpg", "credit"): (
        "UTF-8 IPTC without the 1:90 marker: ExifTool decodes it as Windows Latin 1 "
        "(Bj\u00c3\u00b8rn), Photo Desk as the valid UTF-8 it is (Bjørn) and flags the "
        "missing marker"
    ),
    ("quirk-exif-macroman.tif", "caption"): (
        "ImageDescription in Mac Roman: ExifTool prints '?' for the byte it cannot read as "
        "UTF-8, Photo Desk reads 'Photoshop®' (and flags the encoding)"
    ),
}

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool is not installed"),
]


def exiftool_view(files: list[Path], config: Path) -> dict[str, dict[str, Any]]:
    """ExifTool's reading of every tag, by file name (MWG loaded, strict mode off)."""
    config.write_text("$Image::ExifTool::MWG::strict = 0;\n1;\n", encoding="utf-8")
    command = ["exiftool", "-config", str(config), "-use", "MWG", "-j", "-G1", "-a", "-n"]
    result = subprocess.run(
        [*command, *map(str, files)], capture_output=True, check=False, timeout=600
    )
    entries = json.loads(result.stdout.decode("utf-8", errors="replace"))
    return {Path(entry["SourceFile"]).name: entry for entry in entries}


def photodesk_view(files: list[Path]) -> dict[str, dict[str, Any]]:
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)  # must work without a display or Qt platform
    result = subprocess.run(
        [sys.executable, "main.py", "--export-metadata", *map(str, files)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=600,
    )
    return {Path(line["file"]).name: line for line in map(json.loads, result.stdout.splitlines())}


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if str(v).strip()]


def text(value: Any) -> str:
    return "; ".join(as_list(value))


def recover_truncated(iim: Any, xmp: Any, limit: int) -> Any:
    """ExifTool's RecoverTruncatedIPTC (lengths in UTF-8 bytes)."""
    if xmp is None or iim is None:
        return iim
    if isinstance(iim, list):
        xmps = xmp if isinstance(xmp, list) else [xmp]
        return [
            recover_truncated(v, xmps[i] if i < len(xmps) else None, limit)
            for i, v in enumerate(iim)
        ]
    full = xmp[0] if isinstance(xmp, list) else xmp
    short, long = str(iim).encode(), str(full).encode()
    return full if len(short) == limit and len(long) > limit and long[:limit] == short else iim


def iim_groups(tool: dict[str, Any]) -> tuple[str | None, list[str]]:
    """The family-1 group of the standard IPTC (None without) and the others'."""
    groups = sorted({k.split(":")[0] for k in tool if k.startswith("IPTC")})
    standard = "IPTC" if "File:CurrentIPTCDigest" in tool and "IPTC" in groups else None
    return standard, [g for g in groups if g != standard]


def expected_field(tool: dict[str, Any], field: str) -> Any:
    standard, others = iim_groups(tool)
    iim_tag: str | None
    if field in MWG:
        value, iim_tag = tool.get(MWG[field]), MWG_IIM[field]
    else:
        xmp_tag, iim_tag = PATTERN[field]
        xmp = tool.get(xmp_tag)
        current, stored = tool.get("File:CurrentIPTCDigest"), tool.get("Photoshop:IPTCDigest")
        if current is None or (xmp is not None and (stored is None or stored == current)):
            value = xmp
        else:
            iim = tool.get(f"{standard}:{iim_tag}") if standard and iim_tag else None
            value = recover_truncated(iim, xmp, LIMITS.get(iim_tag or "", 0))
    if not as_list(value) and iim_tag:
        value = next(
            (tool[f"{g}:{iim_tag}"] for g in others if as_list(tool.get(f"{g}:{iim_tag}"))), None
        )
    if field == "caption" and not as_list(value):
        fallbacks = (tool.get(k) for k in ("IFD0:XPComment", "IFD0:XPTitle", "ExifIFD:UserComment"))
        value = next((v for v in fallbacks if as_list(v)), None)
    return as_list(value) if field in LISTS else text(value)


def tag(tool: dict[str, Any], name: str) -> Any:
    """A value by ``Group:Name``, or by bare name in whichever group ExifTool put it."""
    if ":" in name:
        return tool.get(name)
    return next((v for k, v in tool.items() if k.split(":")[-1] == name), None)


def expected(tool: dict[str, Any]) -> dict[str, Any]:
    """What Photo Desk should say, derived from ExifTool's reading and the documented rules."""
    want = {field: expected_field(tool, field) for field in (*TEXTS, *LISTS)}
    orientation = tag(tool, "Orientation")
    want.update(
        orientation=orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else 1,
        date_taken=iso_seconds(text(tool.get("MWG:DateTimeOriginal"))),
        make=text(tag(tool, "Make")),
        model=text(tag(tool, "Model")),
    )
    return want


def iso_seconds(exif_date: str) -> str:
    """``2021:10:20 21:01:01.20+00:00`` -> ``2021-10-20T21:01:01`` ("" for none or zeros)."""
    if exif_date[:4] in ("", "0000") or len(exif_date) < 19:
        return ""
    return exif_date[:19].replace(":", "-", 2).replace(" ", "T")


def ours(line: dict[str, Any]) -> dict[str, Any]:
    got: dict[str, Any] = {field: text(line.get(field)) for field in TEXTS}
    got.update({field: as_list(line.get(field)) for field in LISTS})
    got.update(
        orientation=line.get("orientation"),
        date_taken=text(line.get("date_taken"))[:19],
        make=text(line.get("make")),
        model=text(line.get("model")),
    )
    return got


Difference = tuple[str, str, Any, Any]


def compare(files: list[Path], config: Path) -> tuple[int, int, list[Difference]]:
    """How many fields were compared, how many of them hold a value (for either reader),
    and where the two readers differ."""
    tool, desk = exiftool_view(files, config), photodesk_view(files)
    compared, recorded, differences = 0, 0, []
    for name, tool_entry in sorted(tool.items()):
        want, got = expected(tool_entry), ours(desk[name])
        for field in FIELDS:
            compared += 1
            recorded += bool(want[field] or got[field]) and field != "orientation"
            if want[field] != got[field]:
                differences.append((name, field, want[field], got[field]))
    return compared, recorded, differences


def check(compared: int, recorded: int, differences: list[Difference], what: str) -> None:
    unexplained = [d for d in differences if (d[0], d[1]) not in KNOWN]
    agreed = compared - len(differences)
    print(
        f"\nExifTool agreement on {what}: {agreed}/{compared} fields "
        f"({100 * agreed / compared:.1f}%; {recorded} of them hold a value besides "
        f"orientation), {len(differences) - len(unexplained)} differences explained"
    )
    assert not unexplained, "\n".join(
        f"{name} {field}: ExifTool {want!r} vs Photo Desk {got!r}"
        for name, field, want, got in unexplained
    )


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_export_agrees_with_exiftool_on_the_corpus(tmp_path: Path) -> None:
    files = sorted(p for p in CORPUS.iterdir() if p.suffix.lower() not in (".tsv", ".txt"))
    check(*compare(files, tmp_path / "mwg.config"), "the corpus")


def test_export_agrees_with_exiftool_on_each_quirk(tmp_path: Path) -> None:
    files = []
    for name, make in QUIRKS.items():
        path = tmp_path / name
        path.write_bytes(make())
        files.append(path)
    check(*compare(files, tmp_path / "mwg.config"), "files with each quirk")

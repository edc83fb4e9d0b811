"""What a careful editor must see before publishing: flags raised while reading a file.

Each :class:`Flag` names the field, what kind of trouble it is and says it in words.
Kinds:

* ``conflict``: the file's EXIF, IPTC and XMP (or its sidecar) say different things;
* ``truncated``: an IPTC value is exactly as long as IIM allows, so it was probably cut;
* ``charset``: non-ASCII text whose encoding the file does not declare (IPTC without a
  1:90 marker, EXIF that is not UTF-8), so it may be read wrongly;
* ``mojibake``: text that looks decoded the wrong way once already ("CafÃ©");
* ``synthetic``: the Digital Source Type says the picture was made by generative AI or
  by software rather than a camera.

Also here: the IPTC Digital Source Type vocabulary in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass

CONFLICT = "conflict"
TRUNCATED = "truncated"
CHARSET = "charset"
MOJIBAKE = "mojibake"
SYNTHETIC = "synthetic"


@dataclass(frozen=True)
class Flag:
    """One thing an editor must check.

    Attributes:
        field: the field it concerns (an export key such as ``caption``).
        kind: one of ``conflict``, ``truncated``, ``charset``, ``mojibake``, ``synthetic``.
        message: what is wrong, in words, naming the field.
    """

    field: str
    kind: str
    message: str


# IPTC NewsCodes "digitalsourcetype", said plainly (our wording).
SOURCE_TYPES = {
    "digitalCapture": "Photographed with a digital camera",
    "computationalCapture": (
        "Photographed with a camera that merged several frames (HDR, night mode)"
    ),
    "negativeFilm": "Scanned from a film negative",
    "positiveFilm": "Scanned from a slide or other film positive",
    "print": "Scanned from a print",
    "minorHumanEdits": "A photograph with minor edits by a person",
    "humanEdits": "Edited by a person with ordinary (not generative) tools",
    "algorithmicallyEnhanced": "Altered or enhanced by software",
    "softwareImage": "Made with software",
    "digitalArt": "Digital art, made by a person with software",
    "digitalCreation": "Made by a person with digital tools",
    "dataDrivenMedia": "A picture drawn from data (a chart, a map)",
    "trainedAlgorithmicMedia": "Made by generative AI",
    "compositeWithTrainedAlgorithmicMedia": "A composite that includes parts made by generative AI",
    "algorithmicMedia": "Made entirely by a computer program, not taken with a camera",
    "compositeSynthetic": "A composite that includes synthetic (computer-made) parts",
    "screenCapture": "A screenshot",
    "virtualRecording": "Recorded inside a virtual or game world",
    "composite": "A composite of several pictures",
    "compositeCapture": "A composite of several photographs",
}
# The types that say the picture itself was made, wholly or partly, by a machine.
SYNTHETIC_TYPES = frozenset(
    {
        "trainedAlgorithmicMedia",
        "compositeWithTrainedAlgorithmicMedia",
        "algorithmicMedia",
        "compositeSynthetic",
    }
)


def source_type_code(value: str) -> str:
    """The vocabulary's code from a Digital Source Type (a URI, a QCode or the code)."""
    return value.strip().rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def source_type_words(value: str) -> str:
    """A Digital Source Type in plain words (the value itself when not in the vocabulary)."""
    return SOURCE_TYPES.get(source_type_code(value), value.strip())


def synthetic_flag(value: str) -> Flag | None:
    """A flag when the Digital Source Type says the picture is synthetic, else None.

    Synthetic means made by generative AI or by software: not a photograph of something
    real.
    """
    code = source_type_code(value)
    if code not in SYNTHETIC_TYPES:
        return None
    return Flag(
        "digital_source_type",
        SYNTHETIC,
        f"{SOURCE_TYPES[code]}, says the file (Digital Source Type {code})",
    )

"""The record of one photo's metadata, apart from the readers that fill it."""

from __future__ import annotations

from tests.builders import python_output
from viewer.metadata import PhotoMetadata


def test_the_record_loads_without_the_readers() -> None:
    """The window's process holds records, and must not pay for the parsers."""
    code = (
        "import sys\n"
        "from viewer.metadata import PhotoMetadata, read_metadata\n"
        "from viewer.metadata import dates, groups, words\n"
        "print(sorted(m for m in ('viewer.metadata.reader', 'viewer.metadata.xmp',\n"
        "    'viewer.metadata.provenance', 'exifread', 'PIL') if m in sys.modules))\n"
    )
    assert python_output(code) == "[]"


def test_the_credit_line_as_a_caption_says_it() -> None:
    meta = PhotoMetadata(bylines=("Jane Doe",), credit="Reuters", copyright="© 2021 Reuters")
    assert meta.credit_text == "Jane Doe / Reuters · © 2021 Reuters"
    assert meta.credit_line == "Reuters", "what existing callers get is unchanged"
    assert PhotoMetadata(credit="AP", copyright="AP").credit_text == "AP"
    assert PhotoMetadata(copyright="© X").credit_text == "© X"
    assert PhotoMetadata().credit_text == ""

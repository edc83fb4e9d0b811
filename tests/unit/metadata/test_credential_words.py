"""Content Credentials in plain words: actions, validation failures, generative AI."""

from __future__ import annotations

import pytest

from viewer.metadata.credential_words import (
    CHANGED_CODES,
    CHANGED_WORDS,
    action_words,
    problem_words,
    says_ai,
)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("c2pa.created", "created"),
        ("c2pa.edited", "edited"),
        ("c2pa.cropped", "cropped"),
        ("c2pa.color_adjustments", "colour adjusted"),
        ("c2pa.placed", "another picture placed in it"),
        (" c2pa.opened ", "opened"),
        ("com.example.noise_reduced", "noise reduced"),
        ("", "an unnamed action"),
    ],
)
def test_actions_are_said_in_words(name: str, words: str) -> None:
    assert action_words(name) == words


def test_every_hash_mismatch_says_the_picture_changed() -> None:
    for code in CHANGED_CODES:
        assert problem_words(code, "hash verification( Hashes do not match )") == CHANGED_WORDS
    assert (
        problem_words("claimSignature.mismatch") == "the signature does not match what was signed"
    )


def test_an_unknown_code_keeps_the_validators_text() -> None:
    assert problem_words("future.code", "it went wrong") == "it went wrong (future.code)"
    assert problem_words("future.code") == "a check failed (future.code)"
    assert problem_words("", "") == "a check failed"


@pytest.mark.parametrize(
    ("value", "ai"),
    [
        ("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", True),
        ("digsrctype:compositeWithTrainedAlgorithmicMedia", True),
        ("http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture", False),
        ("algorithmicMedia", False),  # made by a program, not a trained model
        ("", None),
        ("   ", None),
    ],
)
def test_generative_ai_is_told_from_the_source_type(value: str, ai: bool | None) -> None:
    assert says_ai(value) is ai

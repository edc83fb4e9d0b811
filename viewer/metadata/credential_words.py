"""Content Credentials in plain words: actions, validation codes and AI source types.

The C2PA specification names what was done to a picture (``c2pa.cropped``) and what a
validator found (``assertion.dataHash.mismatch``) in codes; a desk reads words. The
wording here is ours. No Qt, and no C2PA library: only the codes it reports.
"""

from __future__ import annotations

from viewer.metadata.flags import source_type_code

# C2PA 2.x action names, as a person would say them.
ACTION_WORDS = {
    "c2pa.color_adjustments": "colour adjusted",
    "c2pa.converted": "converted",
    "c2pa.created": "created",
    "c2pa.cropped": "cropped",
    "c2pa.deleted": "deleted",
    "c2pa.drawing": "drawn on",
    "c2pa.dubbed": "dubbed",
    "c2pa.edited": "edited",
    "c2pa.edited.metadata": "metadata edited",
    "c2pa.enhanced": "enhanced",
    "c2pa.filtered": "filtered",
    "c2pa.opened": "opened",
    "c2pa.orientation": "rotated or flipped",
    "c2pa.placed": "another picture placed in it",
    "c2pa.produced": "produced",
    "c2pa.published": "published",
    "c2pa.redacted": "redacted",
    "c2pa.removed": "removed",
    "c2pa.repackaged": "repackaged",
    "c2pa.resized": "resized",
    "c2pa.transcoded": "transcoded",
    "c2pa.translated": "translated",
    "c2pa.trimmed": "trimmed",
    "c2pa.unknown": "changed in an unrecorded way",
    "c2pa.watermarked": "watermarked",
    "c2pa.watermarked.bound": "watermarked",
    "c2pa.watermarked.unbound": "watermarked",
}

# Validation codes that mean the picture's bytes are not the ones signed.
CHANGED_CODES = frozenset(
    {
        "assertion.dataHash.mismatch",
        "assertion.boxesHash.mismatch",
        "assertion.bmffHash.mismatch",
        "assertion.collectionHash.mismatch",
    }
)
CHANGED_WORDS = "the picture was changed after it was signed"
# The validator's normal answer for a signer on no trust list the app knows: the
# ``valid`` state says it, it is not a problem.
UNTRUSTED = "signingCredential.untrusted"

_PROBLEM_WORDS = {
    **dict.fromkeys(CHANGED_CODES, CHANGED_WORDS),
    "assertion.hashedURI.mismatch": "part of the credentials was changed after signing",
    "assertion.missing": "part of the credentials is missing",
    "assertion.multipleHardBindings": "the credentials bind the picture more than once",
    "assertion.undeclared": "the credentials hold a part the signature does not cover",
    "assertion.action.ingredientMismatch": "an action names an ingredient that is not there",
    "assertion.action.malformed": "the list of actions is malformed",
    "assertion.dataHash.malformed": "the record of the picture's bytes is malformed",
    "claim.missing": "the signed claim is missing",
    "claim.malformed": "the signed claim is malformed",
    "claim.hardBindings.missing": "nothing ties the credentials to the picture's bytes",
    "claimSignature.missing": "the signature is missing",
    "claimSignature.mismatch": "the signature does not match what was signed",
    "claimSignature.outsideValidity": "the certificate was not valid when it signed",
    "signingCredential.invalid": "the signing certificate is not valid",
    "signingCredential.revoked": "the signing certificate was revoked",
    "signingCredential.expired": "the signing certificate had expired",
    "timeStamp.mismatch": "the time stamp does not match the signature",
    "timeStamp.malformed": "the time stamp is malformed",
    "timeStamp.outsideValidity": "the time stamp is outside its certificate's validity",
    "timeStamp.untrusted": "the time stamp comes from an authority that is not trusted",
    "algorithm.unsupported": "the signature uses an algorithm that cannot be checked",
    "ingredient.hashedURI.mismatch": "an ingredient was changed after it was signed",
    "ingredient.manifest.mismatch": "an ingredient's credentials do not match",
    "ingredient.claimSignature.mismatch": "an ingredient's signature does not match",
    "manifest.inaccessible": "the credentials could not be reached",
    "manifest.multipleParents": "the credentials name more than one parent picture",
    "general.error": "the check itself failed",
}

# IPTC digital source types that say generative AI made the picture, or part of it.
AI_SOURCE_TYPES = frozenset({"trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"})


def action_words(name: str) -> str:
    """A C2PA action in plain words (``c2pa.cropped`` -> "cropped").

    Actions of other vendors (``com.example.sharpened``) keep their last part, with
    underscores as spaces.
    """
    words = ACTION_WORDS.get(name.strip())
    if words is not None:
        return words
    last = name.strip().rsplit(".", 1)[-1]
    return last.replace("_", " ") or "an unnamed action"


def problem_words(code: str, explanation: str = "") -> str:
    """A validation failure in plain words; a code not known here keeps the validator's text."""
    words = _PROBLEM_WORDS.get(code)
    if words is not None:
        return words
    detail = explanation.strip() or "a check failed"
    return f"{detail} ({code})" if code else detail


def says_ai(source_type: str) -> bool | None:
    """Whether a digital source type says generative AI; None when there is none.

    The value may be a URI, a QCode or the bare code.
    """
    if not source_type.strip():
        return None
    return source_type_code(source_type) in AI_SOURCE_TYPES

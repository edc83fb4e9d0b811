"""Content Credentials made for the tests by the reference library itself (c2pa-python).

A test certificate authority and its signer are made with ``cryptography`` (a dependency
of c2pa-python), pictures with Pillow, and the manifests signed by the library, offline
(no time stamp authority, nothing fetched). Every call needs c2pa-python: tests that use
these take the ``c2pa_lib`` fixture of their module, which skips without it.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from tests.builders import segment

SKIP_REASON = "c2pa-python is not installed (it belongs in pyproject.toml's dependencies)"
AI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
CAMERA = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
# Made by hand, for tests that need no library: the start of a JUMBF superbox labelled
# c2pa, and the first APP11 segment of a JPEG's store holding it.
JUMBF = (
    struct.pack(">I", 64)
    + b"jumb"
    + struct.pack(">I", 30)
    + b"jumd"
    + b"c2pa\x00\x11\x00\x10\x80\x00\x00\xaa\x008\x9bq"
    + b"\x03c2pa\x00"
)
APP11 = segment(0xEB, b"JP" + b"\x02\x11" + b"\x00\x00\x00\x01" + JUMBF)
SIGNING_SETTINGS = {
    "version": 1,
    "verify": {"verify_after_sign": False, "remote_manifest_fetch": False, "ocsp_fetch": False},
    "core": {"allowed_network_hosts": []},
    "builder": {"thumbnail": {"enabled": False}},
}


@dataclass(frozen=True)
class Authority:
    """A test root certificate and a signer it certified (all PEM)."""

    root: bytes
    chain: bytes
    key: bytes

    def write_root(self, folder: Path, name: str = "desk-root.pem") -> Path:
        """Write the root certificate into ``folder`` as a trust anchor; its path."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_bytes(self.root)
        return path


def make_authority(
    signer: str = "Jane Signer", organisation: str = "Example News", ocsp_url: str = ""
) -> Authority:
    """A fresh root CA and an end-entity signing certificate (ES256) with the C2PA profile.

    ``ocsp_url`` puts an OCSP responder in the signer's certificate (a verifier that
    fetches would call it).
    """
    from cryptography import x509  # noqa: PLC0415 - comes with c2pa-python
    from cryptography.hazmat.primitives import hashes, serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric import ec  # noqa: PLC0415
    from cryptography.x509.oid import (  # noqa: PLC0415
        AuthorityInformationAccessOID,
        ExtendedKeyUsageOID,
        NameOID,
    )

    def name(common: str, org: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, common),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "CH"),
            ]
        )

    def usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
        return x509.KeyUsage(
            digital_signature=sign,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=ca,
            crl_sign=ca,
            encipher_only=False,
            decipher_only=False,
        )

    now = dt.datetime.now(dt.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = name("Photo Desk Test Root", "Photo Desk Tests")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage(sign=False, ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(name(signer, organisation))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage(sign=True, ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
    )
    if ocsp_url:
        access = x509.AccessDescription(
            AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url)
        )
        builder = builder.add_extension(x509.AuthorityInformationAccess([access]), False)
    leaf = builder.sign(root_key, hashes.SHA256())
    pem = serialization.Encoding.PEM
    return Authority(
        root=root.public_bytes(pem),
        chain=leaf.public_bytes(pem) + root.public_bytes(pem),
        key=key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )


def picture(fmt: str = "JPEG", color: tuple[int, int, int] = (200, 120, 40)) -> bytes:
    """A small unsigned picture in ``fmt`` (a Pillow format name)."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, fmt)
    return out.getvalue()


def created(source_type: str = CAMERA) -> list[dict[str, Any]]:
    """The actions of a picture made from nothing: created, with its source type."""
    return [{"action": "c2pa.created", "digitalSourceType": source_type}]


def sign(
    source: bytes,
    authority: Authority,
    *,
    actions: list[dict[str, Any]] | None = None,
    title: str = "photo.jpg",
    generator: tuple[str, str] = ("Desk Camera", "2.0"),
    ingredients: list[tuple[dict[str, Any], bytes]] | None = None,
    remote_url: str = "",
    embed: bool = True,
    mime: str = "image/jpeg",
) -> bytes:
    """``source`` signed by ``authority`` with a manifest of these actions and ingredients.

    With ``remote_url``, the file names where its manifest is kept online, and with
    ``embed=False`` that is the only place it is.
    """
    import c2pa  # type: ignore[import-untyped]  # noqa: PLC0415 - skipped without it

    manifest = {
        "claim_generator_info": [{"name": generator[0], "version": generator[1]}],
        "title": title,
        "assertions": [
            {"label": "c2pa.actions", "data": {"actions": actions or created()}},
        ],
    }
    info = c2pa.C2paSignerInfo(b"es256", authority.chain, authority.key, None)
    with (
        c2pa.Context.from_dict(SIGNING_SETTINGS) as context,
        c2pa.Builder(manifest, context=context) as builder,
        c2pa.Signer.from_info(info) as signer,
    ):
        for ingredient, data in ingredients or []:
            builder.add_ingredient(ingredient, "image/jpeg", io.BytesIO(data))
        if remote_url:
            builder.set_remote_url(remote_url)
        if not embed:
            builder.set_no_embed()
        out = io.BytesIO()
        builder.sign(signer, mime, io.BytesIO(source), out)
    return out.getvalue()


def changed_after_signing(signed: bytes) -> bytes:
    """A signed JPEG whose image data was changed afterwards (a byte of the scan flipped)."""
    data = bytearray(signed)
    data[-10] ^= 0xFF
    return bytes(data)


def broken_signature(signed: bytes, title: str) -> bytes:
    """A signed file whose claim was changed after signing: its signature no longer matches.

    The claim's ``title`` is rewritten with another text of the same length.
    """
    old = title.encode()
    assert signed.count(old) == 1, "the title must appear once, in the claim"
    return signed.replace(old, bytes(reversed(old)))


def damaged_store(signed: bytes) -> bytes:
    """A signed file whose claim cannot be decoded any more (bytes inside it overwritten)."""
    at = signed.index(b"c2pa.claim") + 40
    return signed[:at] + b"\xff" * 200 + signed[at + 200 :]

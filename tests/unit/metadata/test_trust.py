"""The trust anchors the user added: where they live, which files count, what is taken."""

from __future__ import annotations

from pathlib import Path

from viewer.metadata.trust import anchors_pem, trust_anchor_files, trust_folder


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_the_trust_folder_is_in_the_users_config(tmp_path: Path) -> None:
    assert trust_folder({"XDG_CONFIG_HOME": "/cfg"}) == Path("/cfg/photodesk/trust")
    assert trust_folder({}) == Path.home() / ".config" / "photodesk" / "trust"
    assert trust_folder() == tmp_path / "xdg-config" / "photodesk" / "trust"  # conftest's


def test_trust_anchor_files_are_the_pem_files_of_the_folder(tmp_path: Path) -> None:
    assert trust_anchor_files(tmp_path / "missing") == []
    folder = tmp_path / "trust"
    folder.mkdir()
    for name in ("b.pem", "a.crt", "notes.txt", "c.PEM"):
        (folder / name).write_text("x")
    (folder / "d.pem").mkdir()
    assert [p.name for p in trust_anchor_files(folder)] == ["a.crt", "b.pem", "c.PEM"]
    (trust_folder()).mkdir(parents=True)
    (trust_folder() / "mine.pem").write_text("x")
    assert trust_anchor_files() == [trust_folder() / "mine.pem"]


def test_only_certificates_are_taken_from_anchor_files(tmp_path: Path) -> None:
    cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
    key = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----"
    good = write(tmp_path, "good.pem", f"comment\n{key}\n{cert}\n".encode())
    empty = write(tmp_path, "empty.pem", b"nothing here")
    pem, problems = anchors_pem([good, empty, tmp_path / "gone.pem"])
    assert pem == cert + "\n"
    assert problems[0] == "the trust anchor empty.pem holds no PEM certificate"
    assert problems[1].startswith("the trust anchor gone.pem could not be read")

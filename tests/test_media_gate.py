"""The media gate: only regular files inside its folders pass, every refusal reads the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmrec.errors import MediaAccessError
from mmrec.media_gate import REFUSED, MediaGate
from mmrec.redact import redact


@pytest.fixture
def layout(tmp_path: Path) -> dict[str, Path]:
    uploads, catalog, elsewhere = (tmp_path / n for n in ("uploads", "catalog", "elsewhere"))
    for folder in (uploads / "abc", catalog, elsewhere):
        folder.mkdir(parents=True)
    (uploads / "abc" / "photo.jpg").write_bytes(b"photo")
    (catalog / "item.jpg").write_bytes(b"item")
    (elsewhere / "secret.jpg").write_bytes(b"secret")
    (uploads / "lnk").mkdir()
    (uploads / "lnk" / "link.jpg").symlink_to(elsewhere / "secret.jpg")
    (uploads / "dirlink").symlink_to(elsewhere)
    return {"uploads": uploads, "catalog": catalog, "elsewhere": elsewhere}


def gate(layout: dict[str, Path]) -> MediaGate:
    return MediaGate([layout["catalog"]], consume=[layout["uploads"]])


def test_files_inside_the_folders_pass(layout):
    g = gate(layout)
    assert g.resolve(layout["catalog"] / "item.jpg") == (layout["catalog"] / "item.jpg").resolve()
    assert g.read(layout["uploads"] / "abc" / "photo.jpg", max_bytes=100).data == b"photo"


@pytest.mark.parametrize(
    "path",
    [
        "{elsewhere}/secret.jpg",
        "{uploads}/lnk/link.jpg",
        "{uploads}/dirlink/secret.jpg",
        "{uploads}/abc/../../elsewhere/secret.jpg",
        "{uploads}/abc/missing.jpg",
        "/nonexistent/x.jpg",
        "/etc/passwd",
        "{uploads}",
        "{uploads}/abc",
        "",
        "{uploads}/abc/photo.jpg\x00.png",
        "relative/photo.jpg",
    ],
)
def test_everything_else_gets_the_same_refusal(layout, path):
    with pytest.raises(MediaAccessError) as refused:
        gate(layout).resolve(path.format(**{k: str(v) for k, v in layout.items()}))
    assert str(refused.value) == REFUSED


@pytest.mark.parametrize("value", [None, 5, {"path": "/etc/passwd"}, b"/etc/passwd"])
def test_values_that_are_not_paths_are_refused(layout, value):
    with pytest.raises(MediaAccessError, match="cannot be used"):
        gate(layout).resolve(value)


def test_an_upload_is_deleted_once_read_and_a_catalog_photo_never(layout):
    g = gate(layout)
    upload = layout["uploads"] / "abc" / "photo.jpg"
    media = g.read(upload, max_bytes=100)
    assert media.name == "photo.jpg" and not upload.exists()
    assert layout["uploads"].is_dir()
    g.read(layout["catalog"] / "item.jpg", max_bytes=100)
    assert (layout["catalog"] / "item.jpg").exists()


def test_an_upload_over_the_size_limit_is_refused_and_removed(layout):
    upload = layout["uploads"] / "abc" / "photo.jpg"
    with pytest.raises(MediaAccessError, match="limit is"):
        gate(layout).read(upload, max_bytes=3)
    assert not upload.exists()


def test_redact_removes_server_paths_and_keeps_the_rest():
    text = "weights laion/ViT-B-32/ are not in the cache /root/.cache/mmrec/open_clip; see https://x.org/a/b, 1/2 off"
    shown = redact(text)
    assert "/root" not in shown and "the cache open_clip;" in shown
    assert "laion/ViT-B-32/" in shown and "https://x.org/a/b" in shown and "1/2" in shown
    assert redact("could not read '/srv/app/secret/photo.jpg'") == "could not read 'photo.jpg'"


def test_an_upload_two_visitors_sent_is_read_by_both_though_deleted_after_the_first(layout):
    # The framework names an upload by its content's hash: the same photo from two visitors is one path.
    g = gate(layout)
    upload = layout["uploads"] / "abc" / "photo.jpg"
    first = g.read(upload, max_bytes=100)
    assert not upload.exists()
    assert g.read(str(upload), max_bytes=100) == first
    with pytest.raises(MediaAccessError, match="cannot be used"):
        g.read(upload, max_bytes=len(first.data) - 1)


def test_the_same_bytes_uploaded_again_are_deleted_once_read_though_served_from_memory(tmp_path):
    uploads = tmp_path / "uploads"
    upload = uploads / "abc123" / "photo.png"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"same bytes")
    gate = MediaGate([uploads], consume=[uploads])
    assert gate.read(upload, max_bytes=100).data == b"same bytes" and not upload.exists()
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(b"same bytes")  # another visitor sends the same file: the framework gives it the same name
    assert gate.read(upload, max_bytes=100).data == b"same bytes"
    assert not upload.exists()


def test_an_identical_upload_being_stored_while_the_first_is_read_lands_and_is_served(tmp_path):
    # The framework stores an upload in two steps: mkdir(<content hash>, exist_ok=True), then rename its temporary
    # file in. A visitor's read in between must leave that folder, or the other visitor's upload fails (HTTP 500).
    uploads = tmp_path / "uploads"
    folder = uploads / "abc123"
    folder.mkdir(parents=True)
    (folder / "photo.png").write_bytes(b"same bytes")
    gate = MediaGate([], consume=[uploads])
    (uploads / "tmp-second").write_bytes(b"same bytes")
    folder.mkdir(exist_ok=True)  # the second visitor's upload, first step
    assert gate.read(folder / "photo.png", max_bytes=100).data == b"same bytes"
    (uploads / "tmp-second").rename(folder / "photo.png")  # second step
    assert gate.read(folder / "photo.png", max_bytes=100).data == b"same bytes"
    assert not (folder / "photo.png").exists()

"""Product images named by a brief (issue 13, finding 1): a brief may name image files in its own
folder, relative to it, or https:// URLs. Anything else (an absolute path, ``..``, a symlink
out of the folder, /proc, a device, a FIFO, a file that is not an image, a decompression bomb) is
refused by ``adloop campaign new`` with exit 2 and a message saying what is allowed, before
anything is stored: no campaign, no blob."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from infra.cli import main
from tests.conftest import EXAMPLES
from tests.hostile.conftest import state_counts
from tests.media.images import png_declaring

BRIEF = {
    "product": "GlowDrop vitamin C serum",
    "offer": "20% off the first order",
    "persona": "busy moms in their 30s",
    "market": "US",
}
ALLOWED = "relative to it"  # every path refusal says what a product image may be


def _brief(folder: Path, images: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "brief.json"
    path.write_text(json.dumps({**BRIEF, "product_images": images}))
    return path


def _symlink_out(folder: Path) -> str:
    secret = folder.parent / "outside" / "secret.png"
    secret.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLES / "assets" / "glowdrop-bottle.png", secret)  # a real image, even
    (folder / "bottle.png").symlink_to(secret)
    return "bottle.png"


def _symlinked_folder_out(folder: Path) -> str:
    outside = folder.parent / "elsewhere"
    outside.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLES / "assets" / "glowdrop-bottle.png", outside / "p.png")
    (folder / "assets").symlink_to(outside, target_is_directory=True)
    return "assets/p.png"


def _symlink_to_proc(folder: Path) -> str:
    (folder / "env.png").symlink_to("/proc/self/environ")
    return "env.png"


def _fifo(folder: Path) -> str:
    os.mkfifo(folder / "pipe.png")
    return "pipe.png"


def _text_named_png(folder: Path) -> str:
    (folder / "bottle.png").write_text("AWS_SECRET_ACCESS_KEY=abc\n")
    return "bottle.png"


def _bomb(folder: Path) -> str:
    (folder / "bomb.png").write_bytes(png_declaring(50_000, 50_000))
    return "bomb.png"


def _folder(folder: Path) -> str:
    (folder / "shots").mkdir()
    return "shots"


# (id, what to put in the brief's folder -> the entry naming it, words the message must hold)
CASES: list[tuple[str, Callable[[Path], str], tuple[str, ...]]] = [
    ("proc-environ", lambda f: "/proc/self/environ", ("absolute path", ALLOWED, "https://")),
    ("traversal", lambda f: "../../etc/passwd", ("leaves the brief's folder", ALLOWED)),
    ("absolute", lambda f: str(EXAMPLES / "assets" / "glowdrop-bottle.png"), ("absolute path",)),
    ("dot-dot-inside", lambda f: "assets/../../x.png", ("leaves the brief's folder",)),
    ("home", lambda f: "~/.aws/credentials", ("home folder",)),
    ("device", lambda f: "/dev/zero", ("absolute path",)),
    ("symlink-out", _symlink_out, ("leads outside the brief's folder", ALLOWED)),
    ("symlinked-folder-out", _symlinked_folder_out, ("leads outside the brief's folder",)),
    ("symlink-to-proc", _symlink_to_proc, ("leads outside the brief's folder",)),
    ("fifo", _fifo, ("not a regular file",)),
    ("a-folder", _folder, ("not a regular file",)),
    ("missing", lambda f: "nope.png", ("no file 'nope.png'",)),
    ("text-named-png", _text_named_png, ("not a PNG, JPEG or WebP image",)),
    ("bomb", _bomb, ("bomb.png", "40,000,000 pixels")),
    ("http-url", lambda f: "http://169.254.169.254/latest/meta-data", ("only https:// URLs",)),
    ("file-url", lambda f: "file:///etc/passwd", ("only https:// URLs",)),
]


@pytest.mark.parametrize(("make", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_campaign_new_refuses_the_image_and_stores_nothing(
    home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], str],
    words: tuple[str, ...],
) -> None:
    folder = tmp_path / "brief"
    folder.mkdir()
    path = _brief(folder, [make(folder)])
    before = state_counts(home)
    assert main(["campaign", "new", "--brief", str(path), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("adloop: ") and "Traceback" not in err
    assert "brief.product_images.0" in err, err
    for word in words:
        assert word in err, err
    assert "AWS_SECRET" not in err and "PATH=" not in err, "the file's content is not echoed"
    assert state_counts(home) == before
    blobs = home / "blobs"
    assert not blobs.exists() or not any(p.is_file() for p in blobs.rglob("*"))


def test_a_good_image_after_a_bad_one_is_not_stored_either(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "brief"
    folder.mkdir()
    shutil.copy(EXAMPLES / "assets" / "glowdrop-bottle.png", folder / "ok.png")
    path = _brief(folder, ["ok.png", "../../etc/passwd"])
    assert main(["campaign", "new", "--brief", str(path)]) == 2
    assert "brief.product_images.1" in capsys.readouterr().err
    assert not (home / "blobs").exists()


def test_more_than_ten_images_are_refused(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _brief(tmp_path / "b", [f"https://cdn.example.com/{i}.png" for i in range(11)])
    assert main(["campaign", "new", "--brief", str(path)]) == 2
    assert "at most 10" in capsys.readouterr().err

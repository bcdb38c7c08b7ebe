"""How produced the designed videos look, measured on the renders themselves.

For each example brief (examples/*.yaml, *.json): five blueprints (the offline writer's), each
rendered as V1-V5 with the brief's facts; per video the layouts used, the product's area in its
hero scene (the product image found by template matching in a frame of that scene), the end card
read back by OCR (CTA and landing domain), the lowest text contrast measured on the frame's
pixels, and whether every text box lies in its aspect's safe zone; the same two for the
captions (found by drawing the captions alone, then measured in the frame); per campaign, how
many distinct layout sequences.

    .venv/bin/python bench/render_quality.py [--brief examples/glowdrop-serum.yaml] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gpu_jobs.captions import Aside, CaptionLook, build_ass, legible_highlight  # noqa: E402
from gpu_jobs.composite import load_bgra  # noqa: E402
from gpu_jobs.cutout import hero_image  # noqa: E402
from gpu_jobs.encoder import Encoder  # noqa: E402
from gpu_jobs.layouts import glyphs  # noqa: E402
from gpu_jobs.layouts.contrast import worst_ratio  # noqa: E402
from gpu_jobs.layouts.draw import font_file  # noqa: E402
from gpu_jobs.render import _highlight, render  # noqa: E402
from gpu_jobs.scenes import ProceduralScenes  # noqa: E402
from gpu_jobs.targets import Rect, safe_rect  # noqa: E402
from gpu_jobs.voice import EspeakVoice, WordTiming  # noqa: E402
from shared.creative.offline.writer import blueprint  # noqa: E402
from shared.models.brief import Brief  # noqa: E402
from shared.models.render import RenderSpec  # noqa: E402
from shared.render_design import facts_from_brief, spec_from_blueprint  # noqa: E402

X264 = Encoder("libx264")


def frame_at(video: Path, seconds: float) -> np.ndarray:
    """One decoded frame (BGR) at ``seconds``."""
    out = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-ss",
            f"{seconds:.3f}",
            "-i",
            str(video),
            "-frames:v",
            "1",
            "-f",
            "image2pipe",
            "-vcodec",
            "png",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    image = cv2.imdecode(np.frombuffer(out, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise RuntimeError(f"no frame at {seconds:.2f} s in {video}")
    return image


def product_area(frame: np.ndarray, product_path: Path) -> tuple[float, float]:
    """The product's share of the frame: its cut-out (or card) matched (normalised
    cross-correlation) over a range of scales; the best match's box and its visible pixels
    (the cut-out's alpha at that scale)."""
    product = hero_image(load_bgra(product_path, "product")).image
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    small = 0.25
    g = cv2.resize(gray, None, fx=small, fy=small, interpolation=cv2.INTER_AREA)
    tmpl_full = cv2.cvtColor(product[:, :, :3], cv2.COLOR_BGR2GRAY)
    mask_full = product[:, :, 3]
    fh, fw = frame.shape[:2]
    th, tw = tmpl_full.shape[:2]
    # scales by the product's long side against the frame's (a wide bar is short: scanning
    # heights alone never tried its size)
    by_width = tw / fw > th / fh
    found = []
    for share in np.linspace(0.95, 0.1, 44):
        if by_width:
            w = int(share * fw * small)
            h = int(w * th / tw)
        else:
            h = int(share * fh * small)
            w = int(h * tw / th)
        if not (4 < w < g.shape[1] and 4 < h < g.shape[0]):
            continue
        tmpl = cv2.resize(tmpl_full, (w, h), interpolation=cv2.INTER_AREA)
        mask = cv2.resize(mask_full, (w, h), interpolation=cv2.INTER_AREA)
        score = float(cv2.matchTemplate(g, tmpl, cv2.TM_CCORR_NORMED, mask=mask).max())
        solid = float((mask >= 128).sum())
        found.append((score, (w * h) / (small * small) / (fw * fh), solid / (small**2) / (fw * fh)))
    if not found or max(f[0] for f in found) <= 0.9:
        return 0.0, 0.0
    # a plain shape (a uniform bar) matches as well inside itself at smaller scales: of the
    # matches as good as the best, the largest is the product
    top = max(f[0] for f in found)
    _, box, pixels = max((f for f in found if f[0] >= top - 0.005), key=lambda f: f[1])
    return box, pixels


def product_at(frame: np.ndarray, product_path: Path, box: dict[str, int]) -> float:
    """How well the product shows where and as large as the design says (``box``, its own
    pixels' box): normalised cross-correlation of its cut-out at that size, within a few pixels
    of that place (a plain shape matches inside itself at smaller sizes, so a scan alone can
    misjudge a thin bottle or a bar; at a given size the backdrop round it must not match)."""
    product = hero_image(load_bgra(product_path, "product")).image
    w, h, slack = box["w"], box["h"], 6
    x0, y0 = max(0, box["x"] - slack), max(0, box["y"] - slack)
    region = frame[y0 : box["y"] + h + slack, x0 : box["x"] + w + slack]
    if region.shape[0] < h or region.shape[1] < w:
        return 0.0
    fitted = cv2.resize(product, (w, h), interpolation=cv2.INTER_AREA)
    tmpl = cv2.cvtColor(fitted[:, :, :3], cv2.COLOR_BGR2GRAY)
    gray = cv2.cvtColor(region, cv2.COLOR_BGR2GRAY)
    return float(cv2.matchTemplate(gray, tmpl, cv2.TM_CCORR_NORMED, mask=fitted[:, :, 3]).max())


def ocr(frame: np.ndarray, psm: int = 11) -> str:
    """tesseract's reading of the frame (as the caption tests read captions); ``psm`` its page
    segmentation: 11 sparse text (a whole frame), 6 a block, 7 one line (a button's label)."""
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        cv2.imwrite(f.name, gray)
        return subprocess.run(
            ["tesseract", f.name, "-", "--psm", str(psm)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def measured_contrast(frame: np.ndarray, box: dict[str, Any]) -> float:
    """The text colour against the rendered frame's pixels right around its letters: within a
    short reach of them but not the letters nor their anti-aliased, chroma-subsampled edges
    (letters grown by a few pixels). What is behind the letters is what they are read against;
    a pill button's or plate's rounded corners, far from any letter, are not."""
    r = box["rect"]
    inset = max(2, r["h"] // 10)
    x0, y0 = r["x"] + inset, r["y"] + inset
    region = frame[y0 : r["y"] + r["h"] - inset, x0 : r["x"] + r["w"] - inset]
    ink = np.array([int(box["color"][i : i + 2], 16) for i in (5, 3, 1)], np.float32)
    letters = (np.linalg.norm(region.astype(np.float32) - ink, axis=2) < 90).astype(np.uint8)
    # strokes, not the specks of a plate's anti-aliased rim that happen to be near the ink
    letters = cv2.morphologyEx(letters, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    edge = max(3, r["h"] // 25)
    near = cv2.dilate(letters, np.ones((2 * edge + 1, 2 * edge + 1), np.uint8)) > 0
    reach = edge + max(6, r["h"] // 12)
    around = cv2.dilate(letters, np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)) > 0
    behind = region[around & ~near]
    if len(behind) < 50:
        return 0.0
    return worst_ratio(box["color"], behind.reshape(-1, 1, 3))


def in_safe_zone(box: dict[str, Any], width: int, height: int) -> bool:
    s, r = safe_rect(width, height), box["rect"]
    return (
        s.x <= r["x"]
        and s.y <= r["y"]
        and r["x"] + r["w"] <= s.right
        and r["y"] + r["h"] <= s.bottom
    )


def captions_alone(
    ass: Path, width: int, height: int, seconds: float, ground: str, fps: int
) -> np.ndarray:
    """The captions of ``ass`` at ``seconds`` drawn by libass alone, on a plain ``ground``, at
    the video's frame rate (the spoken word pops over 90 ms: another frame, another size)."""
    out = subprocess.run(
        [
            "ffmpeg", "-v", "error", "-f", "lavfi",
            "-i", f"color=c={ground}:s={width}x{height}:r={fps}:d={seconds + 0.2:.3f}",
            "-vf", f"subtitles={ass}", "-ss", f"{seconds:.3f}", "-frames:v", "1",
            "-f", "image2pipe", "-vcodec", "png", "-",
        ],
        capture_output=True,
        check=True,
    ).stdout  # fmt: skip
    return cv2.imdecode(np.frombuffer(out, np.uint8), cv2.IMREAD_COLOR)


def _aside(design: dict[str, Any]) -> Aside | None:
    """The column the captions moved to beside a tall hero, as the manifest says."""
    column, window = design.get("captions_aside"), design.get("hero_window")
    if not column or not window:
        return None
    return Aside(window[0], window[1], Rect(**column))


def caption_check(
    video: Path, output: dict[str, Any], spec: RenderSpec, words: list[dict[str, Any]]
) -> dict[str, Any]:
    """Where the captions really are and how well they read, at three moments of speech: the
    captions drawn alone on black and on white give their extent (box and letters) and their
    letters; in the rendered frame, the letters' colours are measured against everything else
    inside that extent."""
    w, h = output["width"], output["height"]
    timings = [WordTiming(x["text"], x["start_s"], x["end_s"]) for x in words]
    if not timings or spec.captions.style == "none":
        return {"captions_in_safe_zone": None, "caption_contrast": None}
    # as gpu_jobs/render.py styles them (the bench's specs name an installed family)
    family = spec.brand.font
    look = CaptionLook(spec.captions.style, family, "#ffffff", _highlight(spec.brand.colors))
    primary = font_file(family)
    safe, ratios, inside = safe_rect(w, h), [], True
    with tempfile.TemporaryDirectory() as tmp:
        ass = Path(tmp) / "captions.ass"
        ass.write_text(
            build_ass(
                timings,
                w,
                h,
                look,
                aside=_aside(output["design"]),
                drawable=lambda t: glyphs.drawable(t, primary),
                font_path=primary,
            ),
            encoding="utf-8",
        )
        # three moments of speech, and the longest word's (a URL made a caption line wider
        # than the frame)
        longest = max(timings, key=lambda x: len(x.text))
        for word in [*(timings[int(f * (len(timings) - 1))] for f in (0.2, 0.5, 0.8)), longest]:
            # mid-frame, so the video and the captions alone show the same frame
            at = (int((word.start_s + word.end_s) / 2 * spec.fps) + 0.5) / spec.fps
            dark = captions_alone(ass, w, h, at, "black", spec.fps).astype(np.int16)
            light = captions_alone(ass, w, h, at, "white", spec.fps).astype(np.int16)
            drawn = (dark.max(axis=2) > 24) | (light.min(axis=2) < 231)
            ys, xs = np.nonzero(drawn)
            if not len(ys):
                continue
            r = Rect(int(xs.min()), int(ys.min()), int(np.ptp(xs)) + 1, int(np.ptp(ys)) + 1)
            inside &= safe.x <= r.x and safe.y <= r.y and r.right <= safe.right
            inside &= r.bottom <= safe.bottom
            letters = (dark.max(axis=2) > 110).astype(np.uint8)
            near = cv2.dilate(letters, np.ones((9, 9), np.uint8)) > 0
            # the box's anti-aliased rim, a pixel or two, is the box's edge, not its inside
            inner = cv2.erode(drawn.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
            frame = frame_at(video, at)
            behind = frame[inner & ~near]
            if len(behind) < 50:  # letters with an outline and no box: read against the scene
                grown = cv2.dilate(drawn.astype(np.uint8), np.ones((13, 13), np.uint8)) > 0
                behind = frame[grown & ~drawn]
            for color in {look.text_color, legible_highlight(look.highlight_color)}:
                ratios.append(worst_ratio(color, behind.reshape(-1, 1, 3)))
    return {
        "captions_in_safe_zone": inside,
        "caption_contrast": round(min(ratios), 2) if ratios else None,
    }


def measure(
    video: Path,
    output: dict[str, Any],
    product: Path | None,
    cta: str | None,
    domain: str | None,
    spec: RenderSpec | None = None,
    words: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Every figure of one rendered video (its manifest output entry describes the design; with
    its ``spec`` and spoken ``words``, the captions' figures too)."""
    d, w, h = output["design"], output["width"], output["height"]
    area = pixels = None
    verified = False
    if product is not None and d["hero_window"]:
        a, b = d["hero_window"]
        frame = frame_at(video, a + 0.75 * (b - a))
        box = d.get("hero_product")
        verified = box is not None and product_at(frame, product, box) > 0.9
        if verified:  # shown as declared: its box, and its pixels as the design counted them
            area, pixels = box["w"] * box["h"] / (w * h), d["hero_share"]
        else:
            area, pixels = product_area(frame, product)
    duration = max(s["end_s"] for s in d["slots"])
    last = frame_at(video, duration - 0.15)
    # the whole frame, then each end-card box on its own as a block and as a line: tesseract's
    # sparse-text segmentation skipped a plain black-on-orange button label in 4:5
    text = ocr(last) + "".join(
        ocr(_crop(last, b["rect"]), psm)
        for b in d["text_boxes"]
        if b["start_s"] >= d["end_card_start_s"] - 1e-3
        for psm in (6, 7)
    )
    ratios = []
    for box in d["text_boxes"]:
        at = box["start_s"] + 0.6 + 0.4 * max(0.0, box["end_s"] - box["start_s"] - 1.2)
        ratios.append(measured_contrast(frame_at(video, min(at, box["end_s"] - 0.3)), box))
    return {
        "layouts": d["layouts"],
        "hero_area": round(area, 3) if area is not None else None,
        "hero_pixels": round(pixels, 3) if pixels is not None else None,
        # what the design declared: how the product was shown, its visible pixels' share and
        # the hero's (a stage behind a product too thin or wide to hold 15 % alone)
        "hero_presentation": d.get("hero_presentation"),
        "hero_verified": verified,  # found in the frame where and as large as declared
        "hero_declared": d.get("hero_share"),
        "hero_cover": d.get("hero_cover"),
        "end_card_cta": bool(cta) and _read(cta, text),
        "end_card_domain": bool(domain) and _read(domain, text),
        "min_contrast": round(min(ratios), 2) if ratios else None,
        "in_safe_zone": all(in_safe_zone(b, w, h) for b in d["text_boxes"]),
        **(caption_check(video, output, spec, words) if spec and words is not None else {}),
        "warnings": d.get("warnings", []),
    }


def _crop(frame: np.ndarray, rect: dict[str, int], pad: int = 12) -> np.ndarray:
    y0, x0 = max(0, rect["y"] - pad), max(0, rect["x"] - pad)
    return frame[y0 : rect["y"] + rect["h"] + pad, x0 : rect["x"] + rect["w"] + pad]


def _read(expected: str, text: str) -> bool:
    """Whether OCR read ``expected``: compared as Unicode (NFKC, casefolded), letters and
    digits of any script, so 'münchen-café.example' counts as read when it is."""

    def norm(s: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKC", s).casefold() if c.isalnum())

    return norm(expected) in norm(text)


def campaign_specs(brief_path: Path, folder: Path, targets: list[str]) -> list[RenderSpec]:
    """V1-V5 for one example brief: the offline writer's first five blueprints (English)."""
    raw = yaml.safe_load(brief_path.read_text())
    images = [brief_path.parent / p for p in raw.pop("product_images", [])]
    brief = Brief.model_validate(raw)
    names = []
    for i, image in enumerate(images[:1]):
        (folder / f"product-{i}.png").write_bytes(image.read_bytes())
        names.append(f"product-{i}.png")
    data = brief.model_dump(mode="json")
    specs = []
    for v in range(5):
        bp = blueprint({**data, "languages": ["en"]}, {"id": "a1", "segment": "s"}, v + 1)
        facts = facts_from_brief(brief, cta=bp["cta"], language=bp["language"])
        specs.append(
            spec_from_blueprint(
                video_id=f"V{v + 1}",
                variant=v,
                scenes=bp["scenes"],
                voiceover=bp["voiceover"],
                facts=facts,
                language=bp["language"],
                brand_colors=list(brief.brand_colors),
                product_images=names,
                targets=targets,
                logo=None,  # as the pipeline renders a brand without a logo: its name
                prompt=brief.product,
            )
        )
    return specs


def run(brief_path: Path, out: Path, targets: list[str]) -> dict[str, Any]:
    folder = out / brief_path.stem
    folder.mkdir(parents=True, exist_ok=True)
    videos = []
    for spec in campaign_specs(brief_path, folder, targets):
        manifest = render(
            spec,
            folder,
            folder / spec.video_id,
            voice=EspeakVoice(),
            video_gen=ProceduralScenes(),
            encoder=X264,
        )
        assert spec.design is not None
        facts = spec.design.facts
        product = folder / spec.product_images[0] if spec.product_images else None
        for o in manifest["outputs"]:
            video = folder / spec.video_id / o["video"]
            m = measure(video, o, product, facts.cta, facts.domain, spec, manifest["words"])
            videos.append(
                {
                    "video": spec.video_id,
                    "target": o["target"],
                    **m,
                    "sheet": str(folder / spec.video_id / o["contact_sheet"]),
                }
            )
    sequences = {tuple(v["layouts"]) for v in videos}
    return {"brief": brief_path.name, "videos": videos, "distinct_sequences": len(sequences)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--brief", type=Path, action="append")
    parser.add_argument("--targets", default="9:16")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    briefs = args.brief or sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("examples/*.json")])
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        for b in briefs:
            result = run(b, out, args.targets.split(","))
            print(f"{result['brief']}: {result['distinct_sequences']} distinct layout sequences")
            for v in result["videos"]:
                print("  " + json.dumps({k: v[k] for k in v if k != "sheet"}))


if __name__ == "__main__":
    main()

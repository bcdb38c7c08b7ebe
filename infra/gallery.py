"""The review gallery: what Slack would show, as one HTML page on disk (the embedded default's
chat). Pure rendering from the campaign's state; the videos are copied beside the page."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from shared.services import Services


@cache
def _template(name: str = "gallery.html.j2") -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("infra", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template(name)


def render_gallery(
    view: dict[str, Any],
    *,
    audit: list[dict[str, Any]],
    bar: float,
    threshold: float,
    videos: dict[str, list[dict[str, str]]],
    performance: bool = False,
) -> str:
    """The page for a campaign view (``campaign_view``) with ``videos`` by video id."""
    creatives = [
        {**c, "videos": videos.get(c.get("video_id") or "", [])} for c in view["creatives"]
    ]
    offline = any(c.get("provider") == "offline" for c in view["creatives"])
    return _template().render(
        c=view,
        creatives=creatives,
        blueprints=view.get("blueprints", []),
        audit=audit,
        bar=bar,
        threshold=threshold,
        offline=offline,
        performance=performance,
    )


def write_gallery(services: Services, view: dict[str, Any], out: Path) -> Path:
    """Write ``index.html`` and the rendered assets it shows under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    videos = _copy_videos(services, view, out)
    audit = [
        d.data
        for d in services.documents.query(
            "audit", [("campaign_id", "==", view["id"])], order_by="at"
        )
    ]
    settings = services.settings
    has_data = bool(
        services.documents.query("performance", [("campaign_id", "==", view["id"])], limit=1)
    )
    page = render_gallery(
        view,
        audit=audit,
        bar=settings.brand_bar,
        threshold=settings.judge_threshold,
        videos=videos,
        performance=has_data,
    )
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    if has_data:
        _write_performance(services, view, out)
    return index


def _write_performance(services: Services, view: dict[str, Any], out: Path) -> None:
    """Once the ad platforms have reported on this campaign: a page with the chart and table."""
    from shared.loop.report import build_report

    report = build_report(services, view["id"])
    (out / "performance.png").write_bytes(report.png_bytes)
    page = _template("performance.html.j2").render(
        product=view["brief"]["product"], text=report.text
    )
    (out / "performance.html").write_text(page, encoding="utf-8")


def _copy_videos(
    services: Services, view: dict[str, Any], out: Path
) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for video in view.get("videos", []):
        entries = []
        for aspect, asset in sorted((video.get("assets") or {}).items()):
            entry = {"aspect": aspect.replace("x", ":")}
            for key in ("video", "poster", "sheet"):
                path = asset.get(key)
                if path and services.blobs.exists(path):
                    target = out / "media" / Path(path).name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(services.blobs.get(path))
                    entry["src" if key == "video" else key] = f"media/{target.name}"
            if "src" in entry:
                entries.append(entry)
        found[video["id"]] = entries
    return found

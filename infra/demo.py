"""``adloop demo``: one campaign from an example brief to a finished review gallery, on this
machine, with no keys: the offline engine writes, the render job renders, the gallery shows."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from infra.briefs import load_brief
from infra.gallery import write_gallery
from infra.runtime import LocalRuntime
from shared.errors import BadInput
from shared.pipeline import store
from shared.pipeline.campaigns import campaign_view, start_campaign, with_live_progress
from shared.pipeline.flow import FLOW
from shared.settings import Settings

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DEFAULT_BRIEF = EXAMPLES / "glowdrop-serum.yaml"
ALL_ASPECTS = ["9:16", "1:1", "4:5", "16:9"]


def run_demo(
    settings: Settings, *, brief_path: Path | None, out: Path | None, all_aspects: bool
) -> int:
    console = Console(stderr=True)
    brief_path = brief_path or DEFAULT_BRIEF
    if not brief_path.exists():
        raise BadInput(f"no brief at {brief_path}; pass --brief FILE")
    loaded = load_brief(brief_path)
    brief = loaded.brief
    settings = settings.model_copy(
        update={
            "render": True,
            "render_targets": ALL_ASPECTS if all_aspects else ["9:16"],
            "llm": settings.llm,
        }
    )
    out = (out or Path("adloop-demo")).resolve()
    console.print(
        f"[bold]adloop demo[/] · {brief.product} · {settings.llm} engine · "
        f"state in {settings.home_dir}"
    )
    started = time.perf_counter()
    with LocalRuntime(settings) as rt:
        campaign = start_campaign(rt.services, brief, images=loaded.images)
        doc = _follow(rt, campaign.id, console)
        view = campaign_view(rt.services, campaign.id)
        index = write_gallery(rt.services, view, out)
    _summary(console, view, time.perf_counter() - started)
    if doc.get("status") != "complete":
        console.print(f"[red]campaign failed:[/] {doc.get('error')}")
        console.print(f"resume it with: adloop campaign retry {campaign.id}")
        return 1
    console.print(f"\n[green]Gallery:[/] {index}\n  open it in a browser: file://{index}")
    return 0


def _stages(rt: LocalRuntime, campaign_id: str) -> list[tuple[str, int]]:
    """A progress bar per step the flow shows and this runtime runs, with how many items it
    counts (one, or what it runs once per: creatives, variations, videos)."""
    campaign = store.load_campaign(rt.services.documents, campaign_id)
    if campaign is None:
        return []
    rows = []
    for name in FLOW.shown:
        spec = FLOW.spec(name)
        if not FLOW.runs_here(name, rt.settings):
            continue
        total = spec.each.expected(campaign) if spec.each is not None else 1
        if total:
            rows.append((name, total))
    return rows


def _follow(rt: LocalRuntime, campaign_id: str, console: Console) -> dict[str, Any]:
    columns = (
        TextColumn("{task.description:<10}"),
        BarColumn(),
        TextColumn("{task.completed:>3.0f}/{task.total:.0f}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        bars = {
            name: progress.add_task(name, total=total) for name, total in _stages(rt, campaign_id)
        }
        while True:
            doc = rt.services.documents.get(store.campaign_path(campaign_id)) or {}
            live = with_live_progress(rt.services, doc) if doc else {}
            for name, state in (live.get("steps") or {}).items():
                if name in bars:
                    done = state.get("done") or (
                        bars and progress.tasks[bars[name]].total
                        if state.get("status") == "done"
                        else 0
                    )
                    progress.update(bars[name], completed=done)
            if doc.get("status") in ("complete", "failed"):
                return doc
            time.sleep(0.2)


def _summary(console: Console, view: dict[str, Any], seconds: float) -> None:
    table = Table(title=f"campaign {view['id']}: {view['status']} in {seconds:.1f} s")
    for col in ("step", "status", "work s (summed over items)"):
        table.add_column(col)
    for name, state in (view.get("steps") or {}).items():
        table.add_row(name, state.get("status", ""), f"{state.get('seconds', 0):.2f}")
    console.print(table)
    for c in view.get("creatives", []):
        s = c.get("scores") or {}
        console.print(
            f"  {c['label']} {c['funnel_stage']:<10} {c['language']} "
            f"judge {s.get('judge')}  {c['headline']}"
        )

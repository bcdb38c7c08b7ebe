"""``/adloop report`` and the daily digest: what is winning, as a text table and a PNG chart."""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from shared.loop.metrics import Dataset, Totals, by_dimension, load
from shared.services import Services

TOP = 10


@dataclass(frozen=True)
class Report:
    text: str
    png_bytes: bytes


def build_report(services: Services, campaign_id: str | None = None) -> Report:
    """The report for one campaign, or for everything when ``campaign_id`` is None."""
    data = load(services, campaign_id)
    unmatched = len(services.documents.query("unmatched"))
    return Report(report_text(data, campaign_id, unmatched), report_png(data))


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v * 100:.2f}%"


def _money(v: float | None) -> str:
    return "-" if v is None else f"{v:,.2f}"


def _count(v: float) -> str:
    """A count that may be fractional (Google's conversions): 2 as "2", 1.5 as "1.5"."""
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _row(name: str, t: Totals, verdict: str = "") -> str:
    return (
        f"{name[:28]:<28} {t.impressions:>9,} {_pct(t.ctr):>7} {_money(t.cpc):>6} "
        f"{_money(t.cpm):>7} {_money(t.spend):>9} {_count(t.conversions):>7} "
        f"{_money(t.cpa):>7} {_money(t.revenue):>10} "
        f"{_money(t.roas):>5} {_pct(t.thumb_stop):>7} {_pct(t.hold_rate):>7} {verdict}"
    )


HEADER = (
    f"{'':<28} {'impr':>9} {'CTR':>7} {'CPC':>6} {'CPM':>7} {'spend':>9} {'conv':>7} "
    f"{'CPA':>7} {'revenue':>10} {'ROAS':>5} {'thumb':>7} {'hold':>7}"
)


def report_text(data: Dataset, campaign_id: str | None, unmatched: int) -> str:
    """The tables: top creatives, then angles, hooks, stages and languages by ROAS (pure)."""
    scope = f"campaign {campaign_id}" if campaign_id else "all campaigns"
    if not data.snapshots:
        return f"adloop report, {scope}: no performance data yet ({unmatched} unmatched rows)."
    dims = by_dimension(data)
    lines = [
        f"adloop report, {scope}: {len(data.snapshots)} daily snapshots, "
        f"{unmatched} unmatched rows kept aside"
    ]
    for dim, title in (
        ("creative", "Creatives"),
        ("angle", "Angles"),
        ("hook", "Hook types"),
        ("stage", "Funnel stages"),
        ("language", "Languages"),
    ):
        lines += ["", f"{title} by ROAS", HEADER]
        ranked = sorted(dims[dim].items(), key=lambda kv: -(kv[1].roas or 0.0))[:TOP]
        for name, t in ranked:
            verdict = ""
            if dim == "creative":
                verdict = str(
                    (data.items.get(name, {}).get("performance") or {}).get("verdict", "")
                )
            lines.append(_row(name, t, verdict))
    return "\n".join(lines)


def report_png(data: Dataset) -> bytes:
    """Bar charts of ROAS by angle and by hook type, spend as the bar label (pure)."""
    dims = by_dimension(data)
    fig = Figure(figsize=(10, 4.5), dpi=100)
    FigureCanvasAgg(fig)
    for i, (dim, title) in enumerate((("angle", "ROAS by angle"), ("hook", "ROAS by hook type"))):
        ax = fig.add_subplot(1, 2, i + 1)
        ranked = sorted(dims[dim].items(), key=lambda kv: kv[1].roas or 0.0)[-TOP:]
        names = [n for n, _ in ranked] or ["(no data)"]
        values = [t.roas or 0.0 for _, t in ranked] or [0.0]
        bars = ax.barh(names, values, color="#2a9d8f")
        ax.bar_label(
            bars, labels=[f"${t.spend:,.0f}" for _, t in ranked] or [""], fontsize=7, padding=2
        )
        ax.set_title(title)
        ax.set_xlabel("ROAS (revenue / spend)")
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()

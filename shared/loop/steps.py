"""The feedback loop's queue steps (``feedback`` queue), declared in ``shared/pipeline/flow.py``:

* ``loop_meta_report`` — pull a finished Marketing API report and ingest it;
* ``loop_learn`` — judge a campaign's creatives and rebuild the pattern library.

Both are idempotent: ingesting is an upsert, and learning recomputes from every snapshot.
"""

from __future__ import annotations

from shared.loop.ingest import ingest_rows, normalise
from shared.loop.metrics import load
from shared.loop.patterns import build_patterns, pattern_writes
from shared.loop.winners import Verdict, judge_each_campaign, record_findings
from shared.pipeline import store
from shared.pipeline.runner import Item, StepContext, StepResult
from shared.ports.ad_reports import MetaInsights
from shared.ports.chat import Posted
from shared.ports.queue import Task
from shared.services import Services
from shared.settings import Settings

META_REPORT_STEP = "loop_meta_report"


def request_meta_report(
    services: Services,
    client: MetaInsights,
    campaign_id: str,
    account_id: str,
    *,
    since: str,
    until: str,
) -> str:
    """Ask Meta for the campaign's ad-level daily report and remember who asked, so the
    completion webhook knows which campaign to pull it for. Returns the report_run_id."""
    rid = client.request_report(
        account_id, since=since, until=until, campaign_name=f"adloop {campaign_id}"
    )
    services.documents.set(
        f"meta_reports/{rid}",
        {
            "campaign_id": campaign_id,
            "account_id": account_id,
            "since": since,
            "until": until,
            "requested_at": services.clock().isoformat(),
        },
    )
    return rid


def loop_meta_report(ctx: StepContext, task: Task) -> StepResult:
    """Payload: report_run_id. Read every page, ingest; returns the campaigns it had rows for
    (the flow has each learn from it)."""
    rid = str(task.payload["report_run_id"])
    rows = normalise("meta", list(ctx.services.meta_insights().insights(rid)))
    result = ingest_rows(ctx.services, rows, source=f"meta-report:{rid}")
    return StepResult(
        items=[Item(f"meta-{rid}", campaign_id=cid) for cid in sorted(result.campaigns)],
        campaign={
            "loop": {"last_report": rid, "stored": result.stored, "unmatched": result.unmatched}
        },
    )


def learn(services: Services, campaign_id: str) -> list[Verdict]:
    """Judge ``campaign_id``'s creatives, record the findings on them, and rebuild the pattern
    library from every campaign's data. Returns the campaign's verdicts (for the Slack thread)."""
    data = load(services)
    verdicts = judge_each_campaign(data)
    mine = [v for v in verdicts if v.campaign_id == campaign_id]
    record_findings(services, mine)
    for path, doc in pattern_writes(build_patterns(data, verdicts)).items():
        services.documents.set(path, doc)
    return mine


def loop_learn(ctx: StepContext, task: Task) -> StepResult:
    verdicts = learn(ctx.services, task.campaign_id)
    counts = {k: sum(v.verdict == k for v in verdicts) for k in ("winner", "loser", "undecided")}
    _post_verdicts(ctx, task, verdicts)
    return StepResult(campaign={"performance": counts})


# The tag a finding suggests; a reviewer confirms it with the reaction.
SUGGESTED = {"winner": ("Winner", ":trophy:"), "loser": ("Needs Revision", ":pencil2:")}


def verdict_note(v: Verdict) -> str:
    """The finding as a reviewer reads it in the creative's thread."""
    tag, emoji = SUGGESTED[v.verdict]
    lines = [f"*{v.label} looks like a {v.verdict}* on performance so far:"]
    for f in v.findings:
        if f.verdict == v.verdict:
            value = "-" if f.value is None else f"{f.value:.4g}"
            lines.append(
                f"• {f.metric.upper()} {value}: {f.p_beats_best:.0%} chance of beating {f.best}"
            )
    lines.append(f"Suggested tag: {tag}. A reviewer confirms it with {emoji}.")
    return "\n".join(lines)


def _post_verdicts(ctx: StepContext, task: Task, verdicts: list[Verdict]) -> None:
    """Each decided verdict in its creative's Slack thread, once (the post key is the task's)."""
    chat, channel = ctx.services.chat, ctx.campaign.slack_channel
    if chat is None or not channel:
        return
    for v in verdicts:
        if v.verdict not in SUGGESTED:
            continue
        creative = store.load_creative(ctx.services.documents, task.campaign_id, v.label)
        if creative is None or not creative.slack_ts:
            continue
        key = f"{task.name}:{v.label}:{v.verdict}"
        if chat.find_posted(channel, key, oldest=0, thread_ts=creative.slack_ts) is None:
            chat.post_note(Posted(channel, creative.slack_ts), verdict_note(v), key=key)


def pull_recent_insights(services: Services, settings: Settings, *, days: int = 30) -> int:
    """Ask Meta for yesterday's report of every campaign completed in the last ``days`` days
    (the scheduler's daily pull). Returns how many reports were requested."""
    from datetime import timedelta

    if not settings.meta_ad_account_id or settings.meta_access_token is None:
        return 0
    client = services.meta_insights()
    today = services.clock().date()
    since = (today - timedelta(days=1)).isoformat()
    oldest = (today - timedelta(days=days)).isoformat()
    requested = 0
    for doc in services.documents.query(store.CAMPAIGNS, [("completed_at", ">=", oldest)]):
        request_meta_report(
            services, client, doc.id, settings.meta_ad_account_id, since=since, until=since
        )
        requested += 1
    return requested

"""The feedback loop's queue steps (``feedback`` queue), declared in ``shared/pipeline/flow.py``:

* ``loop_meta_report`` — check a requested Marketing API report's run; once done, read and
  ingest it (a running one queues its own later re-check);
* ``loop_learn`` — judge a campaign's creatives and rebuild the pattern library.

Both are idempotent: ingesting is an upsert, a report's record says when it is finished (a second
check of it does nothing), re-checks are named by their number (queued twice, kept once), and
learning recomputes from every snapshot.
"""

from __future__ import annotations

from shared.errors import BadInput
from shared.loop.ingest import ingest_report
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
# Days each pull reads again: Meta counts a purchase on the day of the ad's click up to 7 days
# later (its default attribution setting, 7-day click and 1-day view: action_attribution_windows,
# developers.facebook.com/docs/marketing-api/insights/parameters), so the last 7 days change.
RESTATED_DAYS = 7
# Re-checks of a running report: the first after ADLOOP_META_REPORT_POLL_S, then twice as long
# each time up to _POLL_CAP_S; after _MAX_POLLS (about a day) the run is given up like a failed
# one and the next daily pull asks again.
_POLL_CAP_S = 1800.0
_MAX_POLLS = 60


def report_path(rid: str) -> str:
    return f"meta_reports/{rid}"


def poll_task(campaign_id: str, rid: str, poll: int = 0) -> Task:
    """The task that checks report ``rid``; the first check is named by the report alone, so the
    daily pull's and a webhook hint's are the same task (the queue keeps one)."""
    key = rid if poll == 0 else f"{rid}.poll{poll}"
    payload: dict[str, object] = {"report_run_id": rid}
    if poll:
        payload["poll"] = poll
    return Task(campaign_id, META_REPORT_STEP, key, payload, queue="feedback")


def request_meta_report(
    services: Services,
    client: MetaInsights,
    campaign_id: str,
    account_id: str,
    *,
    since: str,
    until: str,
) -> str:
    """Ask Meta for the campaign's ad-level daily report, remember it (``meta_reports/{id}``),
    and queue the first check of its run. Returns the report_run_id."""
    rid = client.request_report(
        account_id, since=since, until=until, campaign_name=f"adloop {campaign_id}"
    )
    services.documents.set(
        report_path(rid),
        {
            "campaign_id": campaign_id,
            "account_id": account_id,
            "since": since,
            "until": until,
            "status": "requested",
            "requested_at": services.clock().isoformat(),
        },
    )
    services.queue.enqueue(
        poll_task(campaign_id, rid), delay_s=services.settings.meta_report_poll_s
    )
    return rid


def loop_meta_report(ctx: StepContext, task: Task) -> StepResult:
    """Payload: report_run_id (and poll, the re-check's number). Check the report's run once:
    done, read every page and ingest (returning the campaigns it had rows for, which the flow
    has learn from it); failed or skipped, say so on its record (the next daily pull asks
    again); still running, queue a later re-check and return, so no delivery waits on Meta."""
    rid, poll = str(task.payload["report_run_id"]), int(task.payload.get("poll") or 0)
    docs, client = ctx.services.documents, ctx.services.meta_insights()
    record = docs.get(report_path(rid))
    if record is None:
        raise BadInput(f"Meta report {rid} is not one adloop asked for")
    if record.get("status") in ("ingested", "failed"):
        return StepResult(record=False)  # another check of the same run finished it
    run = client.report_status(rid)
    state = {"async_status": run.status, "percent": run.percent, "polls": poll + 1}
    if run.given_up or (not run.done and poll + 1 >= _MAX_POLLS):
        reason = run.status if run.given_up else f"still {run.status} after {poll + 1} checks"
        docs.set(report_path(rid), {**record, **state, "status": "failed", "reason": reason})
        return StepResult(record=False)
    if not run.done:
        docs.set(report_path(rid), {**record, **state, "status": "running"})
        wait = min(_POLL_CAP_S, ctx.services.settings.meta_report_poll_s * 2 ** (poll + 1))
        ctx.services.queue.enqueue(poll_task(task.campaign_id, rid, poll + 1), delay_s=wait)
        return StepResult(record=False)
    result = ingest_report(
        ctx.services, "meta", list(client.insights(rid)), source=f"meta-report:{rid}"
    )
    summary = {
        "stored": result.stored,
        "unchanged": result.unchanged,
        "unmatched": result.unmatched,
        "rejected": result.rejected,
    }
    docs.set(report_path(rid), {**record, **state, **summary, "status": "ingested"})
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
    """The scheduler's daily pull: ask Meta for the last ``RESTATED_DAYS`` days of every
    campaign completed in the last ``days`` days (Meta keeps attributing conversions to past
    days, so a day is read again and its figures replaced), and again for every report whose
    run failed. Each request queues its own polling. Returns how many reports were requested."""
    from datetime import timedelta

    if not settings.meta_ad_account_id or settings.meta_access_token is None:
        return 0
    client, account = services.meta_insights(), settings.meta_ad_account_id
    today = services.clock().date()
    since = (today - timedelta(days=RESTATED_DAYS)).isoformat()
    until = (today - timedelta(days=1)).isoformat()
    oldest = (today - timedelta(days=days)).isoformat()
    requested = 0
    for doc in services.documents.query(store.CAMPAIGNS, [("completed_at", ">=", oldest)]):
        request_meta_report(services, client, doc.id, account, since=since, until=until)
        requested += 1
    for doc in services.documents.query("meta_reports", [("status", "==", "failed")]):
        old = doc.data
        rid = request_meta_report(
            services,
            client,
            str(old["campaign_id"]),
            account,
            since=old["since"],
            until=old["until"],
        )
        services.documents.set(
            f"meta_reports/{doc.id}", {**old, "status": "retried", "retried_as": rid}
        )
        requested += 1
    return requested

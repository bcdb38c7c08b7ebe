"""``/adloop`` subcommands: start, status, report, retry, brand, help. Each answers with text
the user alone sees (the slash command's ephemeral reply); all real work goes to the task queue.

The command's text arrives in Slack's encoding (``&amp;``, ``<https://…>``) and is decoded once, by
:func:`shared.chat_text.from_slack`, before anything reads it. Replies are Slack mrkdwn: whatever
a person or a model wrote (product, headline, errors that quote input) is escaped by
:func:`shared.chat_text.escape`, and the reply is cut to Slack's size."""

from __future__ import annotations

from typing import Any

from bot import brand_form
from bot.brief_text import USAGE, parse_brief
from shared.adapters.slack_limits import MESSAGE_TEXT_BUDGET
from shared.brands import LOCAL
from shared.chat_text import cut, escape, from_slack
from shared.errors import AdloopError, NotFound
from shared.loop.metrics import Totals, load
from shared.models.brief import Brief
from shared.models.campaign import Campaign
from shared.pipeline import store
from shared.pipeline.campaigns import (
    get_campaign,
    new_campaign_id,
    retry_campaign,
    start_campaign,
    with_live_progress,
)
from shared.pipeline.flow import FLOW
from shared.ports.queue import Task
from shared.services import Services

HELP = "\n".join(
    [
        "*adloop* — ad creatives from a brief, reviewed here.",
        "• `/adloop new` — a form for the brief",
        f"• {USAGE}",
        "• `/adloop status [campaign]` — how far a campaign got (this channel's latest by default)",
        "• `/adloop report [campaign]` — tags, predicted winners and, once ads run, performance",
        "• `/adloop retry [campaign]` — resume a failed campaign where it stopped",
        "• `/adloop brand` — this workspace's brands; `/adloop brand NAME` edits one (voice, "
        "avoid, proof, colours, landing domain)",
        "On a creative: react :memo: Draft, :test_tube: Testing, :pencil2: Needs Revision, "
        ":white_check_mark: Approved, :trophy: Winner (reviewers only for the last two); "
        "reply in its thread to get it rewritten with your feedback.",
    ]
)


def split(text: str) -> tuple[str, str]:
    """``"new product: x"`` -> (``"new"``, ``"product: x"``)."""
    head, _, rest = (text or "").strip().partition(" ")
    return head.lower(), rest.strip()


def start_from_slack(
    services: Services,
    brief: Brief,
    *,
    request_id: str,
    channel: str,
    workspace: str = "",
    brand_id: str | None = None,
) -> Campaign:
    """Start a campaign posted in ``channel``; the same ``request_id`` never starts two. Its
    brand kit is the ``workspace``'s (the Slack team id): ``brand_id`` when one was chosen, else
    the one the brief's brand name finds or makes."""
    return start_campaign(
        services,
        brief,
        campaign_id=new_campaign_id(request_id),
        slack_channel=channel,
        workspace=workspace or LOCAL,
        brand_id=brand_id,
    )


def run(services: Services, command: dict[str, Any]) -> str:
    """The reply to one ``/adloop …`` (everything but the bare ``new``, which opens the form)."""
    return cut(_run(services, command), MESSAGE_TEXT_BUDGET)


def _run(services: Services, command: dict[str, Any]) -> str:
    sub, rest = split(from_slack(str(command.get("text") or "")))
    channel = str(command.get("channel_id") or "")
    try:
        if sub == "new":
            return _new(
                services,
                rest,
                request_id=str(command.get("trigger_id")),
                channel=channel,
                workspace=str(command.get("team_id") or ""),
            )
        team = str(command.get("team_id") or "")
        if sub == "status":
            return status_text(services, _campaign(services, rest, channel, team))
        if sub == "report":
            return report_text(services, _campaign(services, rest, channel, team))
        if sub == "retry":
            return _retry(services, _campaign(services, rest, channel, team))
        if sub == "brand":
            # `/adloop brand NAME` opens its form (bot/brand_form.py); this is the list.
            return brand_form.brands_text(services, str(command.get("team_id") or ""))
    except AdloopError as e:
        return f":warning: {escape(str(e))}"
    if sub in ("", "help"):
        return HELP
    return f"I don't know `/adloop {escape(sub)}`.\n{HELP}"


def _new(services: Services, text: str, *, request_id: str, channel: str, workspace: str) -> str:
    brief, problems = parse_brief(text)
    if brief is None:
        return f"That brief needs fixing:\n```{escape(problems)}```\nTry {USAGE}"
    campaign = start_from_slack(
        services, brief, request_id=request_id, channel=channel, workspace=workspace
    )
    product = escape(brief.product)
    return f"Started campaign `{campaign.id}` for *{product}*; its progress shows in this channel."


def _campaign(services: Services, given: str, channel: str, team: str) -> Campaign:
    """The campaign named, or this channel's latest; only this workspace's (or one started
    outside Slack, posted to the operations channel): another workspace's is "not found"."""
    if given:
        campaign = get_campaign(services, given.split()[0])
        if team and campaign.workspace not in (team, LOCAL):
            raise NotFound(
                f"no campaign {given.split()[0]!r}; `adloop campaign list` shows the ids"
            )
        return campaign
    docs = [
        d
        for d in services.documents.query(
            store.CAMPAIGNS, [("slack_channel", "==", channel)], order_by="created_at"
        )
        if not team or d.data.get("workspace", LOCAL) in (team, LOCAL)  # a shared channel
    ]
    if not docs:
        raise NotFound("no campaign was started in this channel; name one: `/adloop status c123…`")
    return Campaign.model_validate(docs[-1].data)


def _retry(services: Services, campaign: Campaign) -> str:
    tasks = retry_campaign(services, campaign.id)
    attempt = max(t.attempt for t in tasks)
    services.queue.enqueue(Task(campaign.id, "progress", f"r{attempt}.0", queue="feedback"))
    steps = ", ".join(sorted({t.step for t in tasks}))
    return f"Retrying campaign `{campaign.id}` from step *{steps}*."


def status_text(services: Services, campaign: Campaign) -> str:
    product = escape(campaign.brief.product)
    lines = [f"Campaign `{campaign.id}` for *{product}*: *{campaign.status}*"]
    live = with_live_progress(services, campaign.model_dump(mode="json"))
    for name, state in Campaign.model_validate(live).steps.items():
        if name not in FLOW.shown:  # review, loop and Slack bookkeeping: no line
            continue
        count = f" {state.done}/{state.total}" if state.total else ""
        lines.append(
            f"• {name}: {state.status}{count}"
            + (f" — {escape(state.error)}" if state.error else "")
        )
    if campaign.error:
        error = escape(campaign.error)
        lines.append(f":warning: {error} — `/adloop retry {campaign.id}` resumes it")
    return "\n".join(lines)


def report_text(services: Services, campaign: Campaign) -> str:
    creatives = store.creative_docs(services.documents, campaign.id)
    if not creatives:
        return f"Campaign `{campaign.id}` has no creatives yet ({campaign.status})."
    tags: dict[str, int] = {}
    for c in creatives:
        tags[c.get("tag", "Draft")] = tags.get(c.get("tag", "Draft"), 0) + 1
    ranked = sorted(creatives, key=lambda c: (c.get("scores") or {}).get("rank") or 999)
    lines = [
        f"Campaign `{campaign.id}` for *{escape(campaign.brief.product)}*",
        "Tags: " + ", ".join(f"{t} {n}" for t, n in sorted(tags.items())),
        "Predicted best:",
    ]
    for c in ranked[:3]:
        s = c.get("scores") or {}
        roas = (
            f"ROAS {s['predicted_roas']:.2f}×"
            if s.get("predicted_roas") is not None
            else "not ranked yet"
        )
        lines.append(
            f"• {c['label']} ({c['funnel_stage']}, {escape(str(c['language']))}): "
            f"{escape(str(c['headline']))} — {roas}"
        )
    lines.append(_performance(services, campaign.id))
    return "\n".join(lines)


def _performance(services: Services, campaign_id: str) -> str:
    """The campaign's ingested performance: totals, and its best creative by ROAS so far."""
    data = load(services, campaign_id)
    if not data.snapshots:
        return "No performance data yet: performance reporting arrives with the feedback loop."
    per_creative = data.per_creative()
    t = sum(per_creative.values(), Totals())
    roas = f"{t.roas:.2f}×" if t.roas is not None else "n/a"
    lines = [
        f"Performance ({len(data.snapshots)} ad-days): {t.impressions:,} impressions, "
        f"{t.clicks:,} clicks, spend {t.spend:,.2f}, {t.conversions:,.4g} conversions, "
        f"revenue {t.revenue:,.2f}, ROAS {roas}."
    ]
    best = max(per_creative.items(), key=lambda kv: kv[1].roas or 0.0)
    if best[1].roas:
        lines.append(f"Best so far: {best[0].split('/')[-1]}, ROAS {best[1].roas:.2f}×.")
    return "\n".join(lines)

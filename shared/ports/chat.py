"""Chat: where people review a campaign (Slack in production; a review gallery on disk later).

The port speaks in cards — what a campaign or a creative shows — not in any chat product's
layout, so each adapter lays them out its own way (Slack blocks, an HTML page). Every post carries
a ``key`` the adapter stores with the message, so a step that may have posted before it crashed
can look the message up (:meth:`Chat.find_posted`) instead of posting it twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Posted:
    """Where a message lives: its channel and its id there (Slack's ``ts``)."""

    channel: str
    ts: str


@dataclass(frozen=True)
class StepLine:
    name: str
    status: str  # pending | running | done | failed
    done: int = 0
    total: int = 0
    error: str | None = None


@dataclass(frozen=True)
class CampaignCard:
    """The campaign message: what was asked and how far the pipeline got."""

    campaign_id: str
    product: str
    status: str  # running | complete | failed
    steps: tuple[StepLine, ...] = ()
    creatives: int = 0
    error: str | None = None
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class CreativeCard:
    """One creative as reviewers see it; ``feedback`` is set on a regenerated version."""

    campaign_id: str
    label: str
    funnel_stage: str
    language: str
    headline: str
    primary_text: str
    cta: str
    tag: str
    iteration: int = 1
    judge: float | None = None
    approved: bool | None = None
    brand: float | None = None
    findings: int = 0
    predicted_ctr: float | None = None
    predicted_roas: float | None = None
    roas_interval: tuple[float, float] | None = None
    rank: int | None = None
    video: str | None = None  # a line about the video (rendered, pending, none)
    feedback: str | None = None
    # (reaction name, tag) pairs: how to tag this creative.
    legend: tuple[tuple[str, str], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DraftCard:
    """A brief read from a product page, shown to the marketer who asked before it starts:
    each ``(field, value, source)`` taken, who read it, what is missing, and Start / Edit."""

    draft_id: str
    url: str
    extractor: str
    taken: tuple[tuple[str, str, str], ...] = ()
    images: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    error: str | None = None  # the page could not be read: no buttons, the reason


class Chat(Protocol):
    """Posting a campaign for review. Raises TransientError (retry) or PermanentError."""

    def post_campaign(self, channel: str, card: CampaignCard, *, key: str) -> Posted:
        """Post the campaign message in ``channel``."""
        ...

    def update_campaign(self, message: Posted, card: CampaignCard) -> None:
        """Show ``card`` in place of what the campaign message shows now."""
        ...

    def post_creative(self, channel: str, card: CreativeCard, *, key: str) -> Posted:
        """Post one creative as its own message (so it has its own thread)."""
        ...

    def update_creative(self, message: Posted, card: CreativeCard) -> None: ...

    def post_in_thread(self, thread: Posted, card: CreativeCard, *, key: str) -> Posted:
        """Post ``card`` (a new version of the creative) as a reply in ``thread``."""
        ...

    def post_note(self, thread: Posted, text: str, *, key: str) -> Posted:
        """A plain message in ``thread`` (a finding about the creative, say). ``text`` is mrkdwn
        adloop writes: whatever a person or a model wrote in it has been through
        :func:`shared.chat_text.escape`; the adapter only fits it to the chat's limits."""
        ...

    def post_ephemeral(self, channel: str, user: str, text: str) -> None:
        """A message only ``user`` sees (``text`` as for :meth:`post_note`)."""
        ...

    def post_draft(self, channel: str, user: str, card: DraftCard) -> None:
        """Show ``user`` alone what a product page gave, with Start and Edit."""
        ...

    def upload_file(self, thread: Posted, *, filename: str, data: bytes, title: str) -> None:
        """Attach a file (a rendered video) in ``thread``; with an empty ``ts``, in the channel."""
        ...

    def find_posted(
        self, channel: str, key: str, *, oldest: float, thread_ts: str | None = None
    ) -> Posted | None:
        """The message posted with ``key`` since ``oldest`` (epoch seconds), if there is one."""
        ...

    def group_members(self, group_id: str) -> list[str]:
        """The user ids in a user group (reviewers may be named by group)."""
        ...

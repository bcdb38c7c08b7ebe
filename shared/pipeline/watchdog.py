"""The watchdog: campaigns that stopped moving are found and said so, never silently stuck.

A running campaign whose document has not changed for ``stalled_after_s``, and none of whose
fan-in items finished in that time, is marked ``stalled`` with a message saying where it stopped
and what to do; the CLI, the gallery and Slack status show it. The sweeper runs it (``adloop
serve`` every few seconds; Cloud Scheduler's ``sweep`` every minute)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.log import get_logger
from shared.pipeline.fanin import moved_since
from shared.pipeline.store import CAMPAIGNS
from shared.ports.documents import Transaction
from shared.services import Services

log = get_logger(__name__)


def find_stalled(services: Services, *, stalled_after_s: float) -> list[str]:
    """Mark running campaigns without progress for ``stalled_after_s``; return their ids."""
    cutoff = services.clock() - timedelta(seconds=stalled_after_s)
    found = []
    for doc in services.documents.query(CAMPAIGNS, [("status", "==", "running")]):
        updated = datetime.fromisoformat(str(doc.data.get("updated_at") or doc.data["created_at"]))
        if updated >= cutoff or doc.data.get("stalled"):
            continue
        # Fan-in items finishing are progress the campaign document shows only at the close.
        steps = doc.data.get("steps") or {}
        if not moved_since(services.documents, doc.id, steps, cutoff) and _mark(
            services, doc.path, cutoff
        ):
            found.append(doc.id)
    return found


def where_it_stopped(campaign: dict[str, Any]) -> str:
    steps = campaign.get("steps") or {}
    open_steps = [name for name, s in steps.items() if s.get("status") != "done"]
    return ", ".join(open_steps) or "before its first step"


def _mark(services: Services, path: str, cutoff: datetime) -> bool:
    def txn(tx: Transaction) -> bool:
        camp = tx.get(path) or {}
        updated = datetime.fromisoformat(str(camp.get("updated_at") or camp["created_at"]))
        if camp.get("status") != "running" or camp.get("stalled") or updated >= cutoff:
            return False  # it moved, or someone marked it, since we looked
        message = (
            f"no progress since {updated.isoformat(timespec='seconds')} "
            f"at {where_it_stopped(camp)}; "
            "check the queue (`adloop serve` running?) or resume with `adloop campaign retry`"
        )
        tx.set(path, {**camp, "stalled": True, "stalled_message": message})
        return True

    marked = services.documents.transact(txn)
    if marked:
        log.warning("campaign stalled", extra={"campaign": path.rsplit("/", 1)[-1]})
    return marked

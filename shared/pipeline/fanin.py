"""Fan-in without a hot document.

A fan-out sends one task per item (7 judge tasks and 50 blueprint tasks for one campaign); the
last item to finish sends what comes next. Counting the items in one document that every item's
transaction reads and writes (the campaign, or one counter) makes that document a hot spot:
Firestore's server libraries lock what a transaction reads, so items finishing together queue
on one another, and one document sustains about one write per second
(https://cloud.google.com/firestore/docs/best-practices#hotspots,
https://cloud.google.com/firestore/docs/transaction-data-contention). With 50 items the
emulator's commits timed out for good. Sharded counters spread the writes, but "am I the last?"
must then read every shard in the item's transaction, which locks them all again.

So an item's transaction touches only documents of its own: its marker, its step's writes and
its entry ``counters/{campaign}:{group}/items/{step}:{key}`` (its seconds and model usage).
After that commit the item counts the group's entries with a plain query, which takes no locks
and sees every committed entry, so the item whose commit completed the set sees all of them.
Siblings that committed at the same moment may see the full set too; each then tries to create
the group's counter ``counters/{campaign}:{group}`` (a create-if-absent write: exactly one wins,
nobody waits on a lock) and the winner, named in it as ``closing``, finishes the close in one
transaction: every step of the group done in the campaign document (one campaign write per
group), the entries' usage folded into the campaign's, ``then`` in the outbox, and the counter
left as ``{"done": n}``. Entries never change once committed, so sums read before that
transaction are exact. An item that dies after its commit, before or after its claim, was never
acknowledged: its redelivery finds its marker, which names the group, and goes on from there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.pipeline import store
from shared.pipeline.store import counter_path, items_collection
from shared.ports.documents import Doc, Documents, Transaction
from shared.ports.queue import Task
from shared.ports.textgen import Generation


@dataclass(frozen=True)
class FanIn:
    """This task is one of ``total`` items of ``group``; the last one to finish sends ``then``."""

    group: str
    total: int
    then: list[Task]

    def to_doc(self) -> Doc:
        return {"group": self.group, "total": self.total, "then": [t.to_doc() for t in self.then]}

    @classmethod
    def from_doc(cls, doc: Doc) -> FanIn:
        return cls(str(doc["group"]), int(doc["total"]), [Task.from_doc(t) for t in doc["then"]])


@dataclass(frozen=True)
class FanOut:
    """The tasks this step sends are items of ``group``: ``totals`` says how many of each step
    (progress shows "judge 3/7" from it, and the items' fan-in total is its sum)."""

    group: str
    totals: dict[str, int]


def item_entry(task: Task, seconds: float, calls: list[Generation], now: datetime) -> Doc:
    """What the close sums for this item; written once, in the item's own transaction."""
    return {
        "step": task.step,
        "key": task.key,
        "seconds": round(seconds, 3),
        "usage": add_usage(None, calls) if calls else None,
        "at": now.isoformat(),
    }


def close(
    docs: Documents, campaign_id: str, fan_in: FanIn, closer: str, now: datetime
) -> list[Task]:
    """Close the group if every item is in; the tasks to send now (``then``), else none.
    ``closer`` names the item's task: it claims the group, and only it (or its redelivery)
    finishes the claim."""
    counter = counter_path(campaign_id, fan_in.group)
    found = docs.get(counter)
    if found is not None and found.get("closing") != closer:
        return []  # closed, or being closed by the item that claimed it
    entries = [d.data for d in docs.query(items_collection(campaign_id, fan_in.group))]
    if found is None:
        if len(entries) < fan_in.total:
            return []  # not the last; the last one will see this item's entry
        # Several items finishing together may all see the full set. A transaction on the
        # counter would have each lock it and wait on the others; a create lets one win at once.
        if not docs.create(counter, {"done": len(entries), "closing": closer}):
            return []
    return _finish(docs, campaign_id, fan_in, closer, entries, now)


def _finish(
    docs: Documents,
    campaign_id: str,
    fan_in: FanIn,
    closer: str,
    entries: list[Doc],
    now: datetime,
) -> list[Task]:
    """The claimed group's one campaign write: its steps done, its usage, ``then``."""
    counter = counter_path(campaign_id, fan_in.group)

    def txn(tx: Transaction) -> list[Task]:
        if (tx.get(counter) or {}).get("closing") != closer:
            return []  # finished by an earlier delivery of this item
        path = store.campaign_path(campaign_id)
        camp = tx.get(path) or {}
        steps = _closed_steps(dict(camp.get("steps") or {}), fan_in.group, entries, now)
        usage = [e["usage"] for e in entries if e.get("usage")]
        tx.set(counter, {"done": len(entries)})
        tx.set(
            path,
            {
                **camp,
                "steps": steps,
                "usage": merge_usage(camp.get("usage"), usage) if usage else camp.get("usage"),
                "updated_at": now.isoformat(),
                "stalled": False,
            },
        )
        store.to_outbox(tx, fan_in.then)
        return list(fan_in.then)

    return docs.transact(txn)


def _closed_steps(
    steps: dict[str, Any], group: str, entries: list[Doc], now: datetime
) -> dict[str, Any]:
    """Every step of the group done, each with its own count, seconds and usage."""
    names = {str(e["step"]) for e in entries} | {
        name for name, s in steps.items() if s.get("group") == group
    }
    for name in names:
        mine = [e for e in entries if e["step"] == name]
        state = {k: v for k, v in (steps.get(name) or {}).items() if k != "error"}
        state.update(
            status="done",
            group=group,
            done=len(mine),
            total=len(mine),
            seconds=round(sum(float(e.get("seconds") or 0.0) for e in mine), 3),
            finished_at=now.isoformat(),
        )
        usage = [e["usage"] for e in mine if e.get("usage")]
        if usage:
            state["usage"] = merge_usage(None, usage)
        steps[name] = state
    return steps


def live_steps(docs: Documents, campaign_id: str, steps: dict[str, Any]) -> dict[str, Any]:
    """``steps`` with each unfinished fan-in step's ``done`` counted from its group's entries
    (the campaign document learns the counts only when the group closes)."""
    groups = {
        str(s["group"]) for s in steps.values() if s.get("group") and s.get("status") != "done"
    }
    live = dict(steps)
    for group in sorted(groups):
        entries = docs.query(items_collection(campaign_id, group))
        counts = Counter(d.data.get("step") for d in entries)
        for name, s in steps.items():
            if s.get("group") == group and s.get("status") != "done":
                live[name] = {**s, "done": counts.get(name, 0)}
    return live


def moved_since(docs: Documents, campaign_id: str, steps: dict[str, Any], since: datetime) -> bool:
    """True when an item of an open fan-in group finished after ``since`` (progress the
    campaign document does not show until the group closes)."""
    cutoff = since.isoformat()
    groups = {str(s["group"]) for s in steps.values() if s.get("group")}
    return any(
        docs.query(items_collection(campaign_id, g), [("at", ">=", cutoff)], limit=1)
        for g in sorted(groups)
        if docs.get(counter_path(campaign_id, g)) is None
    )


def add_usage(usage: dict[str, Any] | None, calls: list[Generation]) -> dict[str, Any]:
    total = dict(usage or {"calls": 0, "input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0})
    for g in calls:
        total["calls"] = int(total.get("calls", 0)) + 1
        total["input_tokens"] = int(total.get("input_tokens", 0)) + g.input_tokens
        total["output_tokens"] = int(total.get("output_tokens", 0)) + g.output_tokens
        total["cost_usd"] = round(float(total.get("cost_usd", 0.0)) + g.cost_usd, 6)
    return total


def merge_usage(usage: dict[str, Any] | None, more: Iterable[dict[str, Any]]) -> dict[str, Any]:
    total = dict(usage or {"calls": 0, "input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0})
    for u in more:
        for k in ("calls", "input_tokens", "output_tokens"):
            total[k] = int(total.get(k, 0)) + int(u.get(k, 0))
        total["cost_usd"] = round(float(total.get("cost_usd", 0.0)) + float(u["cost_usd"]), 6)
    return total

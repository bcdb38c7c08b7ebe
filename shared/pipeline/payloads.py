"""What each step that takes a payload needs in it, checked before the step runs.

Tasks that carry a payload come from Slack (a reaction, a thread reply, an Export click) or from
a report request; one whose payload lacks a field, or holds a field of the wrong kind, is bad
input (400, not retried) named here, never a KeyError deep in the step (500, retried 12 times).
"""

from __future__ import annotations

from shared.errors import BadInput
from shared.ports.queue import Task

# step -> field -> the type its value must have.
PAYLOADS: dict[str, dict[str, type]] = {
    "tag": {"label": str, "user": str, "reaction": str, "channel": str, "ts": str},
    "regenerate": {"label": str, "feedback": str, "user": str, "channel": str, "thread_ts": str},
    "sources": {"label": str, "user": str, "channel": str, "thread_ts": str},
    "export": {"platform": str, "user": str, "channel": str},
    "loop_meta_report": {"report_run_id": str},
    "loop_tiktok_report": {"advertiser_id": str, "start_date": str, "end_date": str},
}


def check_payload(task: Task) -> None:
    """Raise BadInput naming every missing or mistyped field of ``task``'s payload."""
    needed = PAYLOADS.get(task.step)
    if not needed:
        return
    payload = task.payload if isinstance(task.payload, dict) else {}
    wrong = [
        f"{name} ({kind.__name__})"
        for name, kind in needed.items()
        if not isinstance(payload.get(name), kind)
    ]
    if wrong:
        raise BadInput(f"a {task.step} task needs payload fields: {', '.join(wrong)}")

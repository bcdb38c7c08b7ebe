"""A runtime that kills itself (os._exit, as hard as SIGKILL) at chosen points, and delivers
every task twice. Run by test_crash_recovery.py, once per crash, until the campaign finishes.

Crash points are ``<mode>:<step>``: ``inside`` (during the step's work, before its commit),
``committed`` (after the commit, before the next tasks are enqueued) and ``answered`` (after
everything, before the queue hears the 200). Points already fired are listed in a state file,
so each restart goes on to the ones left.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

import httpx

from infra.briefs import load_brief
from infra.runtime import LocalRuntime
from shared.adapters.local_queue import Lease, LocalDispatcher
from shared.pipeline.campaigns import start_campaign
from shared.pipeline.runner import Outcome, StepRunner
from shared.ports.queue import Task
from shared.settings import Settings

KILLED = 137


def main() -> None:
    state_file, brief_path, campaign_id = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    plan: list[str] = json.loads(os.environ["CRASH_PLAN"])
    fired: list[str] = json.loads(state_file.read_text()) if state_file.exists() else []

    lock = threading.Lock()

    def maybe_crash(mode: str, step: str) -> None:
        point = f"{mode}:{step}"
        # Any planned point not yet fired fires when reached: with several workers, steps can
        # run further while a crashed task waits out its lease.
        if point in plan and point not in fired:
            lock.acquire()  # never released: this process ends here, one crash at a time
            tmp = state_file.with_suffix(".tmp")
            tmp.write_text(json.dumps([*fired, point]))
            os.replace(tmp, state_file)
            os._exit(KILLED)

    class CrashingRunner(StepRunner):
        def handle(self, task: Task) -> Outcome:
            outcome = super().handle(task)
            maybe_crash("answered", task.step)
            return outcome

        def _dispatch(self, tasks: list[Task]) -> None:
            if tasks:
                maybe_crash("committed", self._current)
            super()._dispatch(tasks)

        def _commit(self, task, result, seconds):  # type: ignore[no-untyped-def]
            maybe_crash("inside", task.step)
            self._current = task.step
            return super()._commit(task, result, seconds)

    class TwiceDispatcher(LocalDispatcher):
        def deliver(self, client: httpx.Client, lease: Lease) -> None:
            super().deliver(client, lease)
            super().deliver(client, lease)  # the queue redelivers: the step must not act twice

    settings = Settings()
    with LocalRuntime(settings, runner=CrashingRunner, dispatcher=TwiceDispatcher) as rt:
        if rt.services.documents.get(f"campaigns/{campaign_id}") is None:
            loaded = load_brief(brief_path)
            start_campaign(rt.services, loaded.brief, campaign_id=campaign_id, images=loaded.images)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            doc = rt.services.documents.get(f"campaigns/{campaign_id}") or {}
            # Done when the campaign is and the queue has drained (a task in flight at the last
            # crash is redelivered once its lease runs out; its effects must be seen too).
            if doc.get("status") in ("complete", "failed") and rt.queue.pending() == 0:
                break
            time.sleep(0.05)
    print(json.dumps({"status": doc.get("status")}))


if __name__ == "__main__":
    main()

"""Fan-in on real SQLite: items never touch the campaign document, the group closes exactly once
(also when the item that completed it died before closing), and progress is live meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from infra.briefs import load_brief
from infra.runtime import LocalRuntime, wait_for_campaign
from shared.adapters.sqlite import SqliteDocuments
from shared.pipeline import fanin
from shared.pipeline import runner as runner_module
from shared.pipeline.campaigns import campaign_view, start_campaign
from shared.pipeline.runner import Item, StepContext, StepResult, StepRunner
from shared.pipeline.stages import Flow, fixed, group, returned, step
from shared.pipeline.steps.publish import campaign_card
from shared.ports.documents import Doc, Transaction
from shared.ports.queue import Task
from shared.ports.textgen import Generation
from shared.services import Services
from shared.settings import Settings
from tests.conftest import EXAMPLES
from tests.pipeline.test_runner import services as services  # noqa: F401 (the fixture)

T = TypeVar("T")
CAMPAIGN = "campaigns/c1"


class RecordingTransaction:
    def __init__(self, tx: Transaction, log: list[tuple[str, str]]) -> None:
        self._tx, self._log = tx, log

    def get(self, path: str) -> Doc | None:
        self._log.append(("get", path))
        return self._tx.get(path)

    def set(self, path: str, data: Doc) -> None:
        self._log.append(("set", path))
        self._tx.set(path, data)

    def delete(self, path: str) -> None:
        self._log.append(("delete", path))
        self._tx.delete(path)


class RecordingDocuments(SqliteDocuments):
    """The real SQLite adapter, remembering what each transaction read and wrote."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.transactions: list[list[tuple[str, str]]] = []

    def transact(self, fn: Callable[[Any], T]) -> T:
        log: list[tuple[str, str]] = []
        result = super().transact(lambda tx: fn(RecordingTransaction(tx, log)))
        self.transactions.append(log)
        return result

    def touching(self, path: str) -> list[list[tuple[str, str]]]:
        return [t for t in self.transactions if any(p == path for _, p in t)]


def usage(calls: int) -> list[Generation]:
    return [Generation("{}", "fake", "m", 100, 10, 0.001) for _ in range(calls)]


def fan_out(ctx: StepContext, task: Task) -> StepResult:
    return StepResult(items=[Item(k) for k in "ABC"])


def item(ctx: StepContext, task: Task) -> StepResult:
    path = f"campaigns/c1/creatives/{task.key}"
    return StepResult(writes={path: {"label": task.key, "judged": True}}, calls=usage(2))


# govern fans out to three judge items (the creatives it returns) and one blueprint, one group
# "g" of four; the last of them sends rank.
FLOW = Flow(
    chain=(
        step("govern", fan_out),
        group(
            "g",
            step("judge", item, each=returned("creative")),
            step("blueprint", item, each=fixed("B01")),
        ),
        step("rank", item),
    )
)
STEPS = {"govern": fan_out, "judge": item, "blueprint": item}


@pytest.fixture
def recorded(services: Services, tmp_path: Path) -> Services:  # noqa: F811
    docs = RecordingDocuments(tmp_path / "recorded.db")
    docs.set(CAMPAIGN, services.documents.get(CAMPAIGN) or {})
    services.documents = docs
    return services


def test_only_the_close_of_the_group_writes_the_campaign_document(recorded: Services) -> None:
    docs: RecordingDocuments = recorded.documents  # type: ignore[assignment]
    runner = StepRunner(recorded, STEPS, FLOW)
    runner.handle(Task("c1", "govern"))
    docs.transactions.clear()

    for task in [
        Task("c1", "judge", "A"),
        Task("c1", "blueprint", "B01"),
        Task("c1", "judge", "B"),
    ]:
        assert runner.handle(task).status == 200
    assert docs.touching(CAMPAIGN) == [], (
        "three items in: the campaign was neither read nor written"
    )
    assert {p for _, p in docs.transactions[0]} == {
        "runs/c1-judge-A",
        "counters/c1:g/items/judge:A",
        "campaigns/c1/creatives/A",
    }, "an item touches only its own documents"

    assert runner.handle(Task("c1", "judge", "C")).status == 200
    assert runner.handle(Task("c1", "judge", "C")).message == "already done"
    [close] = docs.touching(CAMPAIGN)
    assert [op for op, p in close if p == CAMPAIGN] == ["get", "set"]
    sent = recorded.queue.sent  # type: ignore[attr-defined]
    assert [t.step for t in sent] == ["judge"] * 3 + ["blueprint", "rank"]

    campaign = docs.get(CAMPAIGN) or {}
    judge, blueprint = campaign["steps"]["judge"], campaign["steps"]["blueprint"]
    assert (judge["status"], judge["done"], judge["total"]) == ("done", 3, 3)
    assert (blueprint["status"], blueprint["done"], blueprint["total"]) == ("done", 1, 1)
    assert judge["usage"]["calls"] == 6 and blueprint["usage"]["calls"] == 2
    assert campaign["usage"]["calls"] == 8 and campaign["usage"]["input_tokens"] == 800
    assert docs.get("counters/c1:g") == {"done": 4}


def test_progress_is_live_while_the_items_come_in(services: Services) -> None:  # noqa: F811
    runner = StepRunner(services, STEPS, FLOW)
    runner.handle(Task("c1", "govern"))
    runner.handle(Task("c1", "judge", "B"))
    runner.handle(Task("c1", "judge", "A"))

    view = campaign_view(services, "c1")
    judge = view["steps"]["judge"]
    assert (judge["status"], judge["done"], judge["total"]) == ("running", 2, 3)
    card = campaign_card(view, creatives=0)
    shown = {s.name: (s.status, s.done, s.total) for s in card.steps}
    assert shown["judge"] == ("running", 2, 3) and shown["blueprint"] == ("running", 0, 1)


def test_an_item_that_died_before_closing_closes_on_its_redelivery(
    services: Services,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = StepRunner(services, STEPS, FLOW)
    runner.handle(Task("c1", "govern"))
    for task in [Task("c1", "judge", "A"), Task("c1", "judge", "B"), Task("c1", "judge", "C")]:
        runner.handle(task)

    def die(*args: object) -> list[Task]:
        raise SystemExit("killed between the item's commit and the close")

    with monkeypatch.context() as m:
        m.setattr(runner_module, "close", die)
        with pytest.raises(SystemExit):
            runner.handle(Task("c1", "blueprint", "B01"))
    assert services.documents.get("counters/c1:g") is None

    assert runner.handle(Task("c1", "blueprint", "B01")).message == "already done"
    assert runner.handle(Task("c1", "blueprint", "B01")).message == "already done"
    sent = services.queue.sent  # type: ignore[attr-defined]
    assert [t.step for t in sent].count("rank") == 1
    campaign = services.documents.get(CAMPAIGN) or {}
    assert campaign["usage"]["calls"] == 8, "every item's calls counted once"
    assert {s["status"] for s in campaign["steps"].values()} == {"done"}


def test_a_campaign_with_variations_ends_with_every_step_done(home: Path) -> None:
    loaded = load_brief(EXAMPLES / "glowdrop-serum.yaml", variations=4)
    with LocalRuntime(Settings(home=home)) as rt:
        campaign = start_campaign(rt.services, loaded.brief, images=loaded.images)
        assert wait_for_campaign(rt.services, campaign.id, timeout_s=120)["status"] == "complete"
        view = campaign_view(rt.services, campaign.id)

    steps = view["steps"]
    assert {name: s["status"] for name, s in steps.items() if s["status"] != "done"} == {}
    assert (steps["judge"]["done"], steps["judge"]["total"]) == (7, 7)
    assert (steps["blueprint"]["done"], steps["blueprint"]["total"]) == (4, 4)
    assert len(view["blueprints"]) == 4


def test_a_claim_is_finished_by_its_claimer_alone(
    services: Services,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = StepRunner(services, STEPS, FLOW)
    runner.handle(Task("c1", "govern"))
    for task in [Task("c1", "judge", "A"), Task("c1", "judge", "B"), Task("c1", "judge", "C")]:
        runner.handle(task)

    def die(*args: object) -> list[Task]:
        raise SystemExit("killed between the claim and the close")

    with monkeypatch.context() as m:
        m.setattr(fanin, "_finish", die)
        with pytest.raises(SystemExit):
            runner.handle(Task("c1", "blueprint", "B01"))
    assert services.documents.get("counters/c1:g") == {"done": 4, "closing": "c1-blueprint-B01"}

    assert runner.handle(Task("c1", "judge", "A")).message == "already done"
    assert "rank" not in [t.step for t in services.queue.sent]  # type: ignore[attr-defined]
    assert runner.handle(Task("c1", "blueprint", "B01")).message == "already done"
    assert [t.step for t in services.queue.sent].count("rank") == 1  # type: ignore[attr-defined]
    assert services.documents.get("counters/c1:g") == {"done": 4}
    assert (services.documents.get(CAMPAIGN) or {})["usage"]["calls"] == 8

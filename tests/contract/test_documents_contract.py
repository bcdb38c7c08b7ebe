"""The documents port's contract, written once and run against every adapter."""

from __future__ import annotations

import re
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from shared.adapters.firestore import FirestoreDocuments
from shared.adapters.sqlite import SqliteDocuments
from shared.ports.documents import Documents, Transaction

NESTED = {
    "title": "Sleep better — tonight",
    "count": 3,
    "ratio": 0.25,
    "live": True,
    "gone": None,
    "tags": ["a", "b"],
    "brand": {"voice": {"tone": "warm", "words": ["calm", "sure"]}, "colors": []},
    "history": [{"v": 1, "by": "U1"}, {"v": 2, "by": None}],
}


class DocumentsContract:
    """Every documents adapter must pass these. Subclasses provide the ``docs`` fixture."""

    # (threads, increments per thread) for the contention test.
    concurrency = (8, 25)

    def seed(self, docs: Documents) -> None:
        for i, (n, live, kind) in enumerate(
            [(1, True, "x"), (2, False, "y"), (3, True, "x"), (4, False, "z"), (5, True, "y")]
        ):
            docs.set(f"items/i{i}", {"n": n, "live": live, "kind": kind})

    def test_get_of_a_missing_document_is_none(self, docs: Documents) -> None:
        assert docs.get("campaigns/nope") is None

    def test_set_then_get_round_trips_nested_json(self, docs: Documents) -> None:
        docs.set("campaigns/c1", NESTED)
        assert docs.get("campaigns/c1") == NESTED

    def test_set_replaces_the_whole_document(self, docs: Documents) -> None:
        docs.set("campaigns/c1", {"a": 1, "b": 2})
        docs.set("campaigns/c1", {"b": 3})
        assert docs.get("campaigns/c1") == {"b": 3}

    def test_delete_removes_and_deleting_nothing_is_fine(self, docs: Documents) -> None:
        docs.set("campaigns/c1", {"a": 1})
        docs.delete("campaigns/c1")
        docs.delete("campaigns/c1")
        assert docs.get("campaigns/c1") is None

    def test_create_stores_only_where_nothing_is(self, docs: Documents) -> None:
        assert docs.create("counters/c1:judge", {"done": 7}) is True
        assert docs.create("counters/c1:judge", {"done": 8}) is False
        assert docs.get("counters/c1:judge") == {"done": 7}
        docs.delete("counters/c1:judge")
        assert docs.create("counters/c1:judge", {"done": 9}) is True

    def test_of_concurrent_creates_exactly_one_wins(self, docs: Documents) -> None:
        threads = 8
        start = threading.Barrier(threads)
        won: list[int] = []

        def worker(n: int) -> None:
            start.wait()
            if docs.create("claims/group", {"by": n}):
                won.append(n)

        pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join(timeout=60)
        assert len(won) == 1
        assert docs.get("claims/group") == {"by": won[0]}

    def test_subcollection_documents_are_their_own(self, docs: Documents) -> None:
        docs.set("campaigns/c1/creatives/A", {"label": "A"})
        docs.set("campaigns/c2/creatives/A", {"label": "other"})
        assert docs.get("campaigns/c1") is None  # a child does not create its parent
        assert docs.get("campaigns/c1/creatives/A") == {"label": "A"}
        docs.set("campaigns/c1", {"status": "new"})
        docs.delete("campaigns/c1")
        assert docs.get("campaigns/c1/creatives/A") == {"label": "A"}

    @pytest.mark.parametrize(
        ("where", "ids"),
        [
            (("n", "==", 3), ["i2"]),
            (("n", "<", 3), ["i0", "i1"]),
            (("n", "<=", 3), ["i0", "i1", "i2"]),
            (("n", ">", 3), ["i3", "i4"]),
            (("n", ">=", 3), ["i2", "i3", "i4"]),
            (("n", "in", [2, 5, 9]), ["i1", "i4"]),
            (("live", "==", True), ["i0", "i2", "i4"]),
            (("live", "==", False), ["i1", "i3"]),
            (("kind", "==", "x"), ["i0", "i2"]),
            (("kind", "in", ["y", "z"]), ["i1", "i3", "i4"]),
        ],
    )
    def test_query_by_field(self, docs: Documents, where: Any, ids: list[str]) -> None:
        self.seed(docs)
        found = docs.query("items", [where])
        assert [d.id for d in found] == ids
        assert all(d.path == f"items/{d.id}" for d in found)

    def test_query_conditions_combine(self, docs: Documents) -> None:
        self.seed(docs)
        found = docs.query("items", [("live", "==", True), ("kind", "==", "x")])
        assert [d.data["n"] for d in found] == [1, 3]

    def test_query_orders_and_limits(self, docs: Documents) -> None:
        self.seed(docs)
        docs.set("items/j", {"n": 0, "live": True, "kind": "x"})
        found = docs.query("items", [("live", "==", True)], order_by="n", limit=3)
        assert [d.id for d in found] == ["j", "i0", "i2"]
        top = docs.query("items", order_by="n", limit=2)
        assert [d.data["n"] for d in top] == [0, 1]

    def test_query_lists_only_that_collection(self, docs: Documents) -> None:
        docs.set("campaigns/c1", {"kind": "x"})
        docs.set("campaigns/c1/creatives/A", {"kind": "x"})
        docs.set("campaigns/c2/creatives/B", {"kind": "x"})
        docs.set("brands/b1", {"kind": "x"})
        assert [d.path for d in docs.query("campaigns")] == ["campaigns/c1"]
        in_c1 = docs.query("campaigns/c1/creatives", [("kind", "==", "x")])
        assert [d.path for d in in_c1] == ["campaigns/c1/creatives/A"]

    def test_transaction_commits_and_returns_its_value(self, docs: Documents) -> None:
        docs.set("counters/c", {"n": 1})

        def bump(tx: Transaction) -> int:
            n = int((tx.get("counters/c") or {})["n"]) + 1
            tx.set("counters/c", {"n": n})
            tx.set("log/1", {"n": n})
            return n

        assert docs.transact(bump) == 2
        assert docs.get("counters/c") == {"n": 2}
        assert docs.get("log/1") == {"n": 2}

    def test_an_exception_inside_a_transaction_rolls_it_back(self, docs: Documents) -> None:
        docs.set("counters/c", {"n": 1})

        def half(tx: Transaction) -> None:
            tx.get("counters/c")
            tx.set("counters/c", {"n": 99})
            tx.delete("counters/c")
            tx.set("other/o", {"x": 1})
            raise KeyError("step failed half way")

        with pytest.raises(KeyError):
            docs.transact(half)
        assert docs.get("counters/c") == {"n": 1}
        assert docs.get("other/o") is None

    def test_reads_after_writes_in_a_transaction_are_refused(self, docs: Documents) -> None:
        def write_then_read(tx: Transaction) -> None:
            tx.set("counters/c", {"n": 5})
            tx.get("counters/c")

        with pytest.raises(RuntimeError, match="reads must come before"):
            docs.transact(write_then_read)
        assert docs.get("counters/c") is None

    def test_concurrent_increments_in_transactions_lose_nothing(self, docs: Documents) -> None:
        threads, each = self.concurrency
        docs.set("counters/fan-in", {"n": 0})
        errors: list[BaseException] = []

        def increment(tx: Transaction) -> None:
            n = int((tx.get("counters/fan-in") or {})["n"])
            tx.set("counters/fan-in", {"n": n + 1})

        def worker() -> None:
            try:
                for _ in range(each):
                    docs.transact(increment)
            except BaseException as e:  # surfaced below; a thread cannot fail the test itself
                errors.append(e)

        pool = [threading.Thread(target=worker) for _ in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join(timeout=120)
        assert errors == []
        assert docs.get("counters/fan-in") == {"n": threads * each}

    @pytest.mark.parametrize("path", ["campaigns", "campaigns/c1/creatives", "", "a//b", "/"])
    def test_invalid_document_paths_raise_value_error(self, docs: Documents, path: str) -> None:
        with pytest.raises(ValueError):
            docs.get(path)
        with pytest.raises(ValueError):
            docs.set(path, {"a": 1})
        with pytest.raises(ValueError):
            docs.delete(path)
        with pytest.raises(ValueError):
            docs.create(path, {"a": 1})

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"cost": float("nan")}, "cost"),
            ({"cost": float("inf")}, "cost"),
            ({"m": {"spend": -float("inf")}}, "m.spend"),
            ({"rows": [1.5, {"v": float("nan")}]}, "rows[1].v"),
            ({"n": 2**63}, "n"),
            ({"n": -(2**63) - 1}, "n"),
        ],
        ids=["nan", "inf", "nested-neg-inf", "in-a-list", "int-over-64-bits", "int-under-64-bits"],
    )
    def test_numbers_no_store_can_hold_are_refused_and_nothing_is_written(
        self, docs: Documents, data: dict[str, Any], field: str
    ) -> None:
        # One NaN stored as SQLite JSON once made every later query on the collection fail.
        docs.set("items/keep", {"n": 1, "kind": "x"})
        names = re.escape(f"items/bad: {field} ")
        with pytest.raises(ValueError, match=names):
            docs.set("items/bad", data)
        with pytest.raises(ValueError, match=names):
            docs.create("items/bad", data)

        def write(tx: Transaction) -> None:
            tx.set("items/other", {"ok": True})
            tx.set("items/bad", data)

        with pytest.raises(ValueError, match=names):
            docs.transact(write)
        assert docs.get("items/bad") is None and docs.get("items/other") is None
        assert [d.id for d in docs.query("items", [("kind", "==", "x")])] == ["keep"]

    def test_the_largest_storable_numbers_round_trip(self, docs: Documents) -> None:
        data = {"big": 2**63 - 1, "small": -(2**63), "tiny": 5e-324, "huge": 1.7976931348623157e308}
        docs.set("items/edge", data)
        assert docs.get("items/edge") == data

    @pytest.mark.parametrize("collection", ["campaigns/c1", "a//b", ""])
    def test_invalid_collection_paths_raise_value_error(
        self, docs: Documents, collection: str
    ) -> None:
        with pytest.raises(ValueError):
            docs.query(collection)


class TestSqliteDocuments(DocumentsContract):
    @pytest.fixture
    def docs(self, tmp_path: Path) -> SqliteDocuments:
        return SqliteDocuments(tmp_path / "state.db")


class TestFirestoreDocuments(DocumentsContract):
    # The Firestore emulator locks pessimistically: concurrent read-modify-write transactions on
    # one document wait on each other until its lock timeout (firebase-tools#6758, "not meant for
    # parallel use"), seconds each. Two threads still exercise the abort-and-retry path; real
    # Firestore resolves contention without the wait.
    concurrency = (2, 2)

    @pytest.fixture
    def docs(self, firestore_host: str) -> FirestoreDocuments:
        from google.cloud import firestore

        # A project per test is a fresh, empty database in the emulator.
        project = f"adloop-{uuid.uuid4().hex[:12]}"
        with pytest.MonkeyPatch.context() as env:
            # The client library reads this once, when the client is built.
            env.setenv("FIRESTORE_EMULATOR_HOST", firestore_host)
            client = firestore.Client(project=project)
        return FirestoreDocuments(project=project, client=client)

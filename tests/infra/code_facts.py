"""What the application code asks of the infrastructure, read from its source with ``ast``:
the steps tasks are created for, the queues they go to, and the Firestore queries it makes."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
APP_PACKAGES = ("shared", "bot", "infra", "functions", "gpu_jobs")


def _modules(packages: tuple[str, ...] = APP_PACKAGES) -> Iterator[tuple[Path, ast.Module]]:
    for package in packages:
        for path in sorted((REPO / package).rglob("*.py")):
            yield path, ast.parse(path.read_text(), str(path))


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    yield from (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _const(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _string_constants() -> dict[str, str]:
    """Module-level ``NAME = "literal"`` assignments in the code (LEARN_STEP, META_REPORT_STEP)."""
    found: dict[str, str] = {}
    for _, tree in _modules():
        for node in tree.body:
            if isinstance(node, ast.Assign) and (value := _const(node.value)) is not None:
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id.isupper():
                        found[target.id] = value
    return found


def task_steps() -> set[str]:
    """Step names given to ``Task(campaign_id, <step>, ...)`` as literals or named constants."""
    constants = _string_constants()
    steps = set()
    for _, tree in _modules():
        for call in _calls(tree):
            if _name(call.func) != "Task":
                continue
            arg = call.args[1] if len(call.args) > 1 else _keyword(call, "step")
            step = _const(arg)
            if step is None and isinstance(arg, ast.Name):
                step = constants.get(arg.id)
            if step:
                steps.add(step)
    return steps


def task_queues() -> set[str]:
    """Queue names given as literals to ``Task(..., queue="<queue>")``."""
    queues = set()
    for _, tree in _modules(("shared", "bot", "infra")):
        for call in _calls(tree):
            if _name(call.func) == "Task" and (queue := _const(_keyword(call, "queue"))):
                queues.add(queue)
    return queues


def task_routes() -> list[tuple[str, str, str]]:
    """(where, step, queue) of each ``Task(campaign_id, <step>, ..., queue=<queue>)`` built with a
    step and a queue the source names (literals or module constants)."""
    constants = _string_constants()
    found = []
    for path, tree in _modules(("shared", "bot", "infra")):
        for call in _calls(tree):
            if _name(call.func) != "Task":
                continue
            arg = call.args[1] if len(call.args) > 1 else _keyword(call, "step")
            step = _const(arg) or (constants.get(arg.id) if isinstance(arg, ast.Name) else None)
            queue = _const(_keyword(call, "queue"))
            if step and queue:
                found.append((f"{path.relative_to(REPO)}:{call.lineno}", step, queue))
    return found


@dataclass(frozen=True)
class Query:
    """One ``documents.query(collection, where, order_by=...)`` call with literal arguments."""

    where: str
    collection: str
    equalities: tuple[str, ...]
    ranges: tuple[str, ...]
    order_by: str | None

    def composite_fields(self) -> tuple[str, ...] | None:
        """The composite index Firestore needs for this query (equalities first), or None when
        single-field indexes serve it: a filter with an order on another field needs one."""
        range_fields = tuple(dict.fromkeys(self.ranges))
        if len(range_fields) > 1:
            return (*self.equalities, *range_fields)
        if self.order_by and (self.equalities or set(range_fields) - {self.order_by}):
            return (*self.equalities, *range_fields, self.order_by)
        if self.equalities and range_fields:
            return (*self.equalities, *range_fields)
        return None


@cache
def _store_constants() -> dict[str, str]:
    """The collection names shared/pipeline/store.py declares (``CAMPAIGNS = "campaigns"``)."""
    from shared.pipeline import store

    return {k: v for k, v in vars(store).items() if k.isupper() and isinstance(v, str)}


def _collection(node: ast.expr) -> str | None:
    """The collection id: a literal, a store constant (``store.CAMPAIGNS``), or the last literal
    segment of an f-string path."""
    if (literal := _const(node)) is not None:
        return literal.rsplit("/", 1)[-1]
    if isinstance(node, ast.Attribute) and (name := _store_constants().get(node.attr)):
        return name.rsplit("/", 1)[-1]
    if isinstance(node, ast.JoinedStr) and node.values:
        last = node.values[-1]
        if isinstance(last, ast.Constant) and isinstance(last.value, str):
            return last.value.rsplit("/", 1)[-1] or None
    return None


def _where(node: ast.expr | None) -> list[tuple[str, str]]:
    if not isinstance(node, (ast.List, ast.Tuple)):
        return []
    clauses = []
    for item in node.elts:
        if isinstance(item, ast.Tuple) and len(item.elts) == 3:
            field, op = _const(item.elts[0]), _const(item.elts[1])
            if field and op:
                clauses.append((field, op))
    return clauses


def queries() -> list[Query]:
    """Every ``.query(...)`` call on a documents port whose collection can be read statically."""
    found = []
    for path, tree in _modules(("shared", "bot", "infra")):
        if path.parent.name == "adapters":
            continue  # the adapters implement query(); they do not make application queries
        for call in _calls(tree):
            if not (isinstance(call.func, ast.Attribute) and call.func.attr == "query"):
                continue
            if not call.args or (collection := _collection(call.args[0])) is None:
                continue
            clauses = _where(call.args[1] if len(call.args) > 1 else _keyword(call, "where"))
            found.append(
                Query(
                    where=f"{path.relative_to(REPO)}:{call.lineno}",
                    collection=collection,
                    equalities=tuple(f for f, op in clauses if op in ("==", "in")),
                    ranges=tuple(f for f, op in clauses if op not in ("==", "in")),
                    order_by=_const(_keyword(call, "order_by")),
                )
            )
    return found

"""Which queues an entry point's code can put tasks on, traced through the source with ``ast``.

From an entry point in functions/main.py, every function of the application it calls (or passes
on, as a callback) is followed: plain and imported names, ``module.function`` and ``self.method``.
Each ``Task(...)`` built on the way names its queue: a literal, the dataclass default when none
is given, or ``ANY_QUEUE`` when the queue comes from data (``/adloop retry`` re-sends a failed
task on the queue it had). Calls through objects the source cannot see (``runner.run``) are not
followed, nor are tasks read back from documents (``Task.from_doc``: a delivery being decoded, or
the sweeper re-sending the outbox): what the step runner sends is declared by the test that uses
this (it runs every registered step and sweeps their outbox).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from shared.ports.queue import Task

REPO = Path(__file__).resolve().parents[2]
APP_PACKAGES = ("shared", "bot", "infra", "functions")
ANY_QUEUE = "*"
DEFAULT_QUEUE = Task("c", "s").queue
QUEUE_POSITION = 4  # Task(campaign_id, step, key, payload, queue, attempt)

Ref = tuple[str, str]  # (module, qualified name): "bot.commands", "_retry" or "Class.method"


@dataclass
class _Module:
    tree: ast.Module
    defs: dict[str, ast.AST] = field(default_factory=dict)  # functions, methods, assignments
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name -> target


@cache
def _index() -> dict[str, _Module]:
    modules = {}
    for package in APP_PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            name = ".".join(path.relative_to(REPO).with_suffix("").parts)
            name = name.removesuffix(".__init__")
            modules[name] = _Module(ast.parse(path.read_text(), str(path)))
    for module in modules.values():
        _collect(module, set(modules))
    return modules


def _collect(module: _Module, names: set[str]) -> None:
    for node in module.tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            module.defs[node.name] = node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    module.defs[f"{node.name}.{item.name}"] = item
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    module.defs[target.id] = node.value
    # Imports anywhere (entry points import lazily, inside functions).
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                target = (submodule, None) if submodule in names else (node.module, alias.name)
                module.imports[alias.asname or alias.name] = target
        elif isinstance(node, ast.Import):
            for alias in node.names:
                module.imports[alias.asname or alias.name] = (alias.name, None)


def queues_from(module: str, name: str) -> set[str]:
    """Queues the code reachable from ``module.name`` builds tasks for (ANY_QUEUE among them
    when a task's queue comes from data)."""
    index = _index()
    seen: set[Ref] = set()
    todo: list[Ref] = [(module, name)]
    queues: set[str] = set()
    while todo:
        ref = todo.pop()
        if ref in seen or ref[0] not in index or ref[1] not in index[ref[0]].defs:
            continue
        seen.add(ref)
        for node in ast.walk(index[ref[0]].defs[ref[1]]):
            if isinstance(node, ast.Call) and (queue := _task_queue(node)) is not None:
                queues.add(queue)
            todo.extend(_refs(index, ref, node))
    return queues


def _task_queue(call: ast.Call) -> str | None:
    if not _named(call.func, "Task"):
        return None
    given = next((k.value for k in call.keywords if k.arg == "queue"), None)
    if given is None and len(call.args) > QUEUE_POSITION:
        given = call.args[QUEUE_POSITION]
    if given is None:
        return DEFAULT_QUEUE
    if isinstance(given, ast.Constant) and isinstance(given.value, str):
        return given.value
    return ANY_QUEUE


def _named(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _refs(index: dict[str, _Module], here: Ref, node: ast.AST) -> Iterator[Ref]:
    """The application functions ``node`` calls or names."""
    module = index[here[0]]
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        if node.id in module.defs:
            yield here[0], node.id
        elif node.id in module.imports:
            target, attr = module.imports[node.id]
            if attr is not None:
                yield target, attr
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner = node.value.id
        if owner in ("self", "cls") and "." in here[1]:
            yield here[0], f"{here[1].split('.')[0]}.{node.attr}"
        elif owner in module.imports and module.imports[owner][1] is None:
            yield module.imports[owner][0], node.attr
        elif owner in module.imports:
            target, cls = module.imports[owner]
            yield target, f"{cls}.{node.attr}"  # a class's method: Task.from_doc

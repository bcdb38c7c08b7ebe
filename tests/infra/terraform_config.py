"""The Terraform configuration in terraform/, parsed by python-hcl2, with helpers to read it.

python-hcl2 keeps string literals quoted (``'"intake"'``) and expressions wrapped
(``'${toset([...])}'``); the helpers here turn both into plain Python values where a test
needs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import hcl2

REPO = Path(__file__).resolve().parents[2]
TERRAFORM = REPO / "terraform"

_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def unquote(value: Any) -> Any:
    """``'"x"'`` -> ``'x'``; anything else unchanged."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def strings_in(expr: Any) -> list[str]:
    """Every string literal in an expression, in order (``toset(["a", "b"])`` -> a, b)."""
    if isinstance(expr, list):
        return [s for item in expr for s in strings_in(item)]
    return _QUOTED.findall(str(expr))


@dataclass
class Config:
    """All .tf files of terraform/ merged: resources and data sources by type and name, locals,
    variables, outputs and provider blocks."""

    resources: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    data: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    providers: dict[str, dict[str, Any]] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return self.resources.get(kind, {})

    def iter_resources(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for kind, named in self.resources.items():
            for name, body in named.items():
                yield kind, name, body

    def local_strings(self, name: str) -> list[str]:
        return strings_in(self.locals[name])

    def variable_default(self, name: str) -> Any:
        return self.variables[name]["default"]


def tf_files() -> list[Path]:
    return sorted(TERRAFORM.rglob("*.tf"))


def parse(path: Path) -> dict[str, Any]:
    with path.open() as f:
        parsed: dict[str, Any] = hcl2.load(f)
    return parsed


@cache
def load() -> Config:
    """terraform/ as it is in this checkout."""
    return merged(parse(path) for path in tf_files())


def loads(*texts: str) -> Config:
    """A configuration written in the test (one text per .tf file)."""
    return merged(hcl2.loads(text) for text in texts)


def merged(docs: Iterable[dict[str, Any]]) -> Config:
    config = Config()
    for doc in docs:
        for section, into in (("resource", config.resources), ("data", config.data)):
            for block in doc.get(section, []):
                for kind, named in block.items():
                    for name, body in named.items():
                        into.setdefault(unquote(kind), {})[unquote(name)] = body
        for block in doc.get("provider", []):
            config.providers.update({unquote(k): v for k, v in block.items()})
        for block in doc.get("locals", []):
            config.locals.update({k: v for k, v in block.items() if not k.startswith("__")})
        for block in doc.get("variable", []):
            config.variables.update({unquote(k): v for k, v in block.items()})
        for block in doc.get("output", []):
            config.outputs.update({unquote(k): v for k, v in block.items()})
    return config

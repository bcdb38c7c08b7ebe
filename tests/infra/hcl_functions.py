"""Terraform's operators and the built-in functions terraform/ uses, as
https://developer.hashicorp.com/terraform/language/functions documents each."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any


class EvalError(ValueError):
    """An expression that fails as terraform would fail it (a missing key, a failed regex)."""


class TfSet(tuple[Any, ...]):
    """A terraform set: distinct elements, iterated in lexical order as terraform does."""

    @classmethod
    def of(cls, items: Any) -> TfSet:
        return cls(sorted(set(items), key=str))


def template_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise EvalError(f"cannot put {value!r} into a string")


def _number(a: Any, b: Any) -> None:
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b)):
        raise EvalError(f"arithmetic needs numbers, not {a!r} and {b!r}")


def _arith(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        _number(a, b)
        return op(a, b)

    return apply


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": _arith(lambda a, b: a < b),
    ">": _arith(lambda a, b: a > b),
    "<=": _arith(lambda a, b: a <= b),
    ">=": _arith(lambda a, b: a >= b),
    "+": _arith(lambda a, b: a + b),
    "-": _arith(lambda a, b: a - b),
    "*": _arith(lambda a, b: a * b),
    "/": _arith(lambda a, b: a / b),
    "%": _arith(lambda a, b: a % b),
}


def _merge(*maps: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in maps:
        if m is None:
            continue
        if not isinstance(m, dict):
            raise EvalError(f"merge() takes maps or objects, not {m!r}")
        out.update(m)
    return out


def _replace(text: str, search: str, replacement: str) -> str:
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        return re.sub(search[1:-1], re.sub(r"\$\{?(\d+)\}?", r"\\\1", replacement), text)
    return text.replace(search, replacement)


def _regex(pattern: str, text: str) -> Any:
    match = re.search(pattern, text)
    if match is None:
        raise EvalError(f"regex {pattern!r} does not match {text!r}")
    return match.group(0)


def _lookup(m: dict[str, Any], key: str, *default: Any) -> Any:
    if key in m:
        return m[key]
    if default:
        return default[0]
    raise EvalError(f"lookup: no key {key!r}")


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "toset": TfSet.of,
    "tolist": list,
    "tomap": dict,
    "tostring": str,
    "setunion": lambda *sets: TfSet.of(x for s in sets for x in s),
    "setsubtract": lambda a, b: TfSet.of(x for x in a if x not in b),
    "keys": lambda m: sorted(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "concat": lambda *lists: [x for lst in lists for x in lst],
    "merge": _merge,
    "join": lambda sep, items: sep.join(template_text(i) for i in items),
    "replace": _replace,
    "lower": str.lower,
    "upper": str.upper,
    "contains": lambda items, value: value in items,
    "length": len,
    "lookup": _lookup,
    "alltrue": lambda items: all(v is True for v in items),
    "anytrue": lambda items: any(v is True for v in items),
    "regex": _regex,
    "flatten": lambda items: [x for i in items for x in (i if isinstance(i, list) else [i])],
    "distinct": lambda items: list(dict.fromkeys(items)),
    "sort": lambda items: sorted(items, key=str),
}

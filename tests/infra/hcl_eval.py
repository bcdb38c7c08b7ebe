"""Terraform expressions evaluated in Python, for the values python-hcl2 leaves as text.

python-hcl2 serialises an expression as ``'${…}'`` and a string template as ``'"…"'``; here
each is parsed again with hcl2's own grammar and walked. What is covered is the part of the
language terraform/ uses: literals, templates, operators, conditionals, ``for`` expressions,
indexing, attribute access, ``...`` expansion and the functions in ``FUNCTIONS`` (each as
https://developer.hashicorp.com/terraform/language/functions documents it). Anything else, and
any name the caller's ``Root`` cannot resolve, raises instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any, Protocol

import hcl2
from lark import Token, Tree

from tests.infra.hcl_functions import BINARY, FUNCTIONS, EvalError, TfSet, template_text

__all__ = ["FUNCTIONS", "EvalError", "TfSet", "Unresolved", "evaluate", "get_attr", "iterate"]


class Unresolved(LookupError):
    """A reference no one can resolve without a real apply (or one the evaluator does not know)."""


class Root(Protocol):
    """Where top-level names (var, local, resource types, data) come from."""

    def name(self, ident: str) -> Any: ...


class Namespace(Protocol):
    def attr(self, name: str) -> Any: ...

    def index(self, key: Any) -> Any: ...


@cache
def _expression(text: str) -> Tree[Any]:
    try:
        tree = hcl2.parses_to_tree(f"x = {text}\n")
    except Exception as e:  # lark's errors: report the text that did not parse
        raise EvalError(f"cannot parse terraform expression {text!r}: {e}") from e
    attribute = next(tree.find_data("attribute"))
    return attribute.children[-1]  # type: ignore[no-any-return]


def evaluate(value: Any, root: Root, scope: Mapping[str, Any] | None = None) -> Any:
    """A python-hcl2 value (``'${…}'``, ``'"…"'``, number, dict, list) as a Python value."""
    local = dict(scope or {})
    if isinstance(value, str):
        text = value[2:-1] if value.startswith("${") and value.endswith("}") else value
        return _Eval(root, local).expr(_expression(text))
    if isinstance(value, dict):
        return {
            _key(k, root, local): evaluate(v, root, local)
            for k, v in value.items()
            if not k.startswith("__")  # python-hcl2's markers (__is_block__, comments)
        }
    if isinstance(value, list):
        return [evaluate(v, root, local) for v in value]
    return value


def _key(key: str, root: Root, scope: dict[str, Any]) -> str:
    if key.startswith(('"', "${")):
        return str(evaluate(key, root, scope))
    return key


def iterate(collection: Any) -> Iterator[tuple[Any, Any]]:
    """(key, value) pairs as terraform's ``for`` and ``for_each`` see them."""
    if isinstance(collection, dict):
        for k in sorted(collection):
            yield k, collection[k]
    elif isinstance(collection, TfSet):
        for item in collection:
            yield item, item
    elif isinstance(collection, (list, tuple)):
        yield from enumerate(collection)
    else:
        raise EvalError(f"cannot iterate over {collection!r}")


def get_attr(value: Any, name: str) -> Any:
    if isinstance(value, dict):
        if name not in value:
            raise EvalError(f"object has no attribute {name!r} (it has {sorted(value)})")
        return value[name]
    if hasattr(value, "attr"):
        return value.attr(name)
    raise EvalError(f"cannot read .{name} of {value!r}")


def get_index(value: Any, key: Any) -> Any:
    if isinstance(value, dict):
        if key not in value:
            raise EvalError(f"no key {key!r} (keys: {sorted(value)})")
        return value[key]
    if isinstance(value, (list, tuple)) and not isinstance(value, TfSet):
        if not isinstance(key, int) or not 0 <= key < len(value):
            raise EvalError(f"index {key!r} out of range for {len(value)} elements")
        return value[key]
    if hasattr(value, "index"):
        return value.index(key)
    raise EvalError(f"cannot index {value!r} with {key!r}")


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(chars: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] in "uU":
            return chr(int(code[1:], 16))
        return _ESCAPES[code]

    return re.sub(r'\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[ntr"\\])', one, chars)


class _Eval:
    def __init__(self, root: Root, scope: dict[str, Any]) -> None:
        self.root, self.scope = root, scope

    def expr(self, node: Any) -> Any:
        if isinstance(node, Token):
            raise EvalError(f"unexpected token {node!r}")
        method: Callable[[Tree[Any]], Any] | None = getattr(self, f"_{node.data}", None)
        if method is None:
            raise Unresolved(f"terraform expression kind {node.data!r} is not supported here")
        return method(node)

    def _children(self, node: Tree[Any]) -> list[Any]:
        """The node's sub-expressions: no punctuation, no newlines or comments."""
        return [
            c
            for c in node.children
            if isinstance(c, Tree) and c.data not in ("new_line_or_comment",)
        ]

    def _expr_term(self, node: Tree[Any]) -> Any:
        (inner,) = self._children(node)
        return self.expr(inner)

    def _int_lit(self, node: Tree[Any]) -> int:
        return int(node.children[0])

    def _float_lit(self, node: Tree[Any]) -> float:
        return float(node.children[0])

    def _literal_value(self, node: Tree[Any]) -> Any:
        return {"true": True, "false": False, "null": None}[str(node.children[0])]

    def _identifier(self, node: Tree[Any]) -> Any:
        name = str(node.children[0])
        if name in self.scope:
            return self.scope[name]
        return self.root.name(name)

    def _string(self, node: Tree[Any]) -> str:
        out = []
        for part in self._children(node):
            (piece,) = part.children
            if isinstance(piece, Token) and piece.type == "STRING_CHARS":
                out.append(_unescape(str(piece)))
            elif isinstance(piece, Token) and piece.type == "ESCAPED_INTERPOLATION":
                out.append(str(piece)[1:])
            elif isinstance(piece, Tree) and piece.data == "interpolation":
                out.append(template_text(self.expr(self._children(piece)[0])))
            else:
                raise Unresolved(f"string template directive {piece!r} is not supported here")
        return "".join(out)

    def _tuple(self, node: Tree[Any]) -> list[Any]:
        return [self.expr(c) for c in self._children(node)]

    def _object(self, node: Tree[Any]) -> dict[str, Any]:
        out = {}
        for elem in self._children(node):
            key_node, value_node = self._children(elem)
            (key_expr,) = self._children(key_node)
            out[self._object_key(key_expr)] = self.expr(value_node)
        return out

    def _object_key(self, node: Tree[Any]) -> str:
        # A bare name is the key itself, not a reference (`{ email = … }`), keywords too.
        if node.data == "keyword":
            return str(node.children[0])
        inner = self._children(node)
        if node.data == "expr_term" and len(inner) == 1 and inner[0].data == "identifier":
            return str(inner[0].children[0])
        return str(self.expr(node))

    def _get_attr_expr_term(self, node: Tree[Any]) -> Any:
        target, attr = self._children(node)
        return get_attr(self.expr(target), str(self._children(attr)[0].children[0]))

    def _index_expr_term(self, node: Tree[Any]) -> Any:
        target, index = self._children(node)
        if index.data == "short_index":
            return get_index(self.expr(target), int(index.children[-1]))
        return get_index(self.expr(target), self.expr(self._children(index)[0]))

    def _conditional(self, node: Tree[Any]) -> Any:
        condition, yes, no = self._children(node)
        test = self.expr(condition)
        if not isinstance(test, bool):
            raise EvalError(f"a condition must be true or false, not {test!r}")
        return self.expr(yes if test else no)

    def _unary_op(self, node: Tree[Any]) -> Any:
        operator = str(node.children[0])
        value = self.expr(self._children(node)[0])
        return (not value) if operator == "!" else -value

    def _binary_op(self, node: Tree[Any]) -> Any:
        left, term = self._children(node)
        operator_node, right = self._children(term)
        operator = str(operator_node.children[0])
        a = self.expr(left)
        if operator in ("&&", "||"):
            if not isinstance(a, bool):
                raise EvalError(f"{operator} needs true or false, not {a!r}")
            if (operator == "&&" and not a) or (operator == "||" and a):
                return a
            return self.expr(right)
        return BINARY[operator](a, self.expr(right))

    def _function_call(self, node: Tree[Any]) -> Any:
        parts = self._children(node)
        name = str(parts[0].children[0])
        arguments = parts[1] if len(parts) > 1 else None
        nodes = self._children(arguments) if arguments is not None else []
        if name in _LAZY:
            return _LAZY[name](self, nodes)
        if name not in FUNCTIONS:
            raise Unresolved(f"terraform function {name}() is not known to tests/infra/hcl_eval")
        args = [self.expr(n) for n in nodes]
        if arguments is not None and any(
            isinstance(t, Token) and t.type == "ELLIPSIS" for t in arguments.children
        ):
            args = args[:-1] + list(args[-1])
        return FUNCTIONS[name](*args)

    def _for_intro(self, node: Tree[Any]) -> tuple[list[str], Any]:
        names = [str(c.children[0]) for c in self._children(node) if c.data == "identifier"]
        (collection,) = [c for c in self._children(node) if c.data != "identifier"]
        return names, self.expr(collection)

    def _each(self, node: Tree[Any]) -> Iterator[tuple[_Eval, list[Any]]]:
        """For each element of a ``for`` expression: its evaluator and the remaining parts."""
        intro, *rest = self._children(node)
        names, collection = self._for_intro(intro)
        condition = rest[-1] if rest and rest[-1].data == "for_cond" else None
        body = rest[:-1] if condition is not None else rest
        for key, value in iterate(collection):
            bound = dict(zip(names, (key, value) if len(names) == 2 else (value,), strict=True))
            inner = _Eval(self.root, {**self.scope, **bound})
            if condition is None or inner.expr(inner._children(condition)[0]) is True:
                yield inner, body

    def _for_tuple_expr(self, node: Tree[Any]) -> list[Any]:
        return [inner.expr(body[0]) for inner, body in self._each(node)]

    def _for_object_expr(self, node: Tree[Any]) -> dict[str, Any]:
        if any(isinstance(t, Token) and t.type == "ELLIPSIS" for t in node.children):
            raise Unresolved("grouping for expressions (`...` after the value) are not supported")
        out: dict[str, Any] = {}
        for inner, (key, value) in self._each(node):
            k = inner.expr(key)
            if k in out:
                raise EvalError(f"duplicate key {k!r} in a for expression")
            out[k] = inner.expr(value)
        return out


def _try(ev: _Eval, nodes: list[Any]) -> Any:
    """The first argument that evaluates; Unresolved (a reference no one knows) still raises."""
    for node in nodes:
        try:
            return ev.expr(node)
        except EvalError:
            continue
    raise EvalError("try(): no argument could be evaluated")


def _can(ev: _Eval, nodes: list[Any]) -> bool:
    try:
        ev.expr(nodes[0])
    except EvalError:
        return False
    return True


_LAZY: dict[str, Callable[[_Eval, list[Any]], Any]] = {"try": _try, "can": _can}

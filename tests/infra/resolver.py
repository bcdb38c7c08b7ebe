"""The values terraform/ would give its resources, worked out without a provider or a project.

Variables take their defaults unless ``values`` overrides them; locals and resource attributes
set in the configuration are evaluated (tests/infra/hcl_eval.py); the few attributes the provider
computes are derived as Google documents them (``COMPUTED``). Everything else only a real apply
knows: ``values`` must give it, or reading it raises :class:`Unresolved` naming what to give.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tests.infra.hcl_eval import EvalError, Unresolved, evaluate, iterate
from tests.infra.terraform_config import Config, unquote

# Keys of ``values`` that stand for something other than a variable, and what they replace.
ALIASES = {
    "bucket": "google_storage_bucket.assets.name",
    "functions_base_url": "local.functions_base_url",
}


def _is_blocks(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and v.get("__is_block__") for v in value)
    )


class Resolver:
    """terraform/'s names (``var``, ``local``, resource types) as the evaluator's root."""

    def __init__(self, config: Config, values: Mapping[str, Any]) -> None:
        self.config = config
        # Variables by name; the rest by address (local.NAME, TYPE.NAME.ATTRIBUTE).
        self.overrides: dict[str, Any] = {}
        for key, value in values.items():
            address = key if key in config.variables else ALIASES.get(key, key)
            parts = address.split(".")
            if not (
                key in config.variables
                or (parts[0] == "local" and len(parts) == 2)
                or (parts[0] in config.resources and len(parts) == 3)
                or (parts[0] == "data" and parts[1] in config.data and len(parts) == 4)
            ):
                raise ValueError(
                    f"values: {key!r} is neither a terraform variable "
                    f"({', '.join(sorted(config.variables))}), one of {sorted(ALIASES)}, "
                    "local.NAME, RESOURCE_TYPE.NAME.ATTRIBUTE nor data.TYPE.NAME.ATTRIBUTE"
                )
            self.overrides[address] = value
        self._locals: dict[str, Any] = {}
        self._variables: dict[str, Any] = {}
        self._busy: set[str] = set()

    # The evaluator's root -------------------------------------------------------------------

    def name(self, ident: str) -> Any:
        if ident == "var":
            return _Getter(self.variable)
        if ident == "local":
            return _Getter(self.local)
        if ident in self.config.resources:
            return _Getter(lambda name: self.resource(ident, name))
        if ident == "data":
            return _Getter(lambda kind: _Getter(lambda name: _Getter(self._data(kind, name))))
        raise Unresolved(f"terraform names {ident!r}, which tests/infra/resolver.py cannot resolve")

    def _data(self, kind: str, name: str) -> Callable[[str], Any]:
        def attr(attribute: str) -> Any:
            address = f"data.{kind}.{name}.{attribute}"
            if address in self.overrides:
                return self.overrides[address]
            raise Unresolved(f"{address} is read from Google at plan time: give it in values")

        return attr

    def variable(self, name: str) -> Any:
        if name in self._variables:
            return self._variables[name]
        if name not in self.config.variables:
            raise Unresolved(f"var.{name} is not declared in terraform/variables.tf")
        declared = self.config.variables[name]
        if name in self.overrides:
            value = self.overrides[name]
        elif "default" in declared:
            value = evaluate(declared["default"], self)
        else:
            raise Unresolved(f"var.{name} has no default: give it in values[{name!r}]")
        self._variables[name] = value
        for rule in declared.get("validation", []):
            if evaluate(rule["condition"], self) is not True:
                raise ValueError(f"var.{name}: {evaluate(rule['error_message'], self)}")
        return value

    def local(self, name: str) -> Any:
        if f"local.{name}" in self.overrides:
            return self.overrides[f"local.{name}"]
        if name not in self._locals:
            if name not in self.config.locals:
                raise Unresolved(f"local.{name} is not defined in terraform/")
            if name in self._busy:
                raise EvalError(f"local.{name} refers to itself")
            self._busy.add(name)
            try:
                self._locals[name] = evaluate(self.config.locals[name], self)
            finally:
                self._busy.discard(name)
        return self._locals[name]

    def resource(self, kind: str, name: str) -> Resource:
        named = self.config.resources.get(kind, {})
        if name not in named:
            raise Unresolved(f"{kind}.{name} is not declared in terraform/")
        return Resource(self, kind, name, named[name])

    def resources(self, kind: str) -> list[Resource]:
        return [self.resource(kind, name) for name in sorted(self.config.resources.get(kind, {}))]

    def project(self) -> str:
        return str(evaluate(self.config.providers["google"]["project"], self))


class _Getter:
    def __init__(self, get: Callable[[str], Any]) -> None:
        self.attr = get


class Resource:
    """One ``resource`` block; indexed by its for_each keys when it has for_each."""

    def __init__(self, resolver: Resolver, kind: str, name: str, body: dict[str, Any]) -> None:
        self.resolver, self.kind, self.name, self.body = resolver, kind, name, body

    def instances(self) -> dict[Any, Block]:
        """Instance key (None without for_each) -> the instance; preconditions checked."""
        if "count" in self.body:
            raise Unresolved(f"{self.kind}.{self.name} uses count, which the resolver lacks")
        if "for_each" not in self.body:
            found: dict[Any, Block] = {None: Block(self, self.body, {}, "")}
        else:
            collection = evaluate(self.body["for_each"], self.resolver)
            found = {
                k: Block(self, self.body, {"each": {"key": k, "value": v}}, "")
                for k, v in iterate(collection)
            }
        for instance in found.values():
            instance.check_preconditions()
        return found

    def attr(self, name: str) -> Any:
        if "for_each" in self.body:
            raise EvalError(f"{self.kind}.{self.name} has for_each: index it before .{name}")
        return self.instances()[None].attr(name)

    def index(self, key: Any) -> Block:
        instances = self.instances()
        if key not in instances:
            raise EvalError(f"{self.kind}.{self.name}[{key!r}] is not one of {sorted(instances)}")
        return instances[key]


class Block:
    """A resource instance or one of its nested blocks, read attribute by attribute."""

    def __init__(self, resource: Resource, body: dict[str, Any], scope: dict[str, Any], path: str):
        self.resource, self.body, self.scope, self.path = resource, body, scope, path

    def has(self, name: str) -> bool:
        return name in self.body or bool(self._dynamic(name))

    def attr(self, name: str) -> Any:
        r = self.resource
        address = f"{r.kind}.{r.name}.{self.path}{name}"
        if not self.path and "for_each" not in r.body and address in r.resolver.overrides:
            return r.resolver.overrides[address]
        if _is_blocks(self.body.get(name)) or self._dynamic(name):
            return self.blocks(name)
        if name in self.body:
            return evaluate(self.body[name], r.resolver, self.scope)
        computed = COMPUTED.get((r.kind, f"{self.path}{name}"))
        if computed is not None:
            return computed(self.top())
        raise Unresolved(
            f"{r.kind}.{r.name}.{self.path}{name} is known only after apply: "
            f"give it in values[{address!r}] (resources without for_each only)"
        )

    def blocks(self, name: str) -> list[Block]:
        """The nested ``name`` blocks, written out and from ``dynamic "name"`` together."""
        path = f"{self.path}{name}."
        written = self.body.get(name, [])
        found = [Block(self.resource, b, self.scope, path) for b in written if _is_blocks([b])]
        for spec in self._dynamic(name):
            iterator = unquote(spec.get("iterator", name))
            for k, v in iterate(evaluate(spec["for_each"], self.resource.resolver, self.scope)):
                scope = {**self.scope, iterator: {"key": k, "value": v}}
                found.append(Block(self.resource, spec["content"][0], scope, path))
        return found

    def _dynamic(self, name: str) -> list[dict[str, Any]]:
        return [
            spec
            for block in self.body.get("dynamic", [])
            for label, spec in block.items()
            if unquote(label) == name
        ]

    def top(self) -> Block:
        return Block(self.resource, self.resource.body, self.scope, "")

    def index(self, key: Any) -> Any:
        raise EvalError(f"{self.resource.kind}.{self.resource.name} is one instance, not a map")

    def check_preconditions(self) -> None:
        for lifecycle in self.body.get("lifecycle", []):
            for rule in lifecycle.get("precondition", []):
                resolver = self.resource.resolver
                if evaluate(rule["condition"], resolver, self.scope) is not True:
                    message = evaluate(rule["error_message"], resolver, self.scope)
                    raise ValueError(f"{self.resource.kind}.{self.resource.name}: {message}")


def _project(b: Block) -> str:
    return str(b.attr("project")) if b.has("project") else b.resource.resolver.project()


def _sa_email(b: Block) -> str:
    # https://cloud.google.com/iam/docs/service-account-overview#identifying
    return f"{b.attr('account_id')}@{_project(b)}.iam.gserviceaccount.com"


def function_url(b: Block) -> str:
    """A Cloud Function's URL (https://cloud.google.com/functions/docs/calling/http:
    ``https://REGION-PROJECT_ID.cloudfunctions.net/FUNCTION_NAME``), unless ``values`` moved the
    functions elsewhere (functions_base_url, as the end-to-end harness does)."""
    resolver = b.resource.resolver
    base = resolver.overrides.get("local.functions_base_url")
    if base is None:
        base = f"https://{b.attr('location')}-{_project(b)}.cloudfunctions.net"
    return f"{str(base).rstrip('/')}/{b.attr('name')}"


# Attributes the provider computes, as the google provider documents them
# (https://registry.terraform.io/providers/hashicorp/google/latest/docs).
COMPUTED: dict[tuple[str, str], Callable[[Block], Any]] = {
    ("google_service_account", "email"): _sa_email,
    ("google_service_account", "member"): lambda b: f"serviceAccount:{_sa_email(b)}",
    ("google_service_account", "name"): lambda b: (
        f"projects/{_project(b)}/serviceAccounts/{_sa_email(b)}"
    ),
    ("google_service_account", "id"): lambda b: (
        f"projects/{_project(b)}/serviceAccounts/{_sa_email(b)}"
    ),
    ("google_secret_manager_secret", "id"): lambda b: (
        f"projects/{_project(b)}/secrets/{b.attr('secret_id')}"
    ),
    ("google_cloudfunctions2_function", "url"): function_url,
    # Gen2 functions run as the Cloud Run service of the same name.
    ("google_cloudfunctions2_function", "service_config.service"): lambda b: b.attr("name"),
}

"""What terraform/ deploys, resolved from the .tf files: each function with its environment,
secrets, identity and callers; the render job; the queues; the schedules; who may enqueue where.

``deployment(values)`` is pure: it reads terraform/ (python-hcl2) and ``values``, never a cloud.
``values`` gives what only a real apply knows, and overrides variables:

* a variable by its name (``"project"``, ``"slack_channel"``, ``"ad_platforms": ["meta"]``);
* ``"bucket"``: the assets bucket's name; ``"functions_base_url"``: where the private functions
  answer (ADLOOP_TASKS_BASE_URL, and each function's URL is it plus the function's name);
* ``"local.NAME"`` or ``"RESOURCE_TYPE.NAME.ATTRIBUTE"`` for anything else.

Service accounts resolve to ``<account_id>@<project>.iam.gserviceaccount.com``, resource
references to their attributes. A reference nothing resolves raises ``Unresolved`` naming it, so
a new terraform reference fails the tests that use this until it is given or derived.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.infra.hcl_eval import Unresolved
from tests.infra.resolver import Block, Resolver
from tests.infra.terraform_config import Config, load

__all__ = ["DeployedFunction", "Deployment", "Queue", "RenderJob", "Unresolved", "deployment"]

PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")
INVOKER_ROLES = ("roles/run.invoker", "roles/cloudfunctions.invoker")
IAM_MEMBER_KINDS = (
    "google_cloud_run_v2_service_iam_member",
    "google_cloud_run_service_iam_member",
    "google_cloudfunctions2_function_iam_member",
)


Invokers = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class DeployedFunction:
    name: str  # terraform key, e.g. "intake", "sweep", "slack_events"
    service: str  # Cloud Run service / URL path name, e.g. "loop-meta-report"
    entry_point: str  # functions/main.py attribute
    env: dict[str, str]  # plain environment variables, references resolved
    secrets: tuple[str, ...]  # env names mounted from Secret Manager
    service_account: str  # email of the runtime identity
    invokers: tuple[str, ...]  # members with an invoker role; "allUsers" when the check is off
    private: bool  # no unauthenticated caller gets through
    url: str | None = None  # known before apply for Cloud Functions only
    secret_ids: dict[str, str] = field(default_factory=dict)  # env name -> Secret Manager id


@dataclass(frozen=True)
class RenderJob:
    name: str
    env: dict[str, str]
    service_account: str
    args: tuple[str, ...]  # the container's own command and args, if any
    secrets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Queue:
    name: str
    max_concurrent_dispatches: int
    max_dispatches_per_second: float
    max_attempts: int
    min_backoff_s: float
    max_backoff_s: float
    max_doublings: int


@dataclass(frozen=True)
class Deployment:
    functions: dict[str, DeployedFunction]
    render_job: RenderJob
    queues: dict[str, Queue]
    scheduler: dict[str, str]  # scheduled function -> the account its OIDC token names
    enqueue_grants: dict[str, tuple[str, ...]]  # service account email -> its queues
    scheduler_audiences: dict[str, str] = field(default_factory=dict)  # function -> audience


def deployment(values: Mapping[str, Any], *, config: Config | None = None) -> Deployment:
    """terraform/ (or ``config``) resolved with ``values``; see the module docstring."""
    r = Resolver(config or load(), values)
    invokers = _invokers(r)
    functions = {**_cloud_functions(r, invokers), **_run_services(r, invokers)}
    schedules = _schedules(r, functions)
    return Deployment(
        functions=functions,
        render_job=_render_job(r),
        queues=_queues(r),
        scheduler={name: account for name, (account, _) in schedules.items()},
        enqueue_grants=_enqueue_grants(r),
        scheduler_audiences={name: audience for name, (_, audience) in schedules.items()},
    )


def _key(resource_name: str, key: Any) -> str:
    return resource_name if key is None else str(key)


def _cloud_functions(r: Resolver, invokers: Invokers) -> dict[str, DeployedFunction]:
    found = {}
    for resource in r.resources("google_cloudfunctions2_function"):
        for key, fn in resource.instances().items():
            config = fn.attr("service_config")[0]
            mounts = config.blocks("secret_environment_variables")
            service = str(config.attr("service"))
            members = invokers.get(service, ())
            found[_key(resource.name, key)] = DeployedFunction(
                name=_key(resource.name, key),
                service=service,
                entry_point=str(fn.attr("build_config")[0].attr("entry_point")),
                env=_strings(config.attr("environment_variables"))
                if config.has("environment_variables")
                else {},
                secrets=tuple(str(m.attr("key")) for m in mounts),
                service_account=str(config.attr("service_account_email")),
                invokers=members,
                private=not set(members) & set(PUBLIC_MEMBERS),
                url=str(fn.attr("url")),
                secret_ids={str(m.attr("key")): str(m.attr("secret")) for m in mounts},
            )
    return found


def _run_services(r: Resolver, invokers: Invokers) -> dict[str, DeployedFunction]:
    found = {}
    for resource in r.resources("google_cloud_run_v2_service"):
        for key, svc in resource.instances().items():
            template = svc.attr("template")[0]
            env, secrets = _container_env(template.attr("containers")[0])
            if "FUNCTION_TARGET" not in env:
                raise Unresolved(f"{resource.kind}.{resource.name}: no FUNCTION_TARGET env")
            service = str(svc.attr("name"))
            open_to_all = svc.has("invoker_iam_disabled") and svc.attr("invoker_iam_disabled")
            members = ("allUsers",) if open_to_all else invokers.get(service, ())
            found[_key(resource.name, key)] = DeployedFunction(
                name=_key(resource.name, key),
                service=service,
                entry_point=env["FUNCTION_TARGET"],
                env=env,
                secrets=tuple(secrets),
                service_account=str(template.attr("service_account")),
                invokers=members,
                private=not set(members) & set(PUBLIC_MEMBERS),
                secret_ids=secrets,
            )
    return found


def _container_env(container: Block) -> tuple[dict[str, str], dict[str, str]]:
    """(plain variables, secret env name -> Secret Manager id) of one container."""
    plain, secrets = {}, {}
    for env in container.blocks("env"):
        name = str(env.attr("name"))
        if env.has("value_source"):
            ref = env.attr("value_source")[0].attr("secret_key_ref")[0]
            secrets[name] = str(ref.attr("secret"))
        else:
            plain[name] = str(env.attr("value"))
    return plain, secrets


def _invokers(r: Resolver) -> Invokers:
    """Cloud Run service name -> the members granted an invoker role on it."""
    members: dict[str, set[str]] = {}
    for kind in IAM_MEMBER_KINDS:
        for resource in r.resources(kind):
            for grant in resource.instances().values():
                target = grant.attr("name") if grant.has("name") else grant.attr("cloud_function")
                if grant.attr("role") in INVOKER_ROLES:
                    members.setdefault(str(target), set()).add(str(grant.attr("member")))
    return {service: tuple(sorted(found)) for service, found in members.items()}


def _render_job(r: Resolver) -> RenderJob:
    jobs = [i for res in r.resources("google_cloud_run_v2_job") for i in res.instances().values()]
    if len(jobs) != 1:
        raise Unresolved(f"terraform/ declares {len(jobs)} Cloud Run jobs; the render job is one")
    (job,) = jobs
    template = job.attr("template")[0].attr("template")[0]
    container = template.attr("containers")[0]
    env, secrets = _container_env(container)
    args = [*(container.attr(a) for a in ("command", "args") if container.has(a))]
    return RenderJob(
        name=str(job.attr("name")),
        env=env,
        service_account=str(template.attr("service_account")),
        args=tuple(str(a) for part in args for a in part),
        secrets=tuple(secrets),
    )


def _queues(r: Resolver) -> dict[str, Queue]:
    found = {}
    for resource in r.resources("google_cloud_tasks_queue"):
        for queue in resource.instances().values():
            rate, retry = queue.attr("rate_limits")[0], queue.attr("retry_config")[0]
            name = str(queue.attr("name"))
            found[name] = Queue(
                name=name,
                max_concurrent_dispatches=int(rate.attr("max_concurrent_dispatches")),
                max_dispatches_per_second=float(rate.attr("max_dispatches_per_second")),
                max_attempts=int(retry.attr("max_attempts")),
                min_backoff_s=_seconds(retry.attr("min_backoff")),
                max_backoff_s=_seconds(retry.attr("max_backoff")),
                max_doublings=int(retry.attr("max_doublings")),
            )
    return found


def _schedules(r: Resolver, functions: dict[str, DeployedFunction]) -> dict[str, tuple[str, str]]:
    """Scheduled function -> (the OIDC token's account, its audience)."""
    by_url = {fn.url: name for name, fn in functions.items() if fn.url}
    found = {}
    for resource in r.resources("google_cloud_scheduler_job"):
        for job in resource.instances().values():
            target = job.attr("http_target")[0]
            uri = str(target.attr("uri"))
            if uri not in by_url:
                raise Unresolved(f"{resource.kind}.{resource.name} calls {uri}, no function")
            token = target.attr("oidc_token")[0]
            found[by_url[uri]] = (
                str(token.attr("service_account_email")),
                str(token.attr("audience")) if token.has("audience") else uri,
            )
    return found


def _enqueue_grants(r: Resolver) -> dict[str, tuple[str, ...]]:
    grants: dict[str, set[str]] = {}
    all_queues = set(_queues(r))
    for resource in r.resources("google_cloud_tasks_queue_iam_member"):
        for grant in resource.instances().values():
            if grant.attr("role") == "roles/cloudtasks.enqueuer":
                grants.setdefault(_email(grant.attr("member")), set()).add(str(grant.attr("name")))
    for resource in r.resources("google_project_iam_member"):
        for grant in resource.instances().values():
            if grant.attr("role") in ("roles/cloudtasks.enqueuer", "roles/cloudtasks.admin"):
                grants.setdefault(_email(grant.attr("member")), set()).update(all_queues)
    return {email: tuple(sorted(queues)) for email, queues in sorted(grants.items())}


def _email(member: Any) -> str:
    kind, _, email = str(member).partition(":")
    if kind != "serviceAccount":
        raise Unresolved(f"enqueue granted to {member!r}, not a service account")
    return email


def _strings(env: Any) -> dict[str, str]:
    if not isinstance(env, dict):
        raise Unresolved(f"environment_variables resolved to {env!r}, not a map")
    return {str(k): str(v) for k, v in env.items()}


def _seconds(duration: Any) -> float:
    text = str(duration)
    if not text.endswith("s"):
        raise Unresolved(f'duration {text!r} is not in seconds ("…s")')
    return float(text[:-1])

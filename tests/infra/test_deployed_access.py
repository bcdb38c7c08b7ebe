"""terraform/ against what the code calls: the queues of shared/ports/queue.QUEUES with the step
runner's retries, each identity allowed to enqueue exactly where its code puts tasks, functions
callable only by whom their code accepts, schedules calling as an identity the function admits,
and no grant that nothing uses."""

from __future__ import annotations

import ast
import importlib
import inspect
from typing import Any

import pytest

from shared.adapters.cloud_tasks import target_url
from shared.adapters.local_queue import RetryPolicy
from shared.ports.queue import QUEUES
from shared.settings import Settings
from tests.infra.conftest import BASE
from tests.infra.deployment import Deployment, deployment
from tests.infra.enqueue_paths import ANY_QUEUE, queues_from
from tests.infra.resolver import Resolver
from tests.infra.terraform_config import REPO, load

main = importlib.import_module("functions.main")


def verifies_oidc(entry_point: str) -> bool:
    """Whether the entry point checks the caller's Google identity token (task endpoints and
    scheduled functions) rather than a signature of its own (Slack, the ad platforms)."""
    return "_auth(" in inspect.getsource(getattr(main, entry_point))


# (b) queues -----------------------------------------------------------------------------------


def test_every_queue_of_the_code_exists_with_the_step_runners_retries(
    scenario: tuple[Any, Deployment],
) -> None:
    _, deployed = scenario
    assert set(deployed.queues) == set(QUEUES)
    policy, settings = RetryPolicy(), Settings()
    for queue in deployed.queues.values():
        assert queue.max_attempts == policy.max_attempts == settings.queue_max_attempts
        assert queue.min_backoff_s == policy.min_backoff_s == settings.queue_min_backoff_s
        assert queue.max_backoff_s == policy.max_backoff_s == settings.queue_max_backoff_s
        # Pure doubling up to the cap, as RetryPolicy.backoff does: the last doubling reaches it.
        assert queue.min_backoff_s * 2 ** (queue.max_doublings - 1) < queue.max_backoff_s
        assert queue.min_backoff_s * 2**queue.max_doublings >= queue.max_backoff_s
        assert 0 < queue.max_dispatches_per_second <= 10, queue.name
        assert 0 < queue.max_concurrent_dispatches <= 20, queue.name
    # One render holds one L4 for its whole job: never more than a campaign's five videos.
    assert deployed.queues["render"].max_concurrent_dispatches <= 5


def test_overriding_one_queue_limit_keeps_the_rest() -> None:
    defaults = deployment(BASE).queues
    tier1 = deployment({**BASE, "queue_limits": {"pipeline": {"max_concurrent_dispatches": 2}}})
    assert set(tier1.queues) == set(QUEUES)
    assert tier1.queues["pipeline"].max_concurrent_dispatches == 2
    assert tier1.queues["pipeline"].max_dispatches_per_second == (
        defaults["pipeline"].max_dispatches_per_second
    )
    assert tier1.queues["render"] == defaults["render"]


def test_a_misspelt_queue_in_queue_limits_is_refused() -> None:
    with pytest.raises(ValueError, match="pipline, which is no queue"):
        deployment({**BASE, "queue_limits": {"pipline": {"max_concurrent_dispatches": 2}}})


# (c) who enqueues where -------------------------------------------------------------------------


def needed_queues(deployed: Deployment) -> dict[str, set[str]]:
    """Service account -> the queues the code it runs can put tasks on."""
    step_runner = set(main.STEP_FUNCTIONS) | {"sweep"}
    needed: dict[str, set[str]] = {}
    for fn in deployed.functions.values():
        if fn.entry_point in step_runner:
            # The runner commits whatever the step returns and the sweeper re-sends any of it.
            queues = {ANY_QUEUE}
        else:
            queues = queues_from("functions.main", fn.entry_point)
        if ANY_QUEUE in queues:
            queues = set(QUEUES)
        needed.setdefault(fn.service_account, set()).update(queues)
    return {account: queues for account, queues in needed.items() if queues}


def test_each_identity_may_enqueue_exactly_where_its_code_does(
    scenario: tuple[Any, Deployment],
) -> None:
    _, deployed = scenario
    needed = needed_queues(deployed)
    granted = {account: set(queues) for account, queues in deployed.enqueue_grants.items()}
    assert granted == needed


def test_the_bot_may_resend_a_failed_render() -> None:
    # `/adloop retry` re-sends the failed tasks on their own queues (retry_campaign).
    assert ANY_QUEUE in queues_from("functions.main", "slack_events")
    deployed = deployment(BASE)
    bot = deployed.functions["slack_events"].service_account
    assert "render" in deployed.enqueue_grants[bot]


def test_every_enqueuer_may_name_the_invoker_on_its_tasks() -> None:
    r = Resolver(load(), BASE)
    invoker = r.resource("google_service_account", "invoker").attr("name")
    may_act = {
        str(grant.attr("member"))
        for grant in r.resource("google_service_account_iam_member", "act_as_invoker")
        .instances()
        .values()
        if grant.attr("service_account_id") == invoker
        and grant.attr("role") == "roles/iam.serviceAccountUser"
    }
    assert {f"serviceAccount:{a}" for a in deployment(BASE).enqueue_grants} == may_act


# (d) and (e) who may call what ----------------------------------------------------------------


def test_oidc_functions_admit_only_the_invoker_and_the_rest_everyone(
    scenario: tuple[Any, Deployment],
) -> None:
    _, deployed = scenario
    for fn in deployed.functions.values():
        if verifies_oidc(fn.entry_point):
            invoker = fn.env["ADLOOP_TASKS_SERVICE_ACCOUNT"]
            assert fn.private and fn.invokers == (f"serviceAccount:{invoker}",), fn.name
        else:
            assert not fn.private and fn.invokers == ("allUsers",), fn.name


def test_schedules_call_as_an_identity_their_function_admits(
    scenario: tuple[Any, Deployment],
) -> None:
    _, deployed = scenario
    scheduled = {n for n, fn in deployed.functions.items() if verifies_oidc(fn.entry_point)}
    assert set(deployed.scheduler) == scheduled - set(main.STEP_FUNCTIONS)
    for name, account in deployed.scheduler.items():
        fn = deployed.functions[name]
        assert f"serviceAccount:{account}" in fn.invokers, name
        # functions/main.py checks the token's email and audience (OidcAuth).
        assert account == fn.env["ADLOOP_TASKS_SERVICE_ACCOUNT"], name
        base = fn.env["ADLOOP_TASKS_BASE_URL"]
        assert deployed.scheduler_audiences[name] == target_url(
            base, fn.entry_point, per_function=True
        )


def test_no_identity_signs_as_itself_unless_the_code_signs_urls() -> None:
    r = Resolver(load(), {**BASE, "data.google_project.this.number": "123456789012"})
    grants = r.resources("google_service_account_iam_member")
    self_signers = [
        grant
        for resource in grants
        for grant in resource.instances().values()
        if grant.attr("role") == "roles/iam.serviceAccountTokenCreator"
        and str(grant.attr("member")).startswith("serviceAccount:adloop-")
    ]
    signs = [call for call in _calls_named("url", ("shared", "bot", "infra", "functions"))]
    assert bool(self_signers) == bool(signs), (
        f"the code calls Blobs.url at {signs}: grant signBlob (iam.tf)"
        if signs
        else "an identity may sign blobs as itself, which no code does"
    )


def _calls_named(attr: str, packages: tuple[str, ...]) -> list[str]:
    found = []
    for package in packages:
        for path in sorted((REPO / package).rglob("*.py")):
            if path.parent.name == "adapters":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == attr
                    and "blobs" in ast.unparse(node.func.value)
                ):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    return found

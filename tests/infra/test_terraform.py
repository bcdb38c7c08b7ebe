"""The Terraform deploys what the code needs: a function per entry point and per task step, the
queues the code enqueues to with the step runner's retries, every secret setting, the Firestore
indexes its queries need, and no broad IAM grant."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from pydantic import SecretStr

from shared.adapters.local_queue import RetryPolicy
from shared.ports.queue import QUEUES, Task
from shared.settings import Settings
from tests.infra import code_facts
from tests.infra.terraform_config import TERRAFORM, Config, load, strings_in, unquote

# Entry points terraform deploys that other work in flight adds to functions/main.py. Each one
# is an expected failure (with this reason) only while it is missing; once it exists it passes.
_LEAD_ADDS = "lead adds it to functions/main.py"
PENDING_ENTRY_POINTS = {
    "webhook_meta": f"Meta webhook entry point, being written in infra/ ({_LEAD_ADDS})",
    "webhook_tiktok": f"TikTok webhook entry point, being written in infra/ ({_LEAD_ADDS})",
    "webhook_google_ads": f"Google Ads webhook entry point, being written in infra/ ({_LEAD_ADDS})",
    "slack_events": f"the Slack bot's entry point, being written in bot/ ({_LEAD_ADDS})",
    "loop_meta_report": "feedback-loop step (shared/loop/steps.py) with no _step() entry point yet",
    "loop_learn": "feedback-loop step (shared/loop/ingest.py) with no _step() entry point yet",
    "insights_pull": "scheduled insight pull (Cloud Scheduler, every 6 h): no entry point yet",
    "digest": "scheduled daily Slack digest (Cloud Scheduler): no entry point yet",
}

FORBIDDEN_ROLES = {"roles/owner", "roles/editor"}
FORBIDDEN_MEMBERS = {"allUsers", "allAuthenticatedUsers"}


@pytest.fixture(scope="module")
def tf() -> Config:
    return load()


def deployed_entry_points(tf: Config) -> set[str]:
    private = set(tf.local_strings("task_functions")) | set(tf.locals["scheduled_functions"])
    return private | set(tf.locals["public_functions"])


def code_entry_points() -> set[str]:
    """HTTP entry points functions/main.py defines: the step functions and its public callables."""
    main = importlib.import_module("functions.main")
    names = set(main.STEP_FUNCTIONS)
    for name, value in vars(main).items():
        if (
            callable(value)
            and not name.startswith("_")
            and getattr(value, "__module__", "") == main.__name__
        ):
            names.add(name)
    return names


def test_every_entry_point_in_functions_main_is_deployed(tf: Config) -> None:
    missing = code_entry_points() - deployed_entry_points(tf)
    assert not missing, (
        f"functions/main.py defines {sorted(missing)} but terraform deploys none of them"
    )


@pytest.mark.parametrize("name", sorted(deployed_entry_points(load())))
def test_every_deployed_entry_point_exists_in_functions_main(name: str) -> None:
    main = importlib.import_module("functions.main")
    if not callable(getattr(main, name, None)):
        if name in PENDING_ENTRY_POINTS:
            pytest.xfail(PENDING_ENTRY_POINTS[name])
        pytest.fail(f"terraform deploys entry point {name!r}, which functions/main.py lacks")


def test_every_step_a_task_is_created_for_has_a_function(tf: Config) -> None:
    steps = code_facts.task_steps()
    assert "intake" in steps and "render" in steps  # the scan reads the code it should
    missing = steps - set(tf.local_strings("task_functions"))
    assert not missing, f"tasks are created for {sorted(missing)}, which no function serves"


def test_functions_are_built_from_their_entry_points(tf: Config) -> None:
    private = tf.of_type("google_cloudfunctions2_function")["private"]
    assert private["for_each"] == "${local.private_functions}"
    assert private["build_config"][0]["entry_point"] == "${each.key}"
    public = tf.of_type("google_cloud_run_v2_service")["public"]
    assert public["for_each"] == "${local.public_functions}"
    env = public["template"][0]["containers"][0]["env"]
    assert {"name": '"FUNCTION_TARGET"', "value": "${each.key}"}.items() <= _first(env).items()


def test_the_bot_keeps_one_instance_warm(tf: Config) -> None:
    assert tf.locals["public_functions"]["slack_events"]["min_instances"] == 1
    public = tf.of_type("google_cloud_run_v2_service")["public"]
    scaling = public["template"][0]["scaling"][0]
    assert scaling["min_instance_count"] == "${each.value.min_instances}"


def test_private_functions_admit_only_the_invoker(tf: Config) -> None:
    config = tf.of_type("google_cloudfunctions2_function")["private"]["service_config"][0]
    assert unquote(config["ingress_settings"]) == "ALLOW_INTERNAL_ONLY"
    invoke = tf.of_type("google_cloud_run_v2_service_iam_member")["invoke_private"]
    assert invoke["for_each"] == "${local.private_functions}"
    assert unquote(invoke["role"]) == "roles/run.invoker"
    assert "google_service_account.invoker.email" in invoke["member"]


def test_every_queue_the_code_enqueues_to_exists(tf: Config) -> None:
    used = code_facts.task_queues() | {Task("c", "s").queue} | set(QUEUES)
    declared = set(tf.variable_default("queue_limits"))
    assert used == declared, (
        f"code uses queues {sorted(used)}, terraform declares {sorted(declared)}"
    )
    queue = tf.of_type("google_cloud_tasks_queue")["queue"]
    assert queue["for_each"] == "${var.queue_limits}"
    assert queue["name"] == "${each.key}"


def test_queue_retries_mirror_the_step_runner(tf: Config) -> None:
    policy, settings = RetryPolicy(), Settings()
    retry = {k: unquote(v) for k, v in tf.locals["retry"].items()}
    assert _seconds(retry["min_backoff"]) == policy.min_backoff_s == settings.queue_min_backoff_s
    assert _seconds(retry["max_backoff"]) == policy.max_backoff_s == settings.queue_max_backoff_s
    assert retry["max_attempts"] == policy.max_attempts == settings.queue_max_attempts
    # Pure doubling up to the cap, as RetryPolicy.backoff does: the last doubling reaches it.
    doublings = retry["max_doublings"]
    assert policy.min_backoff_s * 2 ** (doublings - 1) < policy.max_backoff_s
    assert policy.min_backoff_s * 2**doublings >= policy.max_backoff_s
    config = tf.of_type("google_cloud_tasks_queue")["queue"]["retry_config"][0]
    assert config["max_attempts"] == "${local.retry.max_attempts}"
    assert config["min_backoff"] == "${local.retry.min_backoff}"


def test_queue_rate_limits_bound_concurrency(tf: Config) -> None:
    limits = tf.variable_default("queue_limits")
    for queue, limit in limits.items():
        assert 0 < limit["max_dispatches_per_second"] <= 10, queue
        assert 0 < limit["max_concurrent_dispatches"] <= 20, queue
    # One render holds one L4 for its whole job: never more than a campaign's five videos.
    assert limits["render"]["max_concurrent_dispatches"] <= 5


def test_every_secret_setting_is_declared(tf: Config) -> None:
    declared = set(tf.local_strings("secrets"))
    wanted = {
        _env_name(name, info.validation_alias)
        for name, info in Settings.model_fields.items()
        if SecretStr in _types(info.annotation)
    }
    assert "SLACK_BOT_TOKEN" in wanted and "ADLOOP_TASK_TOKEN" in wanted
    assert wanted <= declared, f"undeclared secrets: {sorted(wanted - declared)}"
    # step_secrets is an expression (the Claude key only with llm = "anthropic"): its env names.
    mounted = {s for s in tf.local_strings("step_secrets") if re.fullmatch(r"[A-Z][A-Z0-9_]+", s)}
    assert "ANTHROPIC_API_KEY" in mounted
    for fn in tf.locals["public_functions"].values():
        mounted |= {unquote(s) for s in fn["secrets"]}
    assert mounted <= declared, f"mounted but undeclared: {sorted(mounted - declared)}"
    secret = tf.of_type("google_secret_manager_secret")["secret"]
    assert secret["for_each"] == "${local.secrets}"


def test_no_binding_is_broad(tf: Config) -> None:
    for kind, name, body in tf.iter_resources():
        assert not re.search(r"_iam_(binding|policy)$", kind), (
            f"{kind}.{name}: authoritative IAM would remove grants made outside terraform"
        )
        if "_iam_" not in kind:
            continue
        assert unquote(body.get("role")) not in FORBIDDEN_ROLES, f"{kind}.{name}"
        members = set(strings_in(body.get("member", ""))) | {unquote(body.get("member", ""))}
        assert not members & FORBIDDEN_MEMBERS, f"{kind}.{name} grants {body.get('member')}"
    for path in TERRAFORM.rglob("*.tf"):
        text = path.read_text()
        for word in (*FORBIDDEN_ROLES, *FORBIDDEN_MEMBERS):
            assert f'"{word}"' not in text, f"{path.name} names {word}"


def test_each_deployable_runs_as_its_own_service_account(tf: Config) -> None:
    private = tf.of_type("google_cloudfunctions2_function")["private"]["service_config"][0]
    public = tf.of_type("google_cloud_run_v2_service")["public"]["template"][0]
    job = tf.of_type("google_cloud_run_v2_job")["render"]["template"][0]["template"][0]
    identities = {
        "steps": private["service_account_email"],
        "public": public["service_account"],
        "render": job["service_account"],
    }
    assert "google_service_account.steps" in identities["steps"]
    assert "google_service_account.bot" in identities["public"]
    assert "google_service_account.webhooks" in identities["public"]
    assert "google_service_account.render" in identities["render"]


def test_firestore_indexes_cover_the_code_queries(tf: Config) -> None:
    declared = {
        (unquote(ix["collection"]), tuple(unquote(f) for f in ix["fields"]))
        for ix in tf.locals["composite_indexes"].values()
    }
    needed = {
        (q.collection, fields, q.where)
        for q in code_facts.queries()
        if (fields := q.composite_fields())
    }
    assert any(c == "audit" for c, _, _ in needed)  # the scan sees the queries it should
    missing = [(c, f, w) for c, f, w in needed if (c, f) not in declared]
    assert not missing, f"queries without a composite index: {missing}"
    database = tf.of_type("google_firestore_database")["default"]
    assert unquote(database["type"]) == "FIRESTORE_NATIVE"


def test_render_job_runs_on_an_l4_in_an_l4_region(tf: Config) -> None:
    job = tf.of_type("google_cloud_run_v2_job")["render"]["template"][0]["template"][0]
    assert unquote(job["node_selector"][0]["accelerator"]) == "nvidia-l4"
    limits = {
        unquote(k): unquote(v) for k, v in job["containers"][0]["resources"][0]["limits"].items()
    }
    assert limits["nvidia.com/gpu"] == "1"
    assert int(limits["cpu"]) >= 4 and limits["memory"] == "16Gi"  # Cloud Run's L4 minimum
    region = tf.variables["region"]
    assert unquote(region["default"]) in strings_in(region["validation"][0]["condition"])


def test_outputs_give_the_urls_the_slack_manifest_needs(tf: Config) -> None:
    assert 'public["slack_events"].uri' in tf.outputs["slack_request_url"]["value"]
    assert {"meta", "tiktok", "google_ads"} <= set(tf.outputs["webhook_urls"]["value"])


def test_variables_cover_project_region_and_slack_channel(tf: Config) -> None:
    assert {"project", "region", "slack_channel"} <= set(tf.variables)
    assert "default" not in tf.variables["project"]


def _first(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return blocks[0]


def _seconds(duration: str) -> float:
    assert duration.endswith("s"), duration
    return float(duration[:-1])


def _types(annotation: Any) -> tuple[Any, ...]:
    return getattr(annotation, "__args__", (annotation,))


def _env_name(field: str, alias: Any) -> str:
    return alias if isinstance(alias, str) else f"ADLOOP_{field.upper()}"

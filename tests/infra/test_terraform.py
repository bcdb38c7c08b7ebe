"""The Terraform deploys what the code needs: a function per entry point and per task step, every
secret setting, the Firestore indexes its queries need and no others, and no broad IAM grant.
test_consistency.py checks what it resolves to (environment, queues, IAM) against the code."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from pydantic import SecretStr

from shared.settings import Settings
from shared.steps import FLOW
from tests.infra import code_facts
from tests.infra.deployment import deployment
from tests.infra.terraform_config import TERRAFORM, Config, load, strings_in, unquote

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


def test_every_step_a_task_is_created_for_has_a_function(tf: Config) -> None:
    # The runner's tasks are the flow's steps (test_flow.py checks those one by one); the scan
    # finds the tasks made outside it: Slack reactions, replies and clicks, webhooks, polls.
    steps = code_facts.task_steps()
    assert "tag" in steps and "loop_meta_report" in steps  # the scan reads the code it should
    missing = (steps | set(FLOW.names)) - set(tf.local_strings("task_functions"))
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


def test_every_secret_setting_is_declared_and_every_mount_too(tf: Config) -> None:
    declared = set(tf.local_strings("secrets"))
    wanted = {
        _env_name(name, info.validation_alias)
        for name, info in Settings.model_fields.items()
        if SecretStr in _types(info.annotation)
    }
    assert "SLACK_BOT_TOKEN" in wanted and "ADLOOP_TASK_TOKEN" in wanted
    assert wanted <= declared, f"undeclared secrets: {sorted(wanted - declared)}"
    everything = deployment(
        {
            "project": "p",
            "slack_channel": "C1",
            "llm": "anthropic",
            "ad_platforms": ["meta", "tiktok", "google_ads"],
            "meta_ad_account_id": "act_1",
            "tiktok_advertiser_id": "7000000000000000001",
        }
    )
    mounted = {s for fn in everything.functions.values() for s in fn.secrets}
    assert {"ANTHROPIC_API_KEY", "META_ACCESS_TOKEN", "TIKTOK_CLIENT_SECRET"} <= mounted
    assert "TIKTOK_ACCESS_TOKEN" in mounted
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


def test_firestore_indexes_are_the_ones_the_code_queries_need(tf: Config) -> None:
    declared = {
        (unquote(ix["collection"]), tuple(unquote(f) for f in ix["fields"])): name
        for name, ix in tf.locals["composite_indexes"].items()
    }
    needed = {
        (q.collection, fields): q.where
        for q in code_facts.queries()
        if (fields := q.composite_fields())
    }
    assert any(c == "audit" for c, _ in needed)  # the scan sees the queries it should
    missing = {index: where for index, where in needed.items() if index not in declared}
    assert not missing, f"queries without a composite index: {missing}"
    unused = {name: index for index, name in declared.items() if index not in needed}
    assert not unused, f"composite indexes no query uses (each costs writes): {unused}"
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


def _types(annotation: Any) -> tuple[Any, ...]:
    return getattr(annotation, "__args__", (annotation,))


def _env_name(field: str, alias: Any) -> str:
    return alias if isinstance(alias, str) else f"ADLOOP_{field.upper()}"

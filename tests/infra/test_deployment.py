"""deployment(values): terraform/ resolved the way terraform would resolve it, and a loud error
for whatever only a real apply knows."""

from __future__ import annotations

from typing import Any

import pytest

from tests.infra.deployment import deployment
from tests.infra.hcl_eval import EvalError, TfSet, Unresolved, evaluate
from tests.infra.terraform_config import loads

HARNESS = {
    "project": "adloop-local",
    "region": "us-central1",
    "bucket": "adloop-assets",
    "functions_base_url": "http://127.0.0.1:8123",
    "slack_channel": "C0DIGEST",
}

# A small configuration in terraform/'s own shapes, for what terraform/ does not exercise.
MINIMAL = """
variable "project" {
  type = string
}
provider "google" {
  project = var.project
}
resource "google_service_account" "fn" {
  account_id = "fn-runner"
}
resource "google_cloud_run_v2_job" "job" {
  name = "job"
  template {
    template {
      service_account = google_service_account.fn.email
      containers {
        args = ["--spec"]
      }
    }
  }
}
"""


def function_with_env(env: str) -> str:
    return f"""
resource "google_cloudfunctions2_function" "only" {{
  name     = "only-one"
  location = "europe-west4"
  build_config {{
    entry_point = "only"
  }}
  service_config {{
    service_account_email = google_service_account.fn.email
    environment_variables = {{ {env} }}
  }}
}}
"""


def test_what_the_harness_gives_lands_in_every_function() -> None:
    deployed = deployment(HARNESS)
    intake = deployed.functions["intake"]
    assert intake.env["ADLOOP_GCP_PROJECT"] == "adloop-local"
    assert intake.env["ADLOOP_GCP_REGION"] == "us-central1"
    assert intake.env["ADLOOP_BUCKET"] == "adloop-assets"
    assert deployed.render_job.env["ADLOOP_BUCKET"] == "adloop-assets"
    assert intake.env["ADLOOP_TASKS_BASE_URL"] == "http://127.0.0.1:8123"
    assert intake.url == "http://127.0.0.1:8123/intake"
    assert intake.service_account == "adloop-steps@adloop-local.iam.gserviceaccount.com"
    slack = deployed.functions["slack_events"]
    assert (slack.entry_point, slack.service) == ("slack_events", "slack-events")
    assert not slack.private and slack.invokers == ("allUsers",)
    assert deployed.functions["loop_meta_report"].service == "loop-meta-report"


def test_without_the_harness_values_functions_get_their_google_urls() -> None:
    deployed = deployment({"project": "acme-ads", "slack_channel": "C1"})
    sweep = deployed.functions["sweep"]
    # https://cloud.google.com/functions/docs/calling/http
    assert sweep.url == "https://europe-west4-acme-ads.cloudfunctions.net/sweep"
    assert sweep.env["ADLOOP_BUCKET"] == "acme-ads-adloop-assets"  # the bucket's own name


def test_variables_take_their_defaults_unless_given() -> None:
    assert deployment(HARNESS).functions["write"].env["ADLOOP_LLM"] == "vertex"
    claude = deployment({**HARNESS, "llm": "anthropic"}).functions["write"]
    assert claude.env["ADLOOP_LLM"] == "anthropic"
    assert "ANTHROPIC_API_KEY" in claude.secrets
    assert claude.secret_ids["ANTHROPIC_API_KEY"] == "anthropic-api-key"


def test_a_variable_without_a_default_must_be_given() -> None:
    with pytest.raises(Unresolved, match=r"var\.slack_channel has no default.*values\['slack"):
        deployment({"project": "adloop-local"})


def test_an_unknown_value_is_refused_not_ignored() -> None:
    with pytest.raises(ValueError, match="'buckett' is neither a terraform variable"):
        deployment({**HARNESS, "buckett": "x"})


def test_variable_validations_hold() -> None:
    with pytest.raises(ValueError, match="ad_platforms may list meta, tiktok and google_ads"):
        deployment({**HARNESS, "ad_platforms": ["myspace"]})
    with pytest.raises(ValueError, match="Pick a region where Cloud Run offers NVIDIA L4"):
        deployment({**HARNESS, "region": "europe-north1"})


def test_preconditions_hold() -> None:
    with pytest.raises(ValueError, match="set meta_ad_account_id"):
        deployment({**HARNESS, "ad_platforms": ["meta"]})


def test_a_reference_only_an_apply_knows_fails_loudly() -> None:
    config = loads(MINIMAL, function_with_env("X = google_service_account.fn.unique_id"))
    with pytest.raises(Unresolved, match=r"google_service_account\.fn\.unique_id is known only"):
        deployment({"project": "p"}, config=config)


def test_a_data_source_must_be_given() -> None:
    config = loads(
        MINIMAL,
        'data "google_project" "this" {\n  project_id = var.project\n}\n',
        function_with_env("N = data.google_project.this.number"),
    )
    with pytest.raises(Unresolved, match=r"data\.google_project\.this\.number"):
        deployment({"project": "p"}, config=config)
    given = deployment({"project": "p", "data.google_project.this.number": "42"}, config=config)
    assert given.functions["only"].env == {"N": "42"}


def test_an_unknown_function_or_construct_fails_loudly() -> None:
    config = loads(MINIMAL, function_with_env('X = base64encode("a")'))
    with pytest.raises(Unresolved, match=r"base64encode\(\) is not known"):
        deployment({"project": "p"}, config=config)


def test_a_given_attribute_replaces_what_terraform_would_compute() -> None:
    config = loads(MINIMAL, function_with_env("X = google_service_account.fn.email"))
    default = deployment({"project": "p"}, config=config).functions["only"]
    assert default.env == {"X": "fn-runner@p.iam.gserviceaccount.com"}
    assert default.service_account == "fn-runner@p.iam.gserviceaccount.com"
    moved = deployment(
        {"project": "p", "google_service_account.fn.email": "other@p.iam.gserviceaccount.com"},
        config=config,
    ).functions["only"]
    assert moved.env == {"X": "other@p.iam.gserviceaccount.com"}
    assert moved.invokers == () and moved.private
    job = deployment({"project": "p"}, config=config).render_job
    assert (job.name, job.args, job.env) == ("job", ("--spec",), {})


class _NoNames:
    def name(self, ident: str) -> Any:
        raise Unresolved(ident)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # https://developer.hashicorp.com/terraform/language/functions/keys: lexical order.
        ("${keys({b = 1, a = 2})}", ["a", "b"]),
        # .../functions/merge: later arguments win.
        ("${merge({a = 1, b = 1}, {a = 2})}", {"a": 2, "b": 1}),
        # .../expressions/function-calls#expanding-function-arguments
        ("${merge([{a = 1}, {b = 2}]...)}", {"a": 1, "b": 2}),
        # .../functions/setunion and toset: distinct, lexical order.
        ('${setunion(toset(["b", "a"]), ["a", "c"])}', TfSet(("a", "b", "c"))),
        # .../expressions/for: a map iterates in key order; `if` filters.
        ("${[for k, v in {b = 2, a = 1} : k if v > 1]}", ["b"]),
        ('${{for k, v in {a = "x"} : "${k}-${v}" => upper(v)}}', {"a-x": "X"}),
        # .../functions/replace: a /regex/ search.
        ('${replace("a_b-c", "/[_-]/", ".")}', "a.b.c"),
        ('${join(",", [])}', ""),
        ("${try({a = 1}.b, 7)}", 7),
        ('${can(regex("^act_[0-9]+$", "act_12"))}', True),
        ('"a\\"b $${x} ${1 + 2}"', 'a"b ${x} 3'),
        ("${!true || 3 % 2 == 1}", True),
        ('${concat(["a"], false ? ["b"] : [], ["c"])}', ["a", "c"]),
        ('${contains(toset(["meta"]), "meta")}', True),
    ],
)
def test_expressions_evaluate_as_terraform_documents(expression: str, expected: Any) -> None:
    assert evaluate(expression, _NoNames()) == expected


def test_a_missing_key_is_an_error_not_a_null() -> None:
    with pytest.raises(EvalError, match="no attribute 'b'"):
        evaluate("${{a = 1}.b}", _NoNames())

"""The model check beside the policy rules: only copy the rules leave in doubt goes to the model,
through the real anthropic client against a local server speaking the Messages API; its answer
is validated and its verdict stored, so the same text is never asked about twice. Offline the
rules alone decide."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from shared.adapters.local_folder import FolderBlobs
from shared.adapters.sqlite import SqliteDocuments
from shared.adapters.subprocess_jobs import SubprocessJobRunner
from shared.bootstrap import textgen_factory
from shared.creative.offline import OfflineGenerator
from shared.creative.policy.review import MODEL_RULES
from shared.models.creative import Finding
from shared.pipeline.policy_review import COLLECTION, checker, model_findings
from shared.ports.textgen import Generation
from shared.services import Services
from shared.settings import Settings
from tests.fakes import Answer, FakeAnthropicAPI
from tests.fakes.anthropic_api import prompt_of
from tests.pipeline.test_runner import RecordingQueue

# Copy the rules pass but cannot settle: "diabetes" is there, no "you have" structure is.
DOUBTFUL = "Diabetes never stopped Maria from running marathons, and our socks helped."
# Copy with nothing for any rule to doubt.
PLAIN = "Soft cotton socks in six colours. Free delivery on orders over $30."


@dataclass
class Ctx:
    services: Services


def services(tmp_path: Path, settings: Settings) -> Services:
    return Services(
        settings=settings,
        documents=SqliteDocuments(tmp_path / "state.db"),
        blobs=FolderBlobs(tmp_path / "blobs"),
        queue=RecordingQueue(),
        jobs=SubprocessJobRunner(tmp_path / "jobs"),
        textgen=textgen_factory(settings),
    )


@contextmanager
def anthropic(
    tmp_path: Path, *findings: list[dict[str, str]]
) -> Iterator[tuple[Ctx, FakeAnthropicAPI]]:
    """A context whose provider is Claude, answering with ``findings`` in turn."""
    replies = [Answer({"findings": answer}) for answer in findings]
    with FakeAnthropicAPI(replies) as fake:
        settings = Settings(
            home=tmp_path,
            llm="anthropic",
            anthropic_api_key="sk-ant-test",
            anthropic_base_url=fake.url,
        )
        yield Ctx(services(tmp_path, settings)), fake


def finding(rule: str, span: str) -> dict[str, str]:
    return {"rule": rule, "span": span, "reason": "implies the reader's condition"}


def test_a_doubtful_text_is_asked_once_and_the_verdict_is_stored(tmp_path: Path) -> None:
    span = "Diabetes never stopped Maria"
    with anthropic(tmp_path, [finding("personal_attributes", span)]) as (ctx, fake):
        found, calls = model_findings(ctx, DOUBTFUL, "en", None, [])
        again, calls_again = model_findings(ctx, DOUBTFUL, "en", None, [])  # a redelivery

    assert [(f.rule, f.span) for f in found] == [("personal_attributes", span)]
    assert found[0].reason.startswith("model review:")
    assert len(calls) == 1 and calls[0].provider == "anthropic"
    prompt = prompt_of(fake.requests[0])
    assert DOUBTFUL in prompt and "personal_attributes: 'Diabetes'" in prompt
    stored = ctx.services.documents.query(COLLECTION)
    assert len(stored) == 1 and stored[0].data["prompt_version"] == "policy-v1"
    assert again == found and calls_again == []
    assert len(fake.requests) == 1


def test_the_cache_key_holds_the_category(tmp_path: Path) -> None:
    with anthropic(tmp_path, [], []) as (ctx, fake):
        model_findings(ctx, DOUBTFUL, "en", None, [])
        model_findings(ctx, DOUBTFUL, "en", "apparel", [])
        model_findings(ctx, DOUBTFUL, "en", None, [])

    assert len(fake.requests) == 2
    assert len(ctx.services.documents.query(COLLECTION)) == 2


def test_clear_copy_never_reaches_the_model(tmp_path: Path) -> None:
    calls: list[Generation] = []
    with anthropic(tmp_path) as (ctx, fake):
        check = checker(ctx, (), None, calls)
        plain = check(PLAIN, "en")
        violating = check("Are you depressed? Our tea cures depression.", "en")

    assert plain == []
    assert {f.rule for f in violating} == {"personal_attributes", "health_claim"}
    assert fake.requests == [] and calls == []


def test_a_made_up_span_or_rule_is_sent_back_before_it_counts(tmp_path: Path) -> None:
    answers = [
        [finding("personal_attributes", "you have diabetes")],
        [finding("made_up", "Diabetes")],
        [finding("personal_attributes", "Diabetes")],
    ]
    with anthropic(tmp_path, *answers) as (ctx, fake):
        found, calls = model_findings(ctx, DOUBTFUL, "en", None, [])

    assert [f.span for f in found] == ["Diabetes"]
    assert len(calls) == 3
    second, third = (prompt_of(r) for r in fake.requests[1:])
    assert "'you have diabetes' is not in the ad" in second
    assert "'made_up' is not one of" in third
    assert found[0].span in DOUBTFUL and found[0].rule in MODEL_RULES


def test_the_checker_adds_the_model_findings_to_the_rules_style_findings(tmp_path: Path) -> None:
    calls: list[Generation] = []
    text = DOUBTFUL + " Really!!"
    with anthropic(tmp_path, [finding("personal_attributes", "Diabetes")]) as (ctx, _):
        found = checker(ctx, (), None, calls)(text, "en")

    assert [(f.rule, f.span) for f in found] == [
        ("excessive_punctuation", "!!"),
        ("personal_attributes", "Diabetes"),
    ]
    assert len(calls) == 1


def test_copy_the_rules_already_block_is_not_asked_about(tmp_path: Path) -> None:
    calls: list[Generation] = []
    with anthropic(tmp_path) as (ctx, fake):
        found = checker(ctx, ("socks",), None, calls)(DOUBTFUL, "en")

    assert [(f.rule, f.span) for f in found] == [("brand_avoid", "socks")]
    assert calls == [] and fake.requests == []


def test_offline_the_rules_alone_decide(tmp_path: Path) -> None:
    offline = Services(
        settings=Settings(home=tmp_path),
        documents=SqliteDocuments(tmp_path / "state.db"),
        blobs=FolderBlobs(tmp_path / "blobs"),
        queue=RecordingQueue(),
        jobs=SubprocessJobRunner(tmp_path / "jobs"),
        textgen=lambda step: OfflineGenerator(),
    )

    found, calls = model_findings(Ctx(offline), DOUBTFUL, "en", None, [])

    assert found == [] and calls == []
    assert offline.documents.query(COLLECTION) == []


def test_a_rule_the_rules_already_report_is_not_asked_again(tmp_path: Path) -> None:
    reported = [Finding(rule="personal_attributes", span="Diabetes", reason="r")]
    with anthropic(tmp_path) as (ctx, fake):
        found, calls = model_findings(ctx, DOUBTFUL, "en", None, reported)

    assert found == [] and calls == [] and fake.requests == []

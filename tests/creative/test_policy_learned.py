"""The learned policy check: fitted on the corpus's dev split only, scored in pure Python exactly
as scikit-learn scores it, and heard only where the hand-written rules found nothing."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from shared.creative import policy
from shared.creative.policy import learned
from shared.creative.policy.doubts import doubts
from tests.conftest import load_script

ROOT = Path(__file__).resolve().parents[2]


def _trainer():
    return load_script(ROOT / "bench" / "compliance_train.py")


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_shipped_model_was_fitted_on_todays_dev_split_and_nothing_else(language: str) -> None:
    """A corpus change without a refit fails here: run bench/compliance_train.py."""
    stored = json.loads(
        gzip.decompress((ROOT / f"shared/creative/policy/model/{language}.json.gz").read_bytes())
    )
    dev = _trainer().dev_lines(language)
    assert all(row["split"] == "dev" for row in dev)
    digest = hashlib.sha256("\n".join(sorted(r["id"] for r in dev)).encode()).hexdigest()
    assert stored["trained_on"] == {"split": "dev", "lines": len(dev), "ids_sha256": digest}


def test_the_pure_python_scorer_is_scikit_learns_arithmetic() -> None:
    """The runtime reads stored numbers; scikit-learn fitted them. Fit a small model, export it
    the way the trainer does, and compare class probabilities on texts it never saw."""
    trainer = _trainer()
    rows = trainer.dev_lines("en")[::3]
    docs = [learned.features(r["text"], "en") for r in rows]
    labels = [trainer.label(r) or "clean" for r in rows]
    fitted = trainer.fit(docs, labels, 4.0)
    data = trainer.export(fitted, 0.5, rows)
    ours = learned.Model(
        classes=tuple(data["classes"]),
        vocabulary={t: i for i, t in enumerate(data["terms"])},
        idf=tuple(data["idf"]),
        coef=tuple(tuple(r) for r in data["coef"]),
        intercept=tuple(data["intercept"]),
        threshold=0.5,
    )
    texts = [
        "Still can't pay the rent this month? We can help today.",
        "Our tea blend: ginger, lemon and honey, brewed in three minutes.",
        "Results guaranteed or your money back, every single time!",
    ]
    for text in texts:
        terms = learned.features(text, "en")
        expected = dict(zip(fitted.classes_, fitted.predict_proba([terms])[0], strict=True))
        got = learned.probabilities(terms, ours)
        assert got == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    ("text", "language", "rule", "span"),
    [
        # Paraphrases no rule names (our own sentences, not corpus lines).
        (
            "Kiss your inhaler goodbye after one week with our drops.",
            "en",
            "health_claim",
            "Kiss your inhaler goodbye after one week with our drops.",
        ),
        (
            "¿Tu pareja te dejó? Recupera la confianza hoy.",
            "es",
            "personal_attributes",
            "Tu pareja te dejó?",
        ),
        (
            "Gana lo de un sueldo entero desde el sofá.",
            "es",
            "income_claim",
            "Gana lo de un sueldo entero desde el sofá.",
        ),
    ],
)
def test_the_learned_check_catches_what_no_rule_names(
    text: str, language: str, rule: str, span: str
) -> None:
    assert policy.check(text, language) == []  # the pipeline's check: the rules alone
    [finding] = policy.check(text, language, learned=True)  # lint-copy's
    assert (finding.rule, finding.span) == (rule, span)
    assert "learned check" in finding.reason
    # With a model provider, the pipeline asks the model about what the learned check read.
    assert (rule, span, "learned") in [(d.rule, d.span, d.why) for d in doubts(text, language, [])]


def test_it_speaks_only_where_the_rules_are_silent() -> None:
    ruled = "Are you struggling with depression? Talk to us."
    with_model = policy.check(ruled, "en", learned=True)
    without = policy.check(ruled, "en")
    assert [f.rule for f in with_model] == [f.rule for f in without] == ["personal_attributes"]
    clean = "Our tea blend: ginger, lemon and honey. Brew it in three minutes."
    assert policy.check(clean, "en", learned=True) == []


def test_a_line_of_thousands_of_sentences_is_read_in_a_bounded_number_of_windows() -> None:
    """An outside attacker's line of 16,000 one-word sentences made 320,000 windows (14 s for
    one line); past ALL_WINDOWS_UPTO sentences each sentence alone and its longest run are
    read, and shorter copy still gets every run."""
    from shared.creative.policy.learned import ALL_WINDOWS_UPTO, WINDOW_WORDS, _windows

    huge = "Hola. " * 16_000
    assert len(_windows(huge)) < 3 * 16_000  # was about 20 per sentence
    short = "Uno. " * (ALL_WINDOWS_UPTO // 2)
    runs = len(_windows(short))
    assert runs > 0.9 * (ALL_WINDOWS_UPTO // 2) * WINDOW_WORDS  # every run of up to 20 words

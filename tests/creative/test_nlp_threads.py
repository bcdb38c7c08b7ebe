"""The queue's workers run steps on threads, and the first policy check of a process may start
on several at once: each language's spaCy vocabulary and matchers must be built once, or a doc of
one vocabulary meets a matcher of another (spaCy E018 in the judge step, found from outside)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_the_first_checks_on_many_threads_agree_with_one_thread() -> None:
    script = textwrap.dedent(
        """
        import threading
        from shared.creative import policy

        texts = [
            ("Are you struggling with depression? Our app cures it overnight.", "en"),
            ("¿Tienes deudas? Gana 5.000 € al mes garantizado.", "es"),
            ("Lose 10 lbs in a week without dieting!!", "en"),
            ("Pierde 8 kilos sin esfuerzo en 2 semanas.", "es"),
        ] * 4
        barrier = threading.Barrier(len(texts))
        results = [None] * len(texts)
        errors = []

        def run(i, text, language):
            barrier.wait()  # every thread asks at once, before anything is built
            try:
                results[i] = [(f.rule, f.span) for f in policy.check(text, language)]
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=run, args=(i, *t)) for i, t in enumerate(texts)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == [], errors
        alone = [[(f.rule, f.span) for f in policy.check(t, lang)] for t, lang in texts]
        assert results == alone, (results, alone)
        assert all(alone), alone
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "ok"


def test_the_detector_and_the_rules_importing_spacy_at_once_both_work() -> None:
    # An outside attack's first demo: the warm-up thread imported spaCy's stop words for the
    # language detector while a worker imported its matcher; one got spaCy half-initialised
    # ("cannot import name 'get_string_id' from partially initialized module", KeyError
    # 'spacy') and the write step crashed.
    script = textwrap.dedent(
        """
        import threading
        from shared.creative import language, nlp, policy

        jobs = [
            lambda: language.detect("warm up the detector", expected="en"),
            lambda: policy.check("Pierde 8 kilos sin esfuerzo en 2 semanas.", "es"),
            lambda: nlp.tokenizer("en"),
            lambda: language.detect("calienta el detector ahora", expected="es"),
        ]
        barrier = threading.Barrier(len(jobs))
        errors = []

        def run(job):
            barrier.wait()
            try:
                job()
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == [], errors
        print("ok")
        """
    )
    for _ in range(3):  # a race: a few fresh processes
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert done.stdout.strip() == "ok"

"""Claim grounding for the steps that write copy (govern, blueprint, validate, review): each
claim a text makes, traced to the brief or the brand kit (shared/creative/claims). An unsupported
claim blocks: the model is asked again with it named, and copy that still carries it is flagged."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from shared.creative import claims
from shared.models.brand import BrandProfile
from shared.models.creative import ClaimTrace
from shared.pipeline.generation import MAX_CORRECTIONS, Checker

A = TypeVar("A")


class Grounder:
    """Grounds texts against one campaign's brief and brand; the sources of each language are
    read once."""

    def __init__(self, brief: dict[str, Any], brand: BrandProfile | None) -> None:
        self._brief, self._brand = brief, brand
        self._sources: dict[str, list[claims.Source]] = {}

    def sources(self, language: str) -> list[claims.Source]:
        if language not in self._sources:
            self._sources[language] = list(claims.sources_from(self._brief, self._brand, language))
        return self._sources[language]

    def ground(self, texts: Sequence[str], language: str) -> list[ClaimTrace]:
        """The claims of ``texts`` (a hook repeated in the voice-over counts once)."""
        traces: list[ClaimTrace] = []
        seen: set[tuple[str, str]] = set()
        for text in texts:
            for trace in claims.ground(text, language, self.sources(language)):
                if (trace.kind, trace.span.lower()) not in seen:
                    seen.add((trace.kind, trace.span.lower()))
                    traces.append(trace)
        return traces

    def checked(
        self,
        check: Checker[A],
        texts: Callable[[A], list[tuple[str, str]]],
    ) -> Checker[A]:
        """``check`` that also refuses an answer with an unsupported claim, naming it, so the
        model is asked again (generate_valid); its last answer is kept whatever it claims, for
        the caller's verdict to flag: one stubborn claim must not fail the whole campaign.
        ``texts`` gives an answer's (text, language) pairs."""
        tries = 0

        def run(text: str) -> tuple[A | None, list[str]]:
            nonlocal tries
            tries += 1
            answer, problems = check(text)
            if answer is None or tries > MAX_CORRECTIONS:
                return answer, problems
            found = [
                problem
                for piece, language in texts(answer)
                for problem in corrections(self.ground([piece], language))
            ]
            return (None, found) if found else (answer, problems)

        return run


def corrections(traces: Sequence[ClaimTrace]) -> list[str]:
    """What to tell a model of each unsupported claim."""
    return [
        f"unsupported claim '{t.span}' ({t.kind}): {t.reason}. State only what the brief "
        "says (its proof, desires, offer), in its figures, or leave the claim out"
        for t in traces
        if not t.supported
    ]


def dumped(traces: Sequence[ClaimTrace]) -> list[dict[str, Any]]:
    """Traces as a stored document keeps them (the ``claims`` field beside a model's own)."""
    return [t.model_dump(mode="json") for t in traces]

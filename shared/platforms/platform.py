"""What adloop knows of one ad platform, as one value: the :class:`Platform` each platform's
module declares and the registry (``shared/platforms/registry.py``) lists."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from shared.platforms import limits
from shared.platforms.limits import Limit, LimitFinding
from shared.platforms.reports import Row
from shared.platforms.sheets import Ad, ExportJob, Sheet


class SignatureScheme(Protocol):
    """How a platform signs its webhook deliveries."""

    @property
    def header(self) -> str:
        """The request header that carries the signature."""
        ...

    def check(self, body: bytes, given: str | None, secret: str, now: float) -> None:
        """Raise Unauthorized unless ``given`` (the header's value) signs ``body`` with
        ``secret`` (NotConfigured for a blank secret); ``now`` is the Unix time, for schemes
        that refuse old deliveries."""
        ...


@dataclass(frozen=True)
class Handshake:
    """A ``GET`` the platform sends to check a subscription (Meta's ``hub.challenge``):
    ``answer(query parameters, token)`` is the text to echo, or Forbidden."""

    secret: str  # the Settings field holding the token
    answer: Callable[[Mapping[str, str], str], str]


@dataclass(frozen=True)
class Webhook:
    """Where a platform pushes to adloop and how its deliveries are signed.

    ``rows_key`` is where a report delivery's rows are (a dotted path; its rows go through the
    platform's ``report_row``). ``None`` means the platform pushes notices instead (Meta says a
    report is ready), which ``shared/web/webhooks.py`` handles by platform.
    """

    slug: str  # "google-ads": served at /webhooks/<slug>
    secret: str  # the Settings field holding the signing secret
    signature: SignatureScheme
    rows_key: str | None = None
    handshake: Handshake | None = None

    @property
    def path(self) -> str:
        return f"/webhooks/{self.slug}"

    @property
    def name(self) -> str:
        """The platform's name in terraform's ``ad_platforms`` (``google_ads``)."""
        return self.slug.replace("-", "_")

    @property
    def function(self) -> str:
        """Its Cloud Function: the entry point in functions/main.py, the key in terraform."""
        return f"webhook_{self.name}"

    def route_secrets(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """The Settings fields each of its routes needs, by (method, path)."""
        routes: dict[tuple[str, str], tuple[str, ...]] = {}
        if self.handshake is not None:
            routes[("GET", self.path)] = (self.handshake.secret,)
        routes[("POST", self.path)] = (self.secret,)
        return routes

    def secrets(self) -> tuple[str, ...]:
        """Every Settings field its routes need, each once."""
        return tuple(dict.fromkeys(f for fields in self.route_secrets().values() for f in fields))


SheetBuilder = Callable[[list[Ad], ExportJob], Sheet]


@dataclass(frozen=True)
class Platform:
    """One ad platform: its names, copy limits, export sheet, report rows and webhook."""

    id: str  # "google": --platform, Export buttons, performance/{id}:…, utm_source
    name: str  # "Google": what Slack messages and buttons call it
    import_into: str  # the tool a person imports the export sheet into
    copy_field: str  # the field a lone text is checked as (lint-copy): its main text
    limits: tuple[Limit, ...]
    sheet: SheetBuilder  # (ads, the export job) -> its bulk-upload sheet
    report_row: Callable[[dict[str, Any]], Row]  # one of its report rows, normalised
    double_width: bool = False  # counts East Asian wide characters as two
    extra_checks: Callable[[dict[str, str]], list[LimitFinding]] | None = None
    webhook: Webhook | None = None

    def check(self, fields: dict[str, str]) -> list[LimitFinding]:
        """Every limit ``fields`` break here (field names: headline, long_headline,
        description, primary_text, cta); a field it has no limit for is not checked."""
        found = limits.check(fields, self.id, self.limits, double_width=self.double_width)
        return found + (self.extra_checks(fields) if self.extra_checks else [])

    def length(self, text: str) -> int:
        """Characters as this platform counts them."""
        return limits.length(text, double_width=self.double_width)

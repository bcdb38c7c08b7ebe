"""The campaign brief: what a marketer asks for."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

# Every string and list in a brief is bounded: what a person types is read whole, checked, and
# sent to a model, so a limit here is a limit on time, tokens and storage.
# Long pasted text is cut, not refused; the cut is reported as a notice on the campaign. Past
# MAX_PASTED_INPUT it is refused instead: that much is not a page's or a call's text.
MAX_PASTED_CHARS = 20_000
MAX_PASTED_INPUT = 200_000
PASTED = ("website_text", "transcript")
# Product images a brief may name: enough for every angle of a product, few enough to check.
MAX_PRODUCT_IMAGES = 10
# Fields adloop writes on a brief; one a person sends is refused, never passed on to a model.
SET_BY_ADLOOP = ("notices",)

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2_000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
Pasted = Annotated[str, StringConstraints(max_length=MAX_PASTED_CHARS)]


class FunnelFocus(StrEnum):
    AWARENESS = "awareness"
    MID = "mid"
    CONVERSION = "conversion"
    FULL = "full"


class Language(StrEnum):
    EN = "en"
    ES = "es"


class Localized(BaseModel):
    """The brief's words in another language, for copy written in it."""

    model_config = ConfigDict(extra="forbid")

    offer: ShortText | None = None
    persona: Text | None = None
    pains: list[ShortText] = Field(default_factory=list, max_length=20)
    desires: list[ShortText] = Field(default_factory=list, max_length=20)
    proof: list[ShortText] = Field(default_factory=list, max_length=20)
    cta: ShortText | None = None


class Brief(BaseModel):
    """A campaign request. Everything the writer knows comes from here."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    product: ShortText = Field(
        min_length=2, description="what you sell, e.g. 'GlowDrop vitamin C serum'"
    )
    offer: ShortText = Field(min_length=2, description="the deal, e.g. '20% off the first order'")
    persona: Text = Field(
        min_length=2, description="who buys it, e.g. 'busy moms in their 30s who skip skincare'"
    )
    market: ShortText = Field(min_length=2, description="where, e.g. 'US' or 'US Hispanic'")
    brand_name: ShortText | None = Field(default=None, description="the brand's name")
    category: ShortText | None = Field(default=None, description="the product category")
    funnel_focus: FunnelFocus = Field(
        default=FunnelFocus.FULL, description="one of awareness, mid, conversion, full"
    )
    languages: list[Language] = Field(
        default_factory=lambda: [Language.EN, Language.ES],
        min_length=1,
        max_length=len(Language),
        description="a list of language codes: en, es",
    )
    variations: int = Field(
        default=0, ge=0, le=50, description="how many extra blueprint variations, 0 to 50"
    )
    pains: list[ShortText] = Field(
        default_factory=list, max_length=20, description="a list of pains"
    )
    desires: list[ShortText] = Field(
        default_factory=list, max_length=20, description="a list of desired outcomes"
    )
    proof: list[ShortText] = Field(
        default_factory=list,
        max_length=20,
        description="facts you can back: reviews, numbers, awards",
    )
    brand_voice: Text | None = Field(default=None, description="how the brand sounds")
    avoid: list[ShortText] = Field(
        default_factory=list, max_length=50, description="words or claims the brand never uses"
    )
    landing_url: ShortText | None = Field(default=None, description="an https:// URL")
    website_text: Pasted | None = Field(
        default=None,
        description=f"text pasted from the website (cut to {MAX_PASTED_CHARS:,} characters)",
    )
    transcript: Pasted | None = Field(
        default=None,
        description=f"a sales or customer call transcript (cut to {MAX_PASTED_CHARS:,} characters)",
    )
    brand_colors: list[
        Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^#[0-9a-fA-F]{6}$")]
    ] = Field(
        default_factory=list,
        max_length=6,
        description="brand colours as six-digit hex, e.g. '#f2a65a' (the videos use them)",
    )
    product_images: list[ShortText] = Field(
        default_factory=list,
        max_length=MAX_PRODUCT_IMAGES,
        description="https:// URLs of product images (a brief file may also name image files "
        "in its own folder: `adloop campaign new --brief` uploads those)",
    )
    localized: dict[Language, Localized] = Field(
        default_factory=dict,
        description="per-language wording, e.g. es: {offer: '20% de descuento', pains: [...]}",
    )
    notices: list[ShortText] = Field(
        default_factory=list, max_length=10, description="set by adloop, never by a brief"
    )

    @classmethod
    def from_user(cls, data: Any) -> Brief:
        """A brief a person wrote (a file, the Slack form, one line of text): validated like any
        brief, but a field adloop sets (``notices``) is refused, and pasted text past
        ``MAX_PASTED_INPUT`` is refused rather than cut. ValidationError names each field."""
        if isinstance(data, dict):
            refused = [_set_by_adloop(name, data[name]) for name in SET_BY_ADLOOP if name in data]
            refused += [
                _too_long(name, data[name])
                for name in PASTED
                if isinstance(data.get(name), str) and len(data[name]) > MAX_PASTED_INPUT
            ]
            if refused:
                raise ValidationError.from_exception_data(cls.__name__, refused)
        return cls.model_validate(data)

    @model_validator(mode="before")
    @classmethod
    def _cut_long_text(cls, data: Any) -> Any:
        # Pasted text is cut, not refused, with a notice the campaign shows.
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for name in ("website_text", "transcript"):
            value = data.get(name)
            if isinstance(value, str) and len(value) > MAX_PASTED_CHARS:
                data[name] = value[:MAX_PASTED_CHARS]
                notice = f"{name} was cut to its first {MAX_PASTED_CHARS:,} characters"
                earlier = data.get("notices", [])
                if isinstance(earlier, list):  # anything else is refused by validation
                    data["notices"] = [*earlier, notice]
        return data

    @field_validator("product_images")
    @classmethod
    def _image_urls_only(cls, values: list[str]) -> list[str]:
        # What a server stores and later fetches is never a path: files enter as uploaded blobs
        # (shared/pipeline/inputs.py), so a path here could only name a file on the server.
        for value in values:
            if not value.startswith("https://") or any(ch.isspace() for ch in value):
                raise ValueError(
                    f"{value[:80]!r} is not an https:// URL (image files are uploaded by "
                    "`adloop campaign new --brief`, from the brief's own folder)"
                )
        return values

    @field_validator("landing_url")
    @classmethod
    def _https_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be a web address starting with https:// (or http://)")
        return value


def _set_by_adloop(name: str, value: Any) -> InitErrorDetails:
    message = "is set by adloop, not by a brief; leave it out"
    return InitErrorDetails(
        type=PydanticCustomError("set_by_adloop", message), loc=(name,), input=type(value).__name__
    )


def _too_long(name: str, value: str) -> InitErrorDetails:
    message = (
        f"{len(value):,} characters; at most {MAX_PASTED_INPUT:,} are read (the first "
        f"{MAX_PASTED_CHARS:,} are used): paste the part that matters"
    )
    return InitErrorDetails(
        type=PydanticCustomError("too_long", message), loc=(name,), input=len(value)
    )

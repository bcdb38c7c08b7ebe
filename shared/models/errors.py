"""Turn a pydantic ValidationError into one message a person can act on."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError


def explain(exc: ValidationError, model: type[BaseModel], *, prefix: str = "") -> str:
    """Every problem on its own line: the field, what is wrong, and how to fix it.

    The fix comes from the field's ``description`` so the hint lives beside the field.
    """
    lines = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "(root)"
        field = prefix + loc
        hint = _hint(model, err["loc"])
        problem = "is required" if err["type"] == "missing" else err["msg"].lower()
        if err["type"] in ("too_long", "too_short") and isinstance(err.get("input"), str):
            # pydantic counts "items" when a text's limit sits on an optional, cleaned field
            bound = "at most" if err["type"] == "too_long" else "at least"
            limit = err.get("ctx", {}).get("max_length" if bound == "at most" else "min_length")
            problem = f"should have {bound} {limit} characters, not {len(err['input'])}"
        line = f"{field}: {problem}"
        if hint:
            line += f" (expected: {hint})"
        lines.append(line)
    return "\n".join(lines)


def _hint(model: type[BaseModel], loc: tuple[int | str, ...]) -> str | None:
    if not loc or not isinstance(loc[0], str):
        return None
    field = model.model_fields.get(loc[0])
    return field.description if field else None

"""Which language to answer in: the caller's `Accept-Language` (RFC 9110 §12.5.4), else the
person's locale in the directory, else English; and which of an instrument's locales serves a
list of wanted languages."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from services.assessment.instruments.schemas import LanguageRead

ENGLISH = "en"

# A language range: `*`, or a tag of subtags of 1 to 8 letters or digits (RFC 4647 §2.1).
_RANGE = re.compile(r"\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
# A weight: 0 to 1 with at most three decimals (RFC 9110 §12.4.2).
_WEIGHT = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")


def accepted_languages(header: str | None) -> list[str]:
    """The language ranges of an `Accept-Language` header, most wanted first (equal weights
    in the order given); ranges weighted 0 (not acceptable) and malformed entries left out."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, entry in enumerate(header.split(",")):
        language, *parameters = (part.strip() for part in entry.split(";"))
        if not _RANGE.fullmatch(language):
            continue
        weight: float | None = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                value = value.strip()
                weight = float(value) if _WEIGHT.fullmatch(value) else None
        if weight:
            weighted.append((-weight, index, language.lower()))
    return [language for _, _, language in sorted(weighted)]


def language_of(tag: str) -> str:
    """The primary language subtag: `sv` of `sv-FI`."""
    return tag.partition("-")[0].lower()


def best_locale(wanted: Sequence[str], available: Collection[str]) -> str:
    """The first of `available` (English always is) whose language is wanted, in the order
    wanted; a wanted `*` or no match at all is English."""
    for language in wanted:
        if language == "*":
            return ENGLISH
        exact = [tag for tag in available if tag.lower() == language]
        same_language = [tag for tag in available if language_of(tag) == language_of(language)]
        if exact or same_language:
            return (exact or sorted(same_language))[0]
        if language_of(language) == ENGLISH:
            return ENGLISH
    return ENGLISH


def language_read(wanted: Sequence[str], served: str, untranslated: list[str]) -> LanguageRead:
    """What an answer says of its language: asked for, served, and what fell back."""
    requested = next((tag for tag in wanted if tag != "*"), None)
    fallback = requested is not None and (
        language_of(requested) != language_of(served) or bool(untranslated)
    )
    return LanguageRead(
        requested=requested, served=served, fallback=fallback, untranslated=untranslated
    )

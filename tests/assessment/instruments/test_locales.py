"""Choosing a language: `Accept-Language` read with its weights, and the best of an
instrument's locales for what is wanted."""

from __future__ import annotations

import pytest

from services.assessment.instruments.locales import accepted_languages, best_locale


@pytest.mark.parametrize(
    ("header", "languages"),
    [
        (None, []),
        ("", []),
        ("sv", ["sv"]),
        ("sv-SE;q=0.9,en;q=0.8", ["sv-se", "en"]),
        ("en;q=0.8, sv-SE;q=0.9", ["sv-se", "en"]),
        ("de, sv;q=0.5, fr;q=0.5", ["de", "sv", "fr"]),
        ("sv;q=0, en", ["en"]),
        ("sv;q=1.000, en;q=0.001", ["sv", "en"]),
        ("sv;q=2, en;q=0.5", ["en"]),
        ("sv;q=0.5555, fi", ["fi"]),
        ("sv;Q=0.2, fi;q=0.3", ["fi", "sv"]),
        ("*;q=0.1, sv", ["sv", "*"]),
        ("sv_SE, 12, en-", []),
        (" , ;q=1, nb-NO ; q=0.7 ", ["nb-no"]),
    ],
)
def test_accept_language_is_read_with_its_weights(header: str | None, languages: list[str]) -> None:
    assert accepted_languages(header) == languages


@pytest.mark.parametrize(
    ("wanted", "available", "served"),
    [
        ([], {"en", "sv"}, "en"),
        (["sv"], {"en", "sv"}, "sv"),
        (["sv-se", "en"], {"en", "sv"}, "sv"),
        (["sv"], {"en", "sv-FI"}, "sv-FI"),
        (["sv-fi"], {"en", "sv", "sv-FI"}, "sv-FI"),
        (["de", "sv"], {"en", "sv"}, "sv"),
        (["de"], {"en", "sv"}, "en"),
        (["en-gb", "sv"], {"en", "sv"}, "en"),
        (["*", "sv"], {"en", "sv"}, "en"),
    ],
)
def test_the_first_wanted_language_available_is_served(
    wanted: list[str], available: set[str], served: str
) -> None:
    assert best_locale(wanted, available) == served

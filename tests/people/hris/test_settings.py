"""The HRIS settings refuse what would fail later, silently: an unknown field to own, a
Standard Webhooks secret that is not base64."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.people.hris.settings import HrisSettings


def test_settings_refuse_an_unknown_owned_field_and_an_unreadable_secret() -> None:
    with pytest.raises(ValidationError, match="unknown fields"):
        HrisSettings.model_validate({"owners": {"salary": "hris"}})
    with pytest.raises(ValidationError, match="whsec_"):
        HrisSettings.model_validate(
            {"integrations": {"x": {"secret": "whsec_not base64!", "source": "x"}}}
        )

"""`inspire bench` hands everything after it to the bench, its own options included."""

from __future__ import annotations

import pytest

from cli.main import main


def test_inspire_bench_passes_its_options_to_the_bench(capfd: pytest.CaptureFixture[str]) -> None:
    # when a user asks `inspire bench --help`
    code = main(["bench", "--help"])
    # then the bench answers with its own options, not the inspire command's
    out = capfd.readouterr().out
    assert code == 0
    assert "--scale" in out
    assert "--smoke" in out


def test_inspire_bench_refuses_an_unknown_scale(capfd: pytest.CaptureFixture[str]) -> None:
    # when a user asks for a scale the bench does not know
    code = main(["bench", "--scale", "50%"])
    # then it says which scales there are, and nothing runs
    assert code == 2
    assert "choose from 1%, 10%, 100%" in capfd.readouterr().err

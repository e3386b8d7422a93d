"""scoped_environ restores set, changed and absent variables exactly, also when the block raises."""

from __future__ import annotations

import os

import pytest
from mlprov.environ import scoped_environ


def test_restores_every_variable_even_on_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLPROV_T_CHANGED", "before")
    monkeypatch.setenv("MLPROV_T_REMOVED", "kept")
    monkeypatch.delenv("MLPROV_T_NEW", raising=False)
    with pytest.raises(RuntimeError), scoped_environ({"MLPROV_T_CHANGED": "during", "MLPROV_T_NEW": "x"}, remove=["MLPROV_T_REMOVED"]):
        assert (os.environ["MLPROV_T_CHANGED"], os.environ["MLPROV_T_NEW"]) == ("during", "x")
        assert "MLPROV_T_REMOVED" not in os.environ
        raise RuntimeError
    assert os.environ["MLPROV_T_CHANGED"] == "before" and os.environ["MLPROV_T_REMOVED"] == "kept"
    assert "MLPROV_T_NEW" not in os.environ

"""maps.elements: JSON that is safe inside <script> and JS code."""

from __future__ import annotations

import json

import pytest

import maps
from tests.maps.conftest import HOSTILE_NAMES


@pytest.mark.parametrize("text", HOSTILE_NAMES)
def test_js_json_round_trips_and_hides_every_dangerous_character(text):
    out = maps.js_json({"name": text, "rows": [[1, text, None]]})
    assert json.loads(out) == {"name": text, "rows": [[1, text, None]]}
    string_part = out.replace('{"name":', "").replace(',"rows":[[1,', "").replace(",null]]}", "")
    for ch in "<>&'`$\u2028\u2029{}":
        assert ch not in string_part


def test_js_json_refuses_nan():
    with pytest.raises(ValueError, match="JSON"):
        maps.js_json([float("nan")])

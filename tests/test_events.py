"""Validation of agent messages: device timestamps must be sane integers."""

import pytest
from pydantic import ValidationError

from monitor.events import AGENT_MESSAGE, MAX_DEVICE_TIME_MS, MIN_DEVICE_TIME_MS

GOOD_TIME = 1_700_000_000_000


def events_message(time):
    event = [1, time, 1, "main", 0, 0, "identifiers", "android_id", "", "returned", "", 0]
    return {"type": "events:add", "events": [event]}


def test_valid_event_accepted():
    message = AGENT_MESSAGE.validate_python(events_message(GOOD_TIME))
    assert message.events[0][1] == GOOD_TIME


@pytest.mark.parametrize(
    "time",
    [
        "yesterday",
        None,
        -1,
        0,
        GOOD_TIME + 0.5,
        MIN_DEVICE_TIME_MS - 1,
        MAX_DEVICE_TIME_MS + 1,
        [GOOD_TIME],
    ],
)
def test_malformed_device_time_rejected(time):
    with pytest.raises(ValidationError):
        AGENT_MESSAGE.validate_python(events_message(time))


def test_malformed_ready_time_rejected():
    with pytest.raises(ValidationError):
        AGENT_MESSAGE.validate_python({"type": "agent:ready", "time": "12:00"})

"""Device clocks: consent marked from the host (a key, a test) needs the device's time."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from adbutils import AdbDevice

from monitor.device import run_checked

log = logging.getLogger(__name__)

DeviceClock = Callable[[], int]
"""Returns the device's wall-clock time in epoch milliseconds."""


def local_clock() -> int:
    return int(time.time() * 1000)


def adb_clock(device: AdbDevice) -> DeviceClock:
    """Return a clock that follows the device's wall clock, measured once over adb.

    The offset is taken at the midpoint of one `date` round trip, so it can be off by up to
    half of that round trip.
    """
    # NOTE: not run against a device or emulator here; it assumes toybox `date` supports %N.
    before = local_clock()
    output = run_checked(device, ["date", "+%s%N"])
    after = local_clock()
    device_ms = int(output.strip()) // 1_000_000
    offset = device_ms - (before + after) // 2
    log.info("device %s clock offset: %d ms", device.serial, offset)
    return lambda: local_clock() + offset

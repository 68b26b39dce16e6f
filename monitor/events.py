"""Models of the agent's messages and of what the collector stores.

Agent messages are untrusted input: the app controls strings inside them and a broken or
hostile agent can send anything, so every message is validated here before it is used.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

PROTOCOL_VERSION = 1

# Device times before 2001 or after 2100 are clock errors or garbage, not events.
MIN_DEVICE_TIME_MS = 978_307_200_000
MAX_DEVICE_TIME_MS = 4_102_444_800_000
MAX_TEXT = 4096

DeviceTime = Annotated[int, Field(ge=MIN_DEVICE_TIME_MS, le=MAX_DEVICE_TIME_MS)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]


class Category(str, Enum):
    """API area of a recorded call."""

    IDENTIFIERS = "identifiers"
    LOCATION = "location"
    CONTACTS = "contacts"
    CALL_LOG = "call_log"
    SMS = "sms"
    CALENDAR = "calendar"
    INSTALLED_APPS = "installed_apps"
    APP_START = "app_start"
    PERMISSIONS = "permissions"
    CONSENT = "consent"
    LIFECYCLE = "lifecycle"
    ACCOUNTS = "accounts"
    MEDIA = "media"
    RUNNING_APPS = "running_apps"
    CLIPBOARD = "clipboard"
    CAMERA = "camera"
    MICROPHONE = "microphone"
    SENSORS = "sensors"
    SDK_CONSENT = "sdk_consent"
    """Hook status only: a built-in SDK consent API (its calls are consent events)."""


COLLECTION_CATEGORIES = frozenset(
    {
        Category.IDENTIFIERS,
        Category.LOCATION,
        Category.CONTACTS,
        Category.CALL_LOG,
        Category.SMS,
        Category.CALENDAR,
        Category.INSTALLED_APPS,
        Category.ACCOUNTS,
        Category.MEDIA,
        Category.RUNNING_APPS,
        Category.CLIPBOARD,
        Category.CAMERA,
        Category.MICROPHONE,
        Category.SENSORS,
    }
)


class ConsentState(str, Enum):
    """The user's decision on the privacy policy at the time of a call."""

    UNKNOWN = "unknown"
    BEFORE = "before"
    GRANTED = "granted"
    REFUSED = "refused"


class Outcome(str, Enum):
    RETURNED = "returned"
    EXCEPTION = "exception"
    PLACEHOLDER = "placeholder"


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class AgentHello(_Message):
    """First message of a script: which process it runs in."""

    type: Literal["agent:hello"]
    v: int
    pid: int
    process: Text
    arch: Text = ""
    platform: Text = ""
    processStart: DeviceTime | None = None
    time: DeviceTime


class HookStatusItem(_Message):
    """Install result of one catalog row."""

    hookId: int = Field(ge=0)
    category: Category
    className: Text
    method: Text
    state: Literal["installed", "pending", "missing", "failed"]
    """pending: the class is not loaded yet and is installed when a class loader loads it;
    missing: not present in the target (absent class or overload)."""
    overloads: list[Text] = Field(default_factory=list, max_length=256)
    reason: Text | None = None


class HooksStatus(_Message):
    type: Literal["hooks:status"]
    items: list[HookStatusItem] = Field(max_length=10_000)


class AgentReady(_Message):
    """Hooks are installed: calls from here on are recorded."""

    type: Literal["agent:ready"]
    time: DeviceTime
    flavor: Text = ""


class StacksAdd(_Message):
    """A new distinct stack, innermost frame first, referenced by events through its id."""

    type: Literal["stacks:add"]
    id: int = Field(ge=1)
    frames: list[Text] = Field(max_length=512)


# seq, time, thread id, thread name, hook id, overload index, category, data type,
# arguments summary, outcome, detail, stack id (see hooks/src/lib/protocol.ts).
EventTuple = tuple[
    Annotated[int, Field(ge=1)],
    DeviceTime,
    int,
    Text,
    Annotated[int, Field(ge=0)],
    Annotated[int, Field(ge=0)],
    Category,
    Text,
    Text,
    Outcome,
    Text,
    Annotated[int, Field(ge=0)],
]


class EventsAdd(_Message):
    type: Literal["events:add"]
    events: list[EventTuple] = Field(max_length=100_000)


class AgentError(_Message):
    """An error inside the agent; fatal ones mean the process could not be instrumented."""

    type: Literal["agent:error"]
    fatal: bool
    message: Text
    count: int = 1


class AgentExit(_Message):
    """The app called System.exit or Runtime.halt, or, on HotSpot, its last non-daemon
    thread ended (main() returned), where the exit code is not known (null)."""

    type: Literal["agent:exit"]
    time: DeviceTime
    code: int | None = None
    how: Text


class CanaryItem(_Message):
    """Result of one call the agent made itself to prove a category's hook fires."""

    category: Category
    className: Text
    method: Text
    hookId: int | None = None
    result: Literal["fired", "silent", "not_run"]
    detail: Text = ""


class Canaries(_Message):
    """Canary results of one process. Canary calls are never recorded as app events."""

    type: Literal["canaries"]
    time: DeviceTime
    items: list[CanaryItem] = Field(max_length=256)


class AgentStopped(_Message):
    type: Literal["agent:stopped"]
    time: DeviceTime


# hook id, overload index, category, data type, stack id, bucket start, call count,
# first call, last call (see hooks/src/lib/recorder.ts).
BucketTuple = tuple[
    Annotated[int, Field(ge=0)],
    Annotated[int, Field(ge=0)],
    Category,
    Text,
    Annotated[int, Field(ge=0)],
    DeviceTime,
    Annotated[int, Field(ge=1)],
    DeviceTime,
    DeviceTime,
]


class BucketsAdd(_Message):
    """Call counts of flooding hooks per time bucket, sent instead of one event per call."""

    type: Literal["buckets:add"]
    bucketMs: int = Field(ge=1, le=60_000)
    buckets: list[BucketTuple] = Field(max_length=100_000)


AgentMessage = Annotated[
    Union[
        AgentHello,
        HooksStatus,
        AgentReady,
        StacksAdd,
        EventsAdd,
        AgentError,
        AgentExit,
        AgentStopped,
        Canaries,
        BucketsAdd,
    ],
    Field(discriminator="type"),
]
AGENT_MESSAGE = TypeAdapter(AgentMessage)


class ConsentChange(BaseModel):
    """A consent decision: from an app callback, an SDK consent API, a UI tap or a key."""

    time_ms: DeviceTime
    state: Literal[ConsentState.GRANTED, ConsentState.REFUSED]
    source: str
    seq: int | None = None


class Event(BaseModel):
    """One recorded call, as read from the `events` view."""

    run_id: str
    seq: int
    time_ms: int
    pid: int
    process: str
    thread_id: int
    thread: str
    category: Category
    data_type: str
    api_class: str
    api_method: str
    signature: str
    args: str
    outcome: Outcome
    detail: str
    stack_id: int
    origin: str
    """Package of the SDK or app that made the call, or "unknown"."""
    origin_kind: Literal["app", "sdk", "unknown"]
    consent: ConsentState

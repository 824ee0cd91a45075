"""The channel-neutral message model: what comes in, what goes out, and buttons."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from bot.core.limits import MAX_ACTION_BYTES


@dataclass(frozen=True)
class Button:
    """A button; `action` comes back as Incoming.action when it is pressed."""

    label: str
    action: str

    def __post_init__(self) -> None:
        if len(self.action.encode()) > MAX_ACTION_BYTES:
            raise ValueError(f"button action over {MAX_ACTION_BYTES} bytes: {self.action!r}")


@dataclass(frozen=True)
class Poll:
    """A quiz poll: one right option, closed by the platform after `open_period` seconds."""

    question: str
    options: tuple[str, ...]
    correct: int
    open_period: int
    explanation: str = ""


@dataclass(frozen=True)
class Upload:
    """A file someone sent. `fetch` downloads it: call it only after checking size and rights."""

    name: str
    size: int
    fetch: Callable[[], Awaitable[bytes]]


PHOTO, DOCUMENT = "photo", "document"


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message: a PHOTO (a chart) shown inline, or a DOCUMENT (a
    spreadsheet, a PDF). The outbox stores the bytes once by `sha256` and leaves `data`
    empty in what it reads back until the sender loads them."""

    name: str
    data: bytes = field(default=b"", repr=False)
    kind: str = DOCUMENT
    sha256: str = ""

    @property
    def digest(self) -> str:
        """The SHA-256 of the bytes (given, or computed from `data`)."""
        return self.sha256 or hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Outgoing:
    """A message to show.

    `rows` lays buttons out in rows. `edit` asks the channel to replace the message the
    pressed button belonged to (Telegram edits in place; the console just prints).
    `notice` is a short acknowledgement (a toast on Telegram) rather than a message.
    `poll` makes the message a quiz poll (groups); `text` is then only a fallback.
    `ask_contact` is the label of a button that shares the person's own phone number
    (Telegram's contact request keyboard), `ask_location` of one that shares where the
    person is; `drop_keyboard` takes such a keyboard away.
    """

    text: str
    title: str = ""
    rows: Sequence[Sequence[Button]] = ()
    attachment: Attachment | None = None
    edit: bool = False
    notice: bool = False
    poll: Poll | None = None
    ask_contact: str = ""
    ask_location: str = ""
    drop_keyboard: bool = False
    pin: bool = False

    @property
    def buttons(self) -> list[Button]:
        """All buttons, row by row."""
        return [b for row in self.rows for b in row]


@dataclass(frozen=True)
class Incoming:
    """One event from a channel: a text line, a pressed button, or a platform event.

    `kind` is empty for text and buttons; channels set it for events people cannot type:
    JOINED / LEFT (the bot added to or removed from a group), POLL_ANSWER (`poll_ref`,
    `choices`), UPLOAD (`upload`) and CONTACT (a shared contact: `phone`, and
    `contact_user_ref`, the account the contact belongs to, if the platform says) and
    LOCATION (a shared location: `location`).
    """

    channel: str
    user_ref: str
    chat_ref: str
    is_group: bool = False
    text: str = ""
    action: str = ""
    event_id: str = ""
    display_name: str = ""
    kind: str = ""
    chat_title: str = ""
    poll_ref: str = ""
    choices: tuple[int, ...] = ()
    upload: Upload | None = None
    phone: str = ""
    contact_user_ref: str = ""
    location: tuple[float, float] | None = None  # (latitude, longitude) for LOCATION

    @property
    def command(self) -> tuple[str, str]:
        """('/study', 'rest of line') for a command, ('', '') otherwise."""
        text = self.text.strip()
        if not text.startswith("/"):
            return "", ""
        head, _, rest = text.partition(" ")
        # Telegram group commands may carry the bot's name: /study@CadreBot
        return head.split("@", 1)[0].lower(), rest.strip()


JOINED, LEFT, POLL_ANSWER, UPLOAD, CONTACT = "joined", "left", "poll_answer", "upload", "contact"
LOCATION = "location"

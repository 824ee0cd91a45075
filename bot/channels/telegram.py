"""The Telegram channel (python-telegram-bot): the only module that imports `telegram`.

Every update becomes an Incoming for the dispatcher; replies come back as inline
keyboards. A reply to a button press edits the pressed message in place when the
handler asks for it, and every callback query is answered so no button keeps spinning.
Updates arrive by long polling, or through PTB's webhook server when configured.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings

from telegram import (
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, PollType
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut
from telegram.error import RetryAfter as TgRetryAfter
from telegram.ext import Application, ContextTypes, TypeHandler
from telegram.request import BaseRequest

from bot.channels.base import stop_on_signals
from bot.config import Config
from bot.core.i18n import t
from bot.core.messages import (
    CONTACT,
    JOINED,
    LEFT,
    LOCATION,
    PHOTO,
    POLL_ANSWER,
    UPLOAD,
    Incoming,
    Outgoing,
    Upload,
)
from bot.delivery import Rejected, RetryAfter, Transient, Unreachable
from bot.handlers.dispatch import Dispatcher

log = logging.getLogger(__name__)

MENU_COMMANDS = (
    "study", "quiz", "review", "me", "rank", "archive", "lectures", "remind", "lang", "help"
)  # fmt: skip
CAPTION_CHARS = 1024  # Bot API limit on a photo's or document's caption
_IN = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
_OUT = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)


def keyboard(msg: Outgoing) -> InlineKeyboardMarkup | None:
    """The message's buttons as an inline keyboard."""
    if not msg.rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.action) for b in row] for row in msg.rows]
    )


def markup(
    msg: Outgoing,
) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None:
    """Inline buttons, or the share-my-phone keyboard, or an order to take that away."""
    if msg.ask_contact or msg.ask_location:
        button = (
            KeyboardButton(msg.ask_contact, request_contact=True)
            if msg.ask_contact
            else KeyboardButton(msg.ask_location, request_location=True)
        )
        return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)
    if msg.drop_keyboard:
        return ReplyKeyboardRemove()
    return keyboard(msg)


def to_incoming(update: Update) -> Incoming | None:
    """The neutral event for an update, or None for updates we do not handle."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or user.is_bot:
        return None
    common = {
        "channel": "telegram",
        "user_ref": str(user.id),
        # A poll answer has no chat; a person's private chat id is their user id.
        "chat_ref": str(chat.id if chat else user.id),
        "is_group": chat is not None and chat.type != ChatType.PRIVATE,
        "event_id": str(update.update_id),
        "display_name": user.full_name,
        "chat_title": (chat.title or "") if chat else "",
    }
    if update.callback_query is not None:
        return Incoming(action=update.callback_query.data or "", **common)
    if update.poll_answer is not None:
        answer = update.poll_answer
        return Incoming(
            kind=POLL_ANSWER, poll_ref=answer.poll_id, choices=tuple(answer.option_ids), **common
        )
    member = update.my_chat_member
    if member is not None and common["is_group"]:
        old, new = member.old_chat_member.status, member.new_chat_member.status
        if new in _IN and old not in _IN:
            return Incoming(kind=JOINED, **common)
        if new in _OUT and old not in _OUT:
            return Incoming(kind=LEFT, **common)
        return None
    message = update.message
    if message is None:
        return None
    if message.text:
        return Incoming(text=message.text, **common)
    if message.location is not None:
        where = (message.location.latitude, message.location.longitude)
        return Incoming(kind=LOCATION, location=where, **common)
    if message.contact is not None:
        contact = message.contact
        owner = str(contact.user_id) if contact.user_id else ""
        return Incoming(kind=CONTACT, phone=contact.phone_number, contact_user_ref=owner, **common)
    if message.document is not None:
        document = message.document

        async def fetch() -> bytes:
            file = await document.get_file()
            return bytes(await file.download_as_bytearray())

        upload = Upload(document.file_name or "", document.file_size or 0, fetch)
        return Incoming(kind=UPLOAD, upload=upload, **common)
    return None


class TelegramChannel:
    """Serves the dispatcher over the Bot API, by long polling or a webhook."""

    name = "telegram"

    def __init__(
        self,
        token: str,
        config: Config,
        request: BaseRequest | None = None,
        webhook_secret: str = "",
    ):
        tg = config.telegram
        builder = Application.builder().token(token).job_queue(None)
        if tg.base_url:
            builder = builder.base_url(tg.base_url)
        if tg.base_file_url:
            builder = builder.base_file_url(tg.base_file_url)
        if tg.local_mode:  # a self-hosted Bot API server serves files from its disk
            builder = builder.local_mode(True)
        if request is not None:  # tests pass a recording request: the network edge only
            builder = builder.request(request).get_updates_request(request)
        self.application = builder.build()
        self.config = config
        self.webhook_secret = webhook_secret
        self.dispatcher: Dispatcher | None = None
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)

    async def run(self, dispatcher: Dispatcher, stop: asyncio.Event | None = None) -> None:
        """Receive updates (polling or webhook, per config) until SIGINT, SIGTERM or `stop`."""
        self.attach(dispatcher)
        if stop is None:
            stop = stop_on_signals()
        async with self.application:
            await self.set_commands()
            await self.application.start()
            await self.start_receiving()
            await stop.wait()
            await self.application.updater.stop()
            await self.application.stop()

    def attach(self, dispatcher: Dispatcher) -> None:
        """Serve `dispatcher`; invite links it makes become t.me deep links to this bot."""
        self.dispatcher = dispatcher
        bot = self.application.bot
        # Read when a link is made: the username is known once the application is initialised.
        dispatcher.services.deep_link = lambda payload: (
            f"https://t.me/{bot.username}?start={payload}"
        )

    async def start_receiving(self) -> None:
        """Start long polling, or PTB's webhook server (what `run_webhook` runs) with the
        secret token Telegram must echo in every request."""
        updater = self.application.updater
        hook = self.config.telegram.webhook
        if self.config.telegram.mode != "webhook":
            await updater.start_polling(allowed_updates=Update.ALL_TYPES)
            log.warning("telegram: polling as @%s", self.application.bot.username)
            return
        if not self.webhook_secret:
            raise ValueError("webhook mode needs a secret token")
        await updater.start_webhook(
            listen=hook.listen,
            port=hook.port,
            url_path=hook.path,
            webhook_url=f"{hook.url.rstrip('/')}/{hook.path}",
            secret_token=self.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
        log.warning("telegram: webhook on %s:%s/%s", hook.listen, hook.port, hook.path)

    async def set_commands(self) -> None:
        """Publish the command menu with descriptions in the deployment's language."""
        locale = self.config.locale
        commands = [BotCommand(c, t(f"command.{c}", locale)) for c in MENU_COMMANDS]
        await self.application.bot.set_my_commands(commands)

    async def send(self, chat_ref: str, msg: Outgoing) -> str:
        """Send one outbox message; return its id (a poll's id for polls). Failures are
        raised as delivery errors."""
        return await self._post(chat_ref, msg, self.config.outbox.paid_broadcast)

    async def _post(self, chat_ref: str, msg: Outgoing, paid: bool = False) -> str:
        bot = self.application.bot
        # None leaves the parameter out: paying is opt-in (config outbox.paid_broadcast).
        paid_flag = True if paid else None
        try:
            if msg.poll is not None:
                poll = msg.poll
                sent = await bot.send_poll(
                    int(chat_ref),
                    poll.question,
                    list(poll.options),
                    is_anonymous=False,  # poll_answer updates come only from open polls
                    type=PollType.QUIZ,
                    correct_option_ids=[poll.correct],
                    open_period=poll.open_period,
                    explanation=poll.explanation or None,
                    allow_paid_broadcast=paid_flag,
                )
                return sent.poll.id if sent.poll else str(sent.message_id)
            if msg.attachment is not None:
                sent = await self._send_file(int(chat_ref), msg, paid_flag)
            else:
                sent = await bot.send_message(
                    int(chat_ref),
                    msg.text,
                    reply_markup=markup(msg),
                    allow_paid_broadcast=paid_flag,
                )
        except TgRetryAfter as exc:
            with warnings.catch_warnings():  # int now, a timedelta in later PTB releases
                warnings.simplefilter("ignore")
                wait = exc.retry_after
            seconds = wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
            raise RetryAfter(seconds) from exc
        except Forbidden as exc:
            raise Unreachable(exc.message) from exc
        except BadRequest as exc:
            raise Rejected(exc.message) from exc
        except (TimedOut, NetworkError) as exc:  # includes 5xx answers
            raise Transient(str(exc)) from exc
        if msg.pin:
            await self._pin(int(chat_ref), sent.message_id)
        return str(sent.message_id)

    async def _send_file(self, chat_id: int, msg: Outgoing, paid: bool | None) -> Message:
        """A photo or document with the text as its caption; a text too long for a
        caption goes first as its own message, with the buttons under the file."""
        bot = self.application.bot
        a = msg.attachment
        assert a is not None
        caption = msg.text
        if len(caption) > CAPTION_CHARS:
            await bot.send_message(chat_id, caption, allow_paid_broadcast=paid)
            caption = ""
        file = InputFile(a.data, filename=a.name, attach=True)
        common = {"caption": caption or None, "reply_markup": markup(msg)}
        if a.kind == PHOTO:
            return await bot.send_photo(chat_id, file, allow_paid_broadcast=paid, **common)
        return await bot.send_document(chat_id, file, allow_paid_broadcast=paid, **common)

    async def _pin(self, chat_id: int, message_id: int) -> None:
        """Pin a sent message; without the right to pin, the message stays sent unpinned."""
        try:
            await self.application.bot.pin_chat_message(chat_id, message_id)
        except (BadRequest, Forbidden) as exc:
            log.warning("telegram: could not pin in %s: %s", chat_id, exc.message)

    async def _on_update(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Hand one update to the dispatcher and deliver its replies."""
        event = to_incoming(update)
        if event is None or self.dispatcher is None:
            if update.callback_query is not None:
                await update.callback_query.answer()
            return
        replies = await self.dispatcher.handle(event)
        await self.deliver(event, update.callback_query, replies)

    async def deliver(
        self, event: Incoming, query: CallbackQuery | None, replies: list[Outgoing]
    ) -> None:
        """Show replies: notices as callback toasts, edits in place, the rest as messages."""
        answered = False
        for msg in replies:
            if msg.notice and query is not None and not answered:
                await query.answer(msg.text)
                answered = True
            elif msg.edit and query is not None and query.message is not None:
                try:
                    await query.edit_message_text(msg.text, reply_markup=keyboard(msg))
                except BadRequest as exc:
                    # Tapping the same tick twice renders the same text: nothing to change.
                    if "not modified" not in str(exc).lower():
                        raise
            else:
                await self._post(event.chat_ref, msg)
        if query is not None and not answered:
            # A redelivered update may find its query answered already: that is fine.
            with contextlib.suppress(BadRequest):
                await query.answer()

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log errors raised while handling an update (never the token)."""
        log.error("telegram update failed: %s", context.error, exc_info=context.error)

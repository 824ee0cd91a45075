"""The Telegram channel (python-telegram-bot): the only module that imports `telegram`.

Every update becomes an Incoming for the dispatcher; replies come back as inline
keyboards. A reply to a button press edits the pressed message in place when the
handler asks for it, and every callback query is answered so no button keeps spinning.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import warnings

from telegram import (
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut
from telegram.error import RetryAfter as TgRetryAfter
from telegram.ext import Application, ContextTypes, TypeHandler
from telegram.request import BaseRequest

from bot.config import Config
from bot.core.i18n import t
from bot.core.messages import Incoming, Outgoing
from bot.delivery import Rejected, RetryAfter, Transient, Unreachable
from bot.handlers.dispatch import Dispatcher

log = logging.getLogger(__name__)

MENU_COMMANDS = ("study", "quiz", "review", "me", "rank", "archive", "lang", "help")


def keyboard(msg: Outgoing) -> InlineKeyboardMarkup | None:
    """The message's buttons as an inline keyboard."""
    if not msg.rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.action) for b in row] for row in msg.rows]
    )


def to_incoming(update: Update) -> Incoming | None:
    """The neutral event for an update, or None for updates we do not handle."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    common = {
        "channel": "telegram",
        "user_ref": str(user.id),
        "chat_ref": str(chat.id),
        "is_group": chat.type != ChatType.PRIVATE,
        "event_id": str(update.update_id),
        "display_name": user.full_name,
    }
    if update.callback_query is not None:
        return Incoming(action=update.callback_query.data or "", **common)
    message = update.message
    if message is not None and message.text:
        return Incoming(text=message.text, **common)
    return None


class TelegramChannel:
    """Serves the dispatcher over the Bot API, by long polling."""

    name = "telegram"

    def __init__(self, token: str, config: Config, request: BaseRequest | None = None):
        builder = Application.builder().token(token).job_queue(None)
        if config.telegram.base_url:
            builder = builder.base_url(config.telegram.base_url)
        if config.telegram.base_file_url:
            builder = builder.base_file_url(config.telegram.base_file_url)
        if request is not None:  # tests pass a recording request: the network edge only
            builder = builder.request(request).get_updates_request(request)
        self.application = builder.build()
        self.config = config
        self.dispatcher: Dispatcher | None = None
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)

    async def run(self, dispatcher: Dispatcher) -> None:
        """Poll for updates until SIGINT or SIGTERM."""
        self.dispatcher = dispatcher
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        async with self.application:
            await self.set_commands()
            await self.application.start()
            await self.application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
            log.warning("telegram channel polling as @%s", self.application.bot.username)
            await stop.wait()
            await self.application.updater.stop()
            await self.application.stop()

    async def set_commands(self) -> None:
        """Publish the command menu with descriptions in the deployment's language."""
        locale = self.config.locale
        commands = [BotCommand(c, t(f"command.{c}", locale)) for c in MENU_COMMANDS]
        await self.application.bot.set_my_commands(commands)

    async def send(self, chat_ref: str, msg: Outgoing) -> str:
        """Send one message; return its id. Failures are raised as delivery errors."""
        try:
            sent = await self.application.bot.send_message(
                int(chat_ref), msg.text, reply_markup=keyboard(msg)
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
        return str(sent.message_id)

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
                await self.send(event.chat_ref, msg)
        if query is not None and not answered:
            # A redelivered update may find its query answered already: that is fine.
            with contextlib.suppress(BadRequest):
                await query.answer()

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log errors raised while handling an update (never the token)."""
        log.error("telegram update failed: %s", context.error, exc_info=context.error)

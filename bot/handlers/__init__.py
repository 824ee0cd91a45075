"""Thin handlers: parse an Incoming, call the domain, return Outgoing messages."""

from __future__ import annotations

from bot.core.router import Router
from bot.handlers import (
    access,
    admin,
    announce,
    groups,
    lectures,
    progress,
    quiz,
    registration,
    remind,
    reports,
    robots,
    start,
    study,
    upload,
)


def build_router() -> Router:
    """A router with every feature's handlers registered, in keyword-priority order."""
    router = Router()
    # Keyword order matters: "错题" before "答题", "积分" before "学习" ("学习积分").
    for module in (
        admin,
        announce,
        reports,
        access,
        registration,
        robots,
        groups,
        lectures,
        upload,
        quiz,
        progress,
        remind,
        study,
        start,
    ):
        module.register(router)
    return router

"""A small content pack written to a temp folder, for tests that need exact control."""

from __future__ import annotations

from pathlib import Path

from bot.content.loader import load_pack
from bot.content.models import ContentPack

ITEM = """\
id: demo
title: 每周一学｜党员的权利
body: 党员享有八项权利。
publish: {date: 2026-11-16}
quiz: demo
"""

BANK = """\
id: demo
title: 演示测试
pass_mark: 60
attempts: {attempts}
shuffle: false
time_limit: 30
questions:
  - id: single
    type: single
    text: 党员享有几项权利？
    options: [六项, 八项, 十项]
    answer: B
    explanation: 党员享有八项权利。
  - id: multi
    type: multiple
    text: 哪些是党员的权利？
    options: [表决权, 选举权, 否决中央决定权, 被选举权]
    answer: ABD
    explanation: 行使表决权、选举权，有被选举权。
  - id: tf
    type: truefalse
    text: 党组织可以剥夺党员的上述权利。
    answer: false
    explanation: 任何一级组织直至中央都无权剥夺。
"""


def write_pack(
    folder: Path, attempts: int = 2, extra_items: dict[str, str] | None = None
) -> ContentPack:
    """Write the demo item and bank (plus `extra_items` by file name) and load them."""
    study, quizzes = folder / "study", folder / "quizzes"
    study.mkdir(parents=True, exist_ok=True)
    quizzes.mkdir(parents=True, exist_ok=True)
    (study / "demo.yaml").write_text(ITEM, encoding="utf-8")
    for name, text in (extra_items or {}).items():
        (study / name).write_text(text, encoding="utf-8")
    (quizzes / "demo.yaml").write_text(BANK.format(attempts=attempts), encoding="utf-8")
    return load_pack([study], [quizzes])

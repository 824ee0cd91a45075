"""Admin content uploads through the dispatcher: preview, publish, cancel and refusals."""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from bot.core.messages import UPLOAD, Incoming, Outgoing, Upload
from bot.domain.staging import safe_name
from tests.conftest import ROOT, Chat

NEW_BANK = (
    "id: new-bank\n"
    "title: 新题库\n"
    "questions:\n"
    "  - {id: q1, type: truefalse, text: 题一, answer: true}\n"
    "  - {id: q2, type: truefalse, text: 题二, answer: false}\n"
)
ITEM = "id: {id}\ntitle: {title}\nbody: 正文\npublish: {publish}\n"


class File:
    """A file someone sends; counts how often the bot downloads it."""

    def __init__(self, name: str, data: bytes | str, size: int | None = None):
        self.data = data.encode() if isinstance(data, str) else data
        self.fetched = 0
        self.upload = Upload(name, len(self.data) if size is None else size, self.fetch)

    async def fetch(self) -> bytes:
        self.fetched += 1
        return self.data


async def send_file(chat: Chat, file: File, is_group: bool = False) -> list[Outgoing]:
    """Send a document as the channel would hand it over."""
    chat_ref = "group-1" if is_group else chat.user
    event = Incoming(chat.channel, chat.user, chat_ref, is_group, kind=UPLOAD, upload=file.upload)
    chat.last = await chat.app.dispatcher.handle(event)
    return chat.last


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """Copies of the shipped study and quiz folders that a test may publish into."""
    study, quiz = tmp_path / "content" / "study", tmp_path / "quizzes"
    shutil.copytree(ROOT / "content" / "study", study)
    shutil.copytree(ROOT / "quizzes", quiz)
    return study, quiz


@pytest.fixture
async def own_app(config: Config, open_app, folders: tuple[Path, Path]) -> App:
    """The app serving the copied folders."""
    return await open_app(replace(config, study_dir=folders[0], quiz_dir=folders[1]))


@pytest.fixture
def admin(own_app: App) -> Chat:
    """The configured administrator (console:admin)."""
    return Chat(own_app, user="admin")


def listing(folders: tuple[Path, ...]) -> dict[Path, bytes]:
    return {p: p.read_bytes() for d in folders for p in d.rglob("*") if p.is_file()}


async def audit_rows(app: App) -> list[tuple[str, str, str, dict]]:
    rows = await app.services.store.all("SELECT actor, action, target, detail FROM audit_log")
    return [(r[0], r[1], r[2], json.loads(r[3])) for r in rows]


async def statuses(app: App) -> list[str]:
    rows = await app.services.store.all("SELECT status FROM uploads ORDER BY id")
    return [r[0] for r in rows]


async def test_errors_are_listed_by_file_and_line_and_nothing_changes(
    admin: Chat, own_app: App, folders: tuple[Path, Path]
) -> None:
    before, pack = listing(folders), own_app.services.pack
    broken = NEW_BANK.replace("title: 新题库\n", "title: 新题库\npass_mark: 120\n")
    await send_file(admin, File("new-bank.yaml", broken.replace("answer: false", "answer: B")))
    assert "✗ “new-bank.yaml” 检查发现 2 个问题，没有做任何改动" in admin.text
    assert "new-bank.yaml:3: pass_mark: 120 超出范围" in admin.text
    assert "new-bank.yaml:6: questions[2].answer: " in admin.text
    assert admin.buttons == []
    assert listing(folders) == before
    assert own_app.services.pack is pack
    assert await statuses(own_app) == []


async def test_cross_file_problems_name_the_uploaded_file_not_a_temporary_copy(
    admin: Chat, folders: tuple[Path, Path]
) -> None:
    copy = (folders[1] / "party-member-rights.yaml").read_text(encoding="utf-8")
    await send_file(admin, File("a-copy.yaml", copy))
    assert "编号 “party-member-rights” 重复，a-copy.yaml:2 已经使用" in admin.text
    assert "upload-" not in admin.text


async def test_problems_are_in_the_admins_language(admin: Chat) -> None:
    await admin.send("/lang en")
    await send_file(admin, File("x.yaml", b"id: a\ntitle: \xff\n"))
    assert admin.text == (
        "✗ 'x.yaml': 1 problem(s) found; nothing was changed:\n"
        "x.yaml:2: the file is not UTF-8 encoded; save it as UTF-8"
    )


async def test_aliases_are_refused_with_their_line(admin: Chat) -> None:
    await send_file(
        admin, File("x.yaml", "id: &a x\ntitle: *a\nbody: b\npublish: {week: 2026-W50}\n")
    )
    assert "x.yaml:2: 不允许使用 YAML 锚点引用" in admin.text


async def test_a_file_over_the_cap_is_not_downloaded(admin: Chat, own_app: App) -> None:
    cap = own_app.config.max_upload_bytes
    big = File("big.yaml", NEW_BANK, size=cap + 1)
    await send_file(admin, big)
    assert admin.text == f"✗ “big.yaml” 有 {cap + 1} 字节，超过上传上限 {cap} 字节，没有下载。"
    assert big.fetched == 0
    # A platform may announce the wrong size: what arrives is measured as well.
    liar = File("liar.yaml", "#" * (cap + 1), size=10)
    await send_file(admin, liar)
    assert "超过上传上限" in admin.text
    assert await statuses(own_app) == []


@pytest.mark.parametrize(
    "name", ["../quizzes/x.yaml", "sub/x.yaml", "c:\\x.yaml", ".hidden.yaml", "notes.txt", ""]
)
async def test_unsafe_or_non_yaml_names_are_refused_before_download(admin: Chat, name: str) -> None:
    file = File(name, NEW_BANK)
    await send_file(admin, file)
    assert "不能作为内容或名册文件" in admin.text
    assert file.fetched == 0


def test_safe_names_keep_the_name_and_lower_the_suffix() -> None:
    assert safe_name("党员权利 第2期.YML") == "党员权利 第2期.yml"
    assert safe_name("a.yaml.bak") is None


async def test_people_who_are_not_admins_are_refused_without_download(own_app: App) -> None:
    file = File("new-bank.yaml", NEW_BANK)
    replies = await send_file(Chat(own_app, "alice"), file)
    assert [m.text for m in replies] == ["抱歉，只有管理员可以发送文件来发布内容。"]
    assert file.fetched == 0


async def test_files_in_groups_are_not_staged(own_app: App) -> None:
    for user in ("alice", "admin"):
        file = File("new-bank.yaml", NEW_BANK)
        replies = await send_file(Chat(own_app, user), file, is_group=True)
        assert file.fetched == 0
        if user == "alice":
            assert replies == []
    queued = [r[0] for r in await own_app.services.store.all("SELECT payload FROM outbox")]
    # Group replies may go through the outbox: the admin's pointer is there or in the replies.
    assert any("私聊" in text for text in [*queued, *(m.text for m in replies)])
    assert await statuses(own_app) == []


async def test_a_new_bank_is_previewed_published_and_served(
    admin: Chat, own_app: App, folders: tuple[Path, Path]
) -> None:
    await send_file(admin, File("new-bank.yaml", NEW_BANK))
    assert admin.text.splitlines()[:3] == [
        "📤 上传预览：new-bank.yaml（题库）",
        "新增：",
        "• 题库“新题库”（new-bank）：2 题",
    ]
    assert [b.label for b in admin.buttons] == ["✅ 发布", "✖️ 取消"]
    assert not (folders[1] / "new-bank.yaml").exists()
    replies = await admin.tap("发布")
    assert replies[0].edit
    assert replies[0].text.startswith("✅ 已发布 new-bank.yaml，现已生效。")
    assert (folders[1] / "new-bank.yaml").read_text(encoding="utf-8") == NEW_BANK
    assert "new-bank" in own_app.services.pack.banks
    alice = Chat(own_app, "alice")
    await alice.send("/quiz")
    await alice.tap("下一页")  # banks without a study item come after the six linked ones
    assert "📝 新题库" in [b.label for b in alice.buttons]
    sha = hashlib.sha256(NEW_BANK.encode()).hexdigest()
    assert await audit_rows(own_app) == [
        (
            "console:admin",
            "publish",
            "new-bank.yaml",
            {
                "upload": 1,
                "sha256": sha,
                "kind": "quiz",
                "new": ["quiz:new-bank"],
                "changed": [],
                "removed": [],
            },
        )
    ]
    assert await statuses(own_app) == ["published"]


async def test_publish_tapped_twice_publishes_once(admin: Chat, own_app: App) -> None:
    await send_file(admin, File("new-bank.yaml", NEW_BANK))
    publish = admin.action_of("发布")
    await admin.press(publish)
    again = await admin.press(publish)
    assert [(m.notice, m.text) for m in again] == [(True, "这个文件已经发布过了")]
    await send_file(admin, File("other.yaml", NEW_BANK.replace("new-bank", "other")))
    other = admin.action_of("发布")
    both = await asyncio.gather(admin.press(other), admin.press(other))
    assert sorted(m[0].notice for m in both) == [False, True]
    assert [r[1] for r in await audit_rows(own_app)] == ["publish", "publish"]


async def test_cancel_changes_nothing_and_is_audited(
    admin: Chat, own_app: App, folders: tuple[Path, Path]
) -> None:
    await send_file(admin, File("new-bank.yaml", NEW_BANK))
    publish = admin.action_of("发布")
    replies = await admin.tap("取消")
    assert [(m.edit, m.text) for m in replies] == [(True, "已取消 new-bank.yaml，没有做任何改动。")]
    late = await admin.press(publish)
    assert [(m.notice, m.text) for m in late] == [(True, "这次上传已经取消了")]
    assert not (folders[1] / "new-bank.yaml").exists()
    assert "new-bank" not in own_app.services.pack.banks
    assert [(r[1], r[2]) for r in await audit_rows(own_app)] == [("upload.cancel", "new-bank.yaml")]


async def test_only_admins_can_press_publish(admin: Chat, own_app: App) -> None:
    await send_file(admin, File("new-bank.yaml", NEW_BANK))
    replies = await Chat(own_app, "alice").press(admin.action_of("发布"))
    assert [m.notice for m in replies] == [True]
    assert await statuses(own_app) == ["pending"]


async def test_a_changed_study_item_is_shown_as_changed_with_its_turn(
    admin: Chat, own_app: App, folders: tuple[Path, Path]
) -> None:
    path = folders[0] / "party-member-rights.yaml"
    text = path.read_text(encoding="utf-8").replace("八项权利\n", "八项权利（修订）\n", 1)
    await send_file(admin, File(path.name, text))
    assert admin.text.splitlines()[1:3] == [
        "修改：",
        "• 学习内容“每周一学｜党员享有的八项权利（修订）”（party-member-rights）"
        "：每 6 周轮换（位置 3），本周正轮到它",
    ]
    await admin.tap("发布")
    assert path.read_text(encoding="utf-8") == text
    assert "八项权利（修订）" in (await Chat(own_app, "alice").send("/study"))[0].text


async def test_when_items_show_is_said_in_words(admin: Chat) -> None:
    cases = {
        "{date: 2026-11-23}": "：2026-11-23 起",
        "{date: 2026-11-01}": "：2026-11-01 起（已到日期，发布后立即可见）",
        "{week: 2026-W50}": "：2026-W50 周，2026-12-07 起",
        "{rotate: {every: 7, slot: 0}}": "：每 7 周轮换（位置 0），下次 2026-11-23 起",
    }
    for publish, words in cases.items():
        await send_file(admin, File("n.yaml", ITEM.format(id="n", title="新一期", publish=publish)))
        assert f"• 学习内容“新一期”（n）{words}" in admin.text


async def test_a_renamed_item_shows_the_old_id_as_removed(
    admin: Chat, folders: tuple[Path, Path]
) -> None:
    path = folders[0] / "four-xiang.yaml"
    text = path.read_text(encoding="utf-8").replace("id: four-xiang", "id: four-xiang-v2")
    await send_file(admin, File(path.name, text))
    assert "新增：\n• 学习内容“每周一学｜“四乡工程”助力乡村振兴”（four-xiang-v2）" in admin.text
    assert "删除：\n• 学习内容“每周一学｜“四乡工程”助力乡村振兴”（four-xiang）" in admin.text


async def test_same_file_or_same_content(
    admin: Chat, own_app: App, folders: tuple[Path, Path]
) -> None:
    data = (folders[1] / "leitai-biwu.yaml").read_bytes()
    await send_file(admin, File("leitai-biwu.yaml", data))
    assert admin.text == "“leitai-biwu.yaml” 与现有文件完全相同，不需要发布。"
    await send_file(admin, File("leitai-biwu.yaml", b"# a new comment\n" + data))
    assert "内容没有变化（可能只改了注释或格式），发布只会更新文件。" in admin.text
    assert await statuses(own_app) == ["pending"]


async def test_a_publish_that_became_invalid_since_the_preview_is_refused(
    admin: Chat, own_app: App, folders: tuple[Path, Path]
) -> None:
    await send_file(admin, File("new-bank.yaml", NEW_BANK))
    (folders[1] / "a-rival.yaml").write_text(NEW_BANK, encoding="utf-8")  # same id, meanwhile
    pack = own_app.services.pack
    replies = await admin.tap("发布")
    assert not replies[0].edit
    assert replies[0].text.startswith("没有发布 new-bank.yaml：按现在的内容重新检查没有通过")
    assert "编号 “new-bank” 重复" in replies[0].text
    assert not (folders[1] / "new-bank.yaml").exists()
    assert own_app.services.pack is pack
    assert await statuses(own_app) == ["pending"]
    assert await audit_rows(own_app) == []

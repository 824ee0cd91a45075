"""The one catalog of user-facing text: every key has Simplified Chinese and English.

Keys are grouped by feature. Placeholders use str.format names; both languages of a
key must use the same ones (a test checks this).
"""

CATALOG: dict[str, dict[str, str]] = {
    # --- YAML and file problems (content packs, config.yaml, uploads) ---
    "yaml.syntax": {"zh": "YAML 语法错误：{detail}", "en": "YAML syntax error: {detail}"},
    "yaml.empty": {"zh": "文件是空的", "en": "the file is empty"},
    "yaml.alias": {
        "zh": "不允许使用 YAML 锚点引用（*别名 或 << 合并），请把内容直接写出来",
        "en": "YAML aliases (*alias or << merge) are not allowed; write the content out",
    },
    "yaml.bad_key": {"zh": "字段名必须是文字", "en": "a key must be plain text"},
    "yaml.duplicate_key": {
        "zh": "字段 “{key}” 重复出现",
        "en": "key '{key}' appears twice",
    },
    "file.too_big": {
        "zh": "文件有 {size} 字节，超过上限 {limit} 字节",
        "en": "the file is {size} bytes, over the {limit}-byte limit",
    },
    "file.unreadable": {"zh": "无法读取文件：{detail}", "en": "cannot read the file: {detail}"},
    "file.not_utf8": {
        "zh": "文件不是 UTF-8 编码，请用 UTF-8 保存",
        "en": "the file is not UTF-8 encoded; save it as UTF-8",
    },
    # --- field checks ---
    "field.type": {
        "zh": "应为{expected}，实际是{actual}",
        "en": "expected {expected}, got {actual}",
    },
    "field.unknown": {
        "zh": "未知字段（可用字段：{allowed}）",
        "en": "unknown field (allowed: {allowed})",
    },
    "field.unknown_hint": {
        "zh": "未知字段，是不是想写 “{hint}”？",
        "en": "unknown field; did you mean '{hint}'?",
    },
    "field.missing": {"zh": "缺少必填字段", "en": "required field is missing"},
    "field.empty": {"zh": "不能为空", "en": "must not be empty"},
    "field.too_long": {
        "zh": "长 {length} 个字符，超过上限 {limit}",
        "en": "{length} characters long, over the limit of {limit}",
    },
    "field.pattern": {
        "zh": "“{value}” 格式不对：{pattern_help}",
        "en": "'{value}' is not valid: {pattern_help}",
    },
    "field.range": {
        "zh": "{value} 超出范围，应在 {low} 到 {high} 之间",
        "en": "{value} is out of range; must be from {low} to {high}",
    },
    "field.choice": {
        "zh": "“{value}” 不是可选值，应为以下之一：{choices}",
        "en": "'{value}' is not allowed; use one of: {choices}",
    },
    "pattern.id": {
        "zh": "只能用小写英文字母、数字、- 和 _，以字母或数字开头，最多 32 个字符",
        "en": "use lowercase letters, digits, - and _, starting with a letter or digit, "
        "at most 32 characters",
    },
    "type.str": {"zh": "文字", "en": "text"},
    "type.int": {"zh": "整数", "en": "a whole number"},
    "type.float": {"zh": "数字", "en": "a number"},
    "type.bool": {"zh": "布尔值（true 或 false）", "en": "true or false"},
    "type.list": {"zh": "列表", "en": "a list"},
    "type.map": {"zh": "键值表（字段: 值）", "en": "a mapping (key: value)"},
    "type.null": {"zh": "空值", "en": "nothing (null)"},
    "type.date": {"zh": "日期", "en": "a date"},
    # --- study items ---
    "content.duplicate_id": {
        "zh": "编号 “{id}” 重复，{other} 已经使用",
        "en": "id '{id}' is already used at {other}",
    },
    "study.message_too_long": {
        "zh": "标题、正文、来源和标签合计 {length} 个字符，超过一条消息能容纳的 {limit} 个字符，请拆成两期",
        "en": "title, body, source and tags total {length} characters, over the {limit} "
        "that fit in one message; split the item",
    },
    "study.publish_one": {
        "zh": "publish 下必须且只能写 week、date、rotate 中的一个",
        "en": "publish needs exactly one of week, date or rotate",
    },
    "study.bad_date": {
        "zh": "“{value}” 不是日期，应写成 2026-11-23 这样",
        "en": "'{value}' is not a date; write it like 2026-11-23",
    },
    "study.bad_week": {
        "zh": "“{value}” 不是 ISO 周，应写成 2026-W48 这样",
        "en": "'{value}' is not an ISO week; write it like 2026-W48",
    },
    "study.too_many_tags": {
        "zh": "有 {count} 个标签，最多 {limit} 个",
        "en": "has {count} tags; at most {limit}",
    },
    "study.rotation_slot": {
        "zh": "slot 是 {slot}，但每 {every} 周轮换时 slot 只能是 0 到 every-1",
        "en": "slot is {slot}, but with a rotation of {every} weeks it must be 0 to every-1",
    },
    "study.rotation_clash": {
        "zh": "轮换位置 {slot}/{every} 已被 “{other}” 占用",
        "en": "rotation slot {slot}/{every} is already taken by '{other}'",
    },
    "study.unknown_quiz": {
        "zh": "关联的题库 “{quiz}” 不存在",
        "en": "linked quiz bank '{quiz}' does not exist",
    },
    # --- quiz banks ---
    "quiz.empty": {"zh": "题库里没有题目", "en": "the bank has no questions"},
    "quiz.duplicate_question": {
        "zh": "题目编号 “{id}” 与第 {other} 行的题目重复",
        "en": "question id '{id}' is already used on line {other}",
    },
    "quiz.truefalse_options": {
        "zh": "判断题不写 options（选项固定为 正确/错误）",
        "en": "true/false questions take no options (they are always true/false)",
    },
    "quiz.truefalse_answer": {
        "zh": "判断题的答案只能是 true 或 false，不是 “{value}”",
        "en": "a true/false answer must be true or false, not '{value}'",
    },
    "quiz.option_count": {
        "zh": "有 {count} 个选项，应为 2 到 {high} 个",
        "en": "has {count} options; use 2 to {high}",
    },
    "quiz.duplicate_option": {
        "zh": "选项 “{option}” 重复",
        "en": "option '{option}' appears twice",
    },
    "quiz.answer_format": {
        "zh": "答案 “{value}” 应写成选项字母，如 B 或 ACD",
        "en": "answer '{value}' must be option letters such as B or ACD",
    },
    "quiz.single_one_answer": {
        "zh": "单选题只能有一个答案，不是 “{value}”",
        "en": "a single-choice question has exactly one answer, not '{value}'",
    },
    "quiz.answer_not_option": {
        "zh": "答案 “{answer}” 不在选项中（可选 {letters}）",
        "en": "answer '{answer}' is not among the options ({letters})",
    },
    "quiz.message_too_long": {
        "zh": "题干、选项和解析合计 {length} 个字符，超过一条消息能容纳的 {limit} 个字符",
        "en": "question, options and explanation total {length} characters, over the "
        "{limit} that fit in one message",
    },
    # --- org tree ---
    "org.empty": {
        "zh": "列表是空的，至少要写一个单位",
        "en": "the list is empty; write at least one unit",
    },
    "org.duplicate_id": {
        "zh": "单位编号 “{id}” 与第 {other} 行的单位重复",
        "en": "unit id '{id}' is already used on line {other}",
    },
    "org.unknown_parent": {
        "zh": "上级单位 “{parent}” 不存在，请核对编号，或先把这个单位写进文件",
        "en": "parent unit '{parent}' does not exist; check the id, or add that unit",
    },
    "org.parent_is_name": {
        "zh": "parent 要写上级单位的编号，不是名称：“{parent}” 的编号是 {id}",
        "en": "parent takes the parent unit's id, not its name: '{parent}' has the id {id}",
    },
    "org.cycle": {
        "zh": "上级关系绕成了圈：{cycle}；每个单位往上都要能找到一个顶层单位",
        "en": "parent links go round in a circle: {cycle}; every unit must lead up to a "
        "top-level unit",
    },
    "org.nested_parent": {
        "zh": "写在 children 里的单位不用写 parent，它的上级就是外层的 “{outer}”",
        "en": "a unit inside children takes no parent: its parent is the enclosing '{outer}'",
    },
    "org.duplicate_name": {
        "zh": "同一上级下已有名为 “{name}” 的单位（第 {other} 行），请改名以便区分",
        "en": "another unit under the same parent is already named '{name}' (line {other}); "
        "rename one so they can be told apart",
    },
    # --- config.yaml ---
    "config.bad_timezone": {
        "zh": "未知时区 “{value}”，例如 Asia/Shanghai",
        "en": "unknown time zone '{value}', e.g. Asia/Shanghai",
    },
    "config.bad_admin": {
        "zh": "“{value}” 应写成 渠道:用户，渠道为 {channels}，如 telegram:123456789",
        "en": "'{value}' must be channel:user with channel one of {channels}, "
        "e.g. telegram:123456789",
    },
    "config.bad_weekly": {
        "zh": "“{value}” 应写成 星期 时:分，如 Monday 08:00 或 周一 08:00",
        "en": "'{value}' must be a weekday and a time, e.g. Monday 08:00 or 周一 08:00",
    },
    "config.bad_duration": {
        "zh": "“{value}” 应写成时长，如 24h、1h、10m、2d（天 d、小时 h、分钟 m）",
        "en": "'{value}' must be a duration such as 24h, 1h, 10m or 2d (d, h, m)",
    },
    "config.bad_quiet": {
        "zh": "“{value}” 应写成 开始-结束，如 22:00-07:00；不要免打扰时段请写 off",
        "en": "'{value}' must be start-end, e.g. 22:00-07:00; write off for no quiet hours",
    },
    "config.bad_time": {
        "zh": "“{value}” 应写成 时:分，如 08:00",
        "en": "'{value}' must be a time of day, e.g. 08:00",
    },
    "config.webhook_url": {
        "zh": "webhook 模式需要以 https:// 开头的公网地址，现在是 “{value}”",
        "en": "webhook mode needs a public URL starting with https://, got '{value}'",
    },
    "config.wecom_api_base": {
        "zh": "WeCom API 地址应以 https:// 或 http:// 开头，现在是 “{value}”",
        "en": "the WeCom API address must start with https:// or http://, got '{value}'",
    },
    "config.wecom_proxy": {
        "zh": "代理地址应以 http:// 或 https:// 开头，如 http://10.1.2.3:3128，现在是 “{value}”",
        "en": "the proxy must start with http:// or https://, e.g. http://10.1.2.3:3128; "
        "got '{value}'",
    },
    "config.paid_rate": {
        "zh": "每秒 {value} 条超过免费上限 {free} 条；需要同时设置 paid_broadcast: true（付费广播）",
        "en": "{value} per second is above the free limit of {free}; "
        "set paid_broadcast: true (paid broadcasts) as well",
    },
    # --- general ---
    "error.unknown_action": {
        "zh": "这个按钮已失效，请从菜单重新开始",
        "en": "That button has expired; start again from the menu",
    },
    "error.internal": {
        "zh": "抱歉，出了点问题，请稍后再试。",
        "en": "Sorry, something went wrong. Please try again later.",
    },
    "btn.menu": {"zh": "🏠 菜单", "en": "🏠 Menu"},
    "btn.study": {"zh": "📖 本周学习", "en": "📖 This week"},
    "btn.quiz": {"zh": "📝 答题", "en": "📝 Quiz"},
    "btn.review": {"zh": "📕 错题本", "en": "📕 Review mistakes"},
    "btn.archive": {"zh": "📚 往期", "en": "📚 Archive"},
    "btn.me": {"zh": "👤 我的", "en": "👤 My progress"},
    "btn.rank": {"zh": "🏆 排行榜", "en": "🏆 Ranking"},
    "btn.help": {"zh": "❓ 帮助", "en": "❓ Help"},
    "btn.lang_en": {"zh": "English", "en": "English"},
    "btn.lang_zh": {"zh": "中文", "en": "中文"},
    "btn.learn": {"zh": "✅ 标记已学", "en": "✅ Mark as learned"},
    "btn.take_quiz": {"zh": "📝 参加测试", "en": "📝 Take the quiz"},
    "btn.read_item": {"zh": "📖 开始学习", "en": "📖 Read it"},
    "btn.prev": {"zh": "⬅️ 上一页", "en": "⬅️ Previous"},
    "btn.next": {"zh": "下一页 ➡️", "en": "Next ➡️"},
    "btn.submit": {"zh": "📨 提交答案", "en": "📨 Submit"},
    "btn.resume": {"zh": "▶️ 继续答题", "en": "▶️ Continue"},
    "btn.start_quiz": {"zh": "▶️ 开始答题", "en": "▶️ Start"},
    "btn.retry": {"zh": "🔁 再答一次", "en": "🔁 Try again"},
    "btn.skip": {"zh": "⏭ 跳过", "en": "⏭ Skip"},
    "btn.next_question": {"zh": "➡️ 下一题", "en": "➡️ Next question"},
    # --- start, menu, help, language ---
    "start.welcome_new": {
        "zh": "欢迎你，{name}！\n这里是干部学习助手：每周一学、知识测试、学习积分和排行榜。\n点下面的按钮开始，或随时发送“菜单”。",
        "en": "Welcome, {name}!\nThis is the cadre-learning assistant: a study item every week, quizzes, points and a ranking.\nTap a button below to begin, or send 'menu' at any time.",
    },
    "start.welcome_link": {
        "zh": "欢迎你，{name}！这里是干部学习助手，随时发送“菜单”查看全部功能。",
        "en": "Welcome, {name}! This is the cadre-learning assistant; send 'menu' to see it all.",
    },
    "start.welcome_back": {
        "zh": "欢迎回来，{name}！请选择：",
        "en": "Welcome back, {name}! What next?",
    },
    "console.banner": {
        "zh": "— 干部学习助手 · {user} · 输入数字选择按钮，/quit 退出 —",
        "en": "— Cadre-learning assistant · {user} · type a number to press a button, /quit to leave —",
    },
    "console.pick": {
        "zh": "请输入 1 到 {count} 之间的数字",
        "en": "Type a number from 1 to {count}",
    },
    "menu.text": {"zh": "请选择：", "en": "What would you like to do?"},
    "help.text": {
        "zh": "干部学习助手可以：\n📖 /study 本周学习内容，读完点“标记已学”\n📚 /archive 往期学习内容\n📝 /quiz 知识测试，逐题作答、即时反馈\n📕 /review 错题本，答对才移出\n👤 /me 我的积分和进度\n🏆 /rank 积分排行榜\n🔔 /remind 提醒开关和免打扰时段\n🌐 /lang en 切换英文，/lang zh 切换中文\n也可以直接发送“学习”“答题”“积分”“排行”等文字。",
        "en": "The cadre-learning assistant can:\n📖 /study this week's study item; tap 'Mark as learned' when done\n📚 /archive past items\n📝 /quiz quizzes, one question at a time with instant feedback\n📕 /review your mistakes until you get them right\n👤 /me your points and progress\n🏆 /rank the points ranking\n🔔 /remind reminders on or off, quiet hours\n🌐 /lang zh for Chinese, /lang en for English\nYou can also just write 'study', 'quiz', 'points' or 'rank'.",
    },
    "lang.choose": {"zh": "请选择语言：", "en": "Choose a language:"},
    "lang.set": {"zh": "已切换为中文。", "en": "Language set to English."},
    "fallback.text": {
        "zh": "没太明白你的意思。可以点下面的按钮，或发送“帮助”。",
        "en": "Sorry, I did not understand. Tap a button below or send 'help'.",
    },
    # --- study ---
    "study.this_week": {"zh": "本周学习", "en": "This week's study"},
    "study.past": {"zh": "往期学习", "en": "Past study item"},
    "study.source": {"zh": " · 来源：{source}", "en": " · Source: {source}"},
    "study.learned": {"zh": "✅ 你已学习本期内容", "en": "✅ You have learned this item"},
    "study.tap_learn": {
        "zh": "读完后请点“标记已学”。",
        "en": "When you have read it, tap 'Mark as learned'.",
    },
    "study.not_found": {"zh": "没有找到这期学习内容。", "en": "That study item was not found."},
    "study.none": {"zh": "目前还没有发布学习内容。", "en": "No study item has been published yet."},
    "study.already_learned": {
        "zh": "已经学过了，不重复计分",
        "en": "Already learned; no extra points",
    },
    "study.learned_points": {
        "zh": "🎉 已记录学习，+{points} 积分",
        "en": "🎉 Recorded as learned, +{points} points",
    },
    "points.capped": {"zh": "（今日积分已达上限）", "en": " (daily points limit reached)"},
    "points.capped_partly": {"zh": "（已达今日上限）", "en": " (daily limit reached)"},
    "archive.title": {
        "zh": "📚 往期学习（第 {page}/{pages} 页，已学 {learned}/{total} 期）",
        "en": "📚 Past items (page {page}/{pages}, learned {learned}/{total})",
    },
    # --- quiz ---
    "quiz.type_single": {"zh": "单选", "en": "single choice"},
    "quiz.type_multiple": {"zh": "多选", "en": "multiple choice"},
    "quiz.type_truefalse": {"zh": "判断", "en": "true or false"},
    "quiz.header": {
        "zh": "📝 {title}\n第 {n}/{total} 题 · {kind} · 限时 {seconds} 秒",
        "en": "📝 {title}\nQuestion {n}/{total} · {kind} · {seconds} s",
    },
    "quiz.multi_hint": {
        "zh": "（多选题：点选项勾选，再点“提交答案”）",
        "en": "(Multiple choice: tick the options, then tap 'Submit')",
    },
    "quiz.true": {"zh": "✔️ 正确", "en": "✔️ True"},
    "quiz.false": {"zh": "✖️ 错误", "en": "✖️ False"},
    "quiz.true_word": {"zh": "正确", "en": "true"},
    "quiz.false_word": {"zh": "错误", "en": "false"},
    "quiz.correct": {"zh": "✅ 回答正确！", "en": "✅ Correct!"},
    "quiz.points": {"zh": " +{points} 积分", "en": " +{points} points"},
    "quiz.wrong": {
        "zh": "❌ 回答错误。正确答案：{answer}",
        "en": "❌ Wrong. The answer is {answer}",
    },
    "quiz.timed_out": {
        "zh": "⏰ 超时未作答。正确答案：{answer}",
        "en": "⏰ Time ran out. The answer is {answer}",
    },
    "quiz.explanation": {"zh": "解析：{text}", "en": "Explanation: {text}"},
    "quiz.not_found": {
        "zh": "没有找到测试“{id}”，或它还没有发布。",
        "en": "Quiz '{id}' was not found or is not published yet.",
    },
    "quiz.none": {"zh": "目前没有可参加的测试。", "en": "There are no quizzes to take yet."},
    "quiz.choose": {
        "zh": "请选择测试（✅ 已通过，⏳ 未答完）：",
        "en": "Choose a quiz (✅ passed, ⏳ unfinished):",
    },
    "quiz.attempts_n": {"zh": "可答 {n} 次", "en": "{n} attempt(s) allowed"},
    "quiz.attempts_unlimited": {"zh": "不限答题次数", "en": "unlimited attempts"},
    "quiz.rules": {
        "zh": "共 {count} 题，每题限时约 {seconds} 秒，{pass_mark} 分及格，{attempts}。\n点“开始答题”后开始计时。",
        "en": "{count} questions, about {seconds} s each, pass mark {pass_mark}, {attempts}.\nThe clock starts when you tap 'Start'.",
    },
    "quiz.record": {
        "zh": "你已答 {used} 次，最高 {best} 分。",
        "en": "You have made {used} attempt(s); best score {best}.",
    },
    "quiz.no_attempts": {"zh": "答题次数已用完。", "en": "You have used all your attempts."},
    "quiz.already_answered": {"zh": "这道题已经作答", "en": "Already answered"},
    "quiz.attempt_gone": {
        "zh": "这次答题已失效（题库可能已更新），请重新开始。",
        "en": "This attempt is no longer available (the quiz may have changed); please start again.",
    },
    "quiz.tick_first": {"zh": "⚠️ 请先勾选至少一个选项", "en": "⚠️ Tick at least one option first"},
    "quiz.finished": {"zh": "🏁 测试结束：{title}", "en": "🏁 Finished: {title}"},
    "quiz.score": {
        "zh": "答对 {correct}/{total} 题，得分 {score} 分（{pass_mark} 分及格）—— {verdict}",
        "en": "{correct}/{total} right, score {score} (pass mark {pass_mark}) — {verdict}",
    },
    "quiz.passed": {"zh": "通过 ✅", "en": "passed ✅"},
    "quiz.failed": {"zh": "未通过", "en": "not passed"},
    "quiz.pass_points": {
        "zh": "🎉 通过奖励 +{points} 积分",
        "en": "🎉 Pass bonus +{points} points",
    },
    "quiz.attempts_left": {"zh": "剩余答题次数：{left}", "en": "Attempts left: {left}"},
    "quiz.to_review": {
        "zh": "答错的题已放入错题本。",
        "en": "Questions you missed are in your review list.",
    },
    # --- review (错题本) ---
    "review.empty": {"zh": "🎉 错题本是空的，继续保持！", "en": "🎉 Nothing to review. Well done!"},
    "review.header": {
        "zh": "📕 错题本（还有 {count} 题）· {title} · {kind}",
        "en": "📕 Review ({count} left) · {title} · {kind}",
    },
    "review.cleared": {"zh": "已从错题本移除。", "en": "Removed from your review list."},
    "review.kept": {
        "zh": "这道题会留在错题本里。",
        "en": "This question stays in your review list.",
    },
    "review.remaining": {
        "zh": "错题本还有 {count} 题。",
        "en": "{count} question(s) left to review.",
    },
    # --- progress ---
    "me.text": {
        "zh": "👤 {name}\n学习积分：{points}（今日 {today}/{cap}）\n本单位排名：第 {rank} 名（共 {people} 人）\n已学内容：{learned}/{published} 期\n通过测试：{passed}/{banks} 套\n错题本：{review} 题待复习",
        "en": "👤 {name}\nPoints: {points} (today {today}/{cap})\nRank in your unit: {rank} of {people}\nItems learned: {learned}/{published}\nQuizzes passed: {passed}/{banks}\nTo review: {review} question(s)",
    },
    "rank.title": {"zh": "🏆 学习积分排行榜（前 10 名）", "en": "🏆 Points ranking (top 10)"},
    "rank.empty": {
        "zh": "还没有人获得积分，快去学习吧！",
        "en": "Nobody has points yet. Be the first!",
    },
    "rank.row": {"zh": "{marker} {name}　{points} 分", "en": "{marker} {name}  {points}"},
    "rank.you_mark": {"zh": " ← 你", "en": " ← you"},
    "rank.you": {
        "zh": "你的排名：第 {rank} 名（共 {people} 人），{points} 分",
        "en": "You: rank {rank} of {people}, {points} points",
    },
    # Leaderboards stay within a unit unless its admin opens it to the parent unit's board.
    "rank.scope_unit": {"zh": "📍 本单位：{unit}", "en": "📍 Your unit: {unit}"},
    "rank.scope_wide": {
        "zh": "📍 {unit}（已加入的 {count} 个单位）",
        "en": "📍 {unit} ({count} unit(s) that joined)",
    },
    "rank.name_unit": {"zh": "{name}（{unit}）", "en": "{name} ({unit})"},
    "rank.unit_open": {
        "zh": "📣 本单位已加入“{parent}”排行，你的积分也会出现在那里。",
        "en": "📣 Your unit has joined the {parent} board: your points show there too.",
    },
    "rank.no_unit": {
        "zh": "你还没有所属单位，暂时没有排行榜。",
        "en": "You do not belong to a unit yet, so there is no ranking for you.",
    },
    "rank.wide_closed": {
        "zh": "本单位没有加入上级排行。",
        "en": "Your unit has not joined a wider board.",
    },
    "rank.usage": {
        "zh": "用法：/rank open 单位（让该单位加入上级单位的排行榜）、/rank close 单位（退出）。"
        "只管理一个单位时可以不写单位。\n{opened}",
        "en": "Usage: /rank open UNIT (the unit joins its parent unit's board) or "
        "/rank close UNIT (it leaves). Leave out the unit if you administer just one.\n{opened}",
    },
    "rank.opened_list": {
        "zh": "已加入上级排行的单位：{units}",
        "en": "Units on a wider board: {units}",
    },
    "rank.opened_none": {
        "zh": "您管理的单位都没有加入上级排行。",
        "en": "None of your units is on a wider board.",
    },
    "rank.opened": {
        "zh": "✅ 已开放：{unit} 的人员将出现在“{parent}”排行榜中（该榜只列出已加入的单位）。",
        "en": "✅ Opened: people of {unit} now appear on the {parent} board "
        "(it lists only units that joined).",
    },
    "rank.closed": {
        "zh": "🔒 已收回：{unit} 的人员不再出现在“{parent}”排行榜中。",
        "en": "🔒 Closed: people of {unit} no longer appear on the {parent} board.",
    },
    "rank.already_open": {
        "zh": "{unit} 已经加入“{parent}”排行，无需重复开放。",
        "en": "{unit} is already on the {parent} board.",
    },
    "rank.already_closed": {
        "zh": "{unit} 没有加入“{parent}”排行。",
        "en": "{unit} is not on the {parent} board.",
    },
    "rank.top": {
        "zh": "{unit} 是最上级单位，没有上级排行。",
        "en": "{unit} is a top-level unit: there is no wider board.",
    },
    "btn.rank_wide": {"zh": "🏆 {unit}排行", "en": "🏆 {unit} board"},
    "btn.rank_unit": {"zh": "🏅 本单位排行", "en": "🏅 My unit"},
    "btn.rank_open": {"zh": "📣 加入{unit}排行", "en": "📣 Join the {unit} board"},
    "btn.rank_close": {"zh": "🔒 退出{unit}排行", "en": "🔒 Leave the {unit} board"},
    # --- command line ---
    "cli.no_webhook_secret": {
        "zh": "webhook 模式需要在环境变量 {env} 中设置密钥（1–256 个字母、数字、_ 或 -）",
        "en": "webhook mode needs a secret in the {env} environment variable "
        "(1-256 letters, digits, _ or -)",
    },
    "cli.validate_ok": {
        "zh": "✓ 内容检查通过：{items} 个学习内容、{banks} 套题库（共 {questions} 题），{files} 个文件",
        "en": "✓ Content OK: {items} study items, {banks} quiz banks ({questions} questions) in {files} files",
    },
    "cli.validate_failed": {
        "zh": "✗ 发现 {count} 个问题，内容未生效",
        "en": "✗ {count} problem(s) found; nothing was loaded",
    },
    "cli.no_such_path": {
        "zh": "{path}: 文件或文件夹不存在",
        "en": "{path}: no such file or folder",
    },
    "cli.no_database": {
        "zh": "数据库 {path} 不存在，先运行一次机器人",
        "en": "database {path} does not exist; run the bot once first",
    },
    "cli.backup_done": {
        "zh": "✓ 已备份到 {path}（{size} 字节）",
        "en": "✓ Backup written to {path} ({size} bytes)",
    },
    "cli.bad_now": {
        "zh": "--now 的值 “{value}” 不是时间，应写成 2026-11-23T08:00",
        "en": "--now '{value}' is not a date-time; write it like 2026-11-23T08:00",
    },
    "cli.no_wecom": {
        "zh": "企业微信渠道需要环境变量：{env}（缺失或格式不对；见 docs/wecom-deploy.md）",
        "en": "the WeCom channel needs these environment variables: {env} "
        "(missing or malformed; see docs/wecom-deploy.md)",
    },
    "cli.no_token": {
        "zh": "Telegram 渠道需要环境变量 {env}",
        "en": "the Telegram channel needs the {env} environment variable",
    },
    # --- Telegram command menu (setMyCommands) ---
    "command.study": {"zh": "本周学习内容", "en": "This week's study item"},
    "command.quiz": {"zh": "知识测试", "en": "Quizzes"},
    "command.review": {"zh": "错题本", "en": "Review your mistakes"},
    "command.me": {"zh": "我的积分和进度", "en": "My points and progress"},
    "command.rank": {"zh": "积分排行榜", "en": "Points ranking"},
    "command.archive": {"zh": "往期学习内容", "en": "Past study items"},
    "command.lang": {"zh": "切换语言 / Language", "en": "Language / 切换语言"},
    "command.help": {"zh": "使用帮助", "en": "Help"},
    # --- content uploads ---
    "upload.admin_only": {
        "zh": "抱歉，只有管理员可以发送文件来发布内容。",
        "en": "Sorry, only administrators can publish content by sending a file.",
    },
    "upload.private_only": {
        "zh": "内容文件请在与我的私聊中发送。",
        "en": "Please send content files in a private chat with me.",
    },
    "upload.bad_name": {
        "zh": "✗ “{name}” 不能作为内容或名册文件：文件名要以 .yaml、.yml（名册也可以是 .csv）结尾，不能以点开头，也不能含有 / 或 \\。",
        "en": "✗ '{name}' cannot be a content or roster file: the name must end in .yaml or .yml (a roster may be .csv), must not start with a dot and must not contain / or \\.",
    },
    "upload.too_big": {
        "zh": "✗ “{name}” 有 {size} 字节，超过上传上限 {limit} 字节，没有下载。",
        "en": "✗ '{name}' is {size} bytes, over the upload limit of {limit} bytes; it was not downloaded.",
    },
    "upload.invalid": {
        "zh": "✗ “{name}” 检查发现 {count} 个问题，没有做任何改动：",
        "en": "✗ '{name}': {count} problem(s) found; nothing was changed:",
    },
    "upload.more": {"zh": "……另有 {count} 个问题", "en": "… and {count} more"},
    "upload.unknown_kind": {
        "zh": "✗ 看不出 “{name}” 是学习内容还是题库：题库要有 questions 字段，学习内容要有 body 和 publish 字段。",
        "en": "✗ '{name}' is neither a study item nor a quiz bank: a bank has questions, a study item has body and publish.",
    },
    "upload.ambiguous": {
        "zh": "✗ 内容文件夹里有不止一个 “{name}”（{paths}），不知道要替换哪一个。请先整理文件夹。",
        "en": "✗ There is more than one '{name}' in the content folders ({paths}); it is unclear which to replace. Tidy the folders first.",
    },
    "upload.identical": {
        "zh": "“{name}” 与现有文件完全相同，不需要发布。",
        "en": "'{name}' is identical to the file already there; there is nothing to publish.",
    },
    "upload.preview": {
        "zh": "📤 上传预览：{name}（{kind}）",
        "en": "📤 Upload preview: {name} ({kind})",
    },
    "upload.kind_study": {"zh": "学习内容", "en": "study item"},
    "upload.kind_quiz": {"zh": "题库", "en": "quiz bank"},
    "upload.new": {"zh": "新增：", "en": "New:"},
    "upload.changed": {"zh": "修改：", "en": "Changed:"},
    "upload.removed": {"zh": "删除：", "en": "Removed:"},
    "upload.line": {"zh": "• {kind}“{title}”（{id}）", "en": "• {kind} '{title}' ({id})"},
    "upload.questions": {"zh": "：{count} 题", "en": ": {count} questions"},
    "upload.when_date": {"zh": "：{date} 起", "en": ": from {date}"},
    "upload.when_week": {"zh": "：{week} 周，{date} 起", "en": ": week {week}, from {date}"},
    "upload.when_due": {
        "zh": "（已到日期，发布后立即可见）",
        "en": " (already due: visible as soon as it is published)",
    },
    "upload.when_rotate": {
        "zh": "：每 {every} 周轮换（位置 {slot}），下次 {date} 起",
        "en": ": rotates every {every} weeks (slot {slot}), next from {date}",
    },
    "upload.when_rotate_now": {
        "zh": "：每 {every} 周轮换（位置 {slot}），本周正轮到它",
        "en": ": rotates every {every} weeks (slot {slot}); this week is its turn",
    },
    "upload.no_change": {
        "zh": "内容没有变化（可能只改了注释或格式），发布只会更新文件。",
        "en": "The content does not change (perhaps only comments or layout); publishing only updates the file.",
    },
    "upload.confirm": {
        "zh": "点“发布”立即生效；点“取消”不做任何改动。",
        "en": "Tap 'Publish' to make it live now, or 'Cancel' to change nothing.",
    },
    "btn.publish": {"zh": "✅ 发布", "en": "✅ Publish"},
    "btn.cancel_upload": {"zh": "✖️ 取消", "en": "✖️ Cancel"},
    "upload.published": {
        "zh": "✅ 已发布 {name}，现已生效。",
        "en": "✅ Published {name}; it is live now.",
    },
    "upload.publish_refused": {
        "zh": "没有发布 {name}：按现在的内容重新检查没有通过（预览之后内容可能有变化）。",
        "en": "{name} was not published: checked against the content as it is now, it fails (the content may have changed since the preview).",
    },
    "upload.cancelled": {
        "zh": "已取消 {name}，没有做任何改动。",
        "en": "Cancelled {name}; nothing was changed.",
    },
    "upload.already_published": {"zh": "这个文件已经发布过了", "en": "Already published"},
    "upload.already_cancelled": {"zh": "这次上传已经取消了", "en": "This upload was cancelled"},
    "upload.not_found": {"zh": "没有找到这次上传", "en": "That upload was not found"},
    # --- roster (名册) ---
    "roster.unknown_column": {
        "zh": "不认识的列名“{column}”；可用：name/姓名、phone/手机、unit/单位、role/角色、position/职务、"
        "wecom/企业微信账号",
        "en": "unknown column '{column}'; use name, phone, unit, role, position, wecom",
    },
    "roster.missing_column": {
        "zh": "缺少“{column}”列（姓名 name、手机 phone、单位 unit 三列必须有）",
        "en": "the '{column}' column is missing (name, phone and unit are required)",
    },
    "roster.no_people": {
        "zh": "要有 people: 列表，每人一项",
        "en": "needs a people: list with one entry per person",
    },
    "roster.no_name": {"zh": "姓名不能为空", "en": "the name is empty"},
    "roster.bad_phone": {
        "zh": "“{value}”不是 11 位手机号",
        "en": "'{value}' is not an 11-digit mobile number",
    },
    "roster.duplicate_phone": {
        "zh": "这个手机号在第 {first} 行已经出现过",
        "en": "this phone number is already on line {first}",
    },
    "roster.unknown_unit": {
        "zh": "组织架构里没有单位“{value}”",
        "en": "there is no unit '{value}' in the org tree",
    },
    "roster.bad_role": {
        "zh": "角色“{value}”不对；可用：{roles}（或 干部/主持人/管理员）",
        "en": "role '{value}' is not one of {roles}",
    },
    "roster.bad_wecom": {
        "zh": "“{value}”不是企业微信账号：只能有字母、数字和 _-@.，以字母或数字开头，最长 64 个字符",
        "en": "'{value}' is not a WeCom account: letters, digits and _-@. only, starting with "
        "a letter or digit, at most 64 characters",
    },
    "roster.duplicate_wecom": {
        "zh": "这个企业微信账号在第 {first} 行已经出现过（不分大小写）",
        "en": "this WeCom account is already on line {first} (case does not matter)",
    },
    "roster.wecom_elsewhere": {
        "zh": "企业微信账号“{value}”已属于您管理范围以外的人员，请联系上级管理员处理",
        "en": "the WeCom account '{value}' belongs to someone outside your scope; ask a higher "
        "administrator",
    },
    "roster.linked": {
        "zh": "，关联企业微信账号 {linked} 个",
        "en": ", {linked} WeCom accounts linked",
    },
    "roster.imported": {"zh": "名册已导入：{counts}。", "en": "Roster imported: {counts}."},
    # --- administrators ---
    "admin.only": {
        "zh": "抱歉，这个功能只对管理员开放。",
        "en": "Sorry, only administrators can do that.",
    },
    "broadcast.usage": {
        "zh": "用法：/broadcast 要发送的内容",
        "en": "Usage: /broadcast your message",
    },
    "broadcast.queued": {
        "zh": "📢 已加入发送队列，共 {count} 人。发送完成后会告诉你结果。",
        "en": "📢 Queued for {count} people. You will get the results when it is done.",
    },
    "push.weekly": {
        "zh": "📚 每周一学：{title}\n\n{summary}\n\n点“开始学习”阅读全文，学完记得标记已学。",
        "en": "📚 This week's study item: {title}\n\n{summary}\n\n"
        "Tap “Read it” for the whole text, then mark it learned.",
    },
    "push.queued": {
        "zh": "📚 本周学习内容已加入发送队列：{items}。发送完成后会告诉你结果。",
        "en": "📚 This week's item is queued: {items}. You will get the results when it is done.",
    },
    "list.sep": {"zh": "，", "en": ", "},
    "push.item": {"zh": "《{title}》{count} 人", "en": "“{title}” to {count}"},
    "push.none": {
        "zh": "本周没有需要推送的学习内容（或大家都已收到）。",
        "en": "Nothing to push this week (or everyone has it already).",
    },
    "broadcast.done": {
        "zh": "📢 广播发送完成：成功 {sent}，失败 {failed}，无法送达 {unreachable}（共 {total}）。",
        "en": "📢 Broadcast done: {sent} sent, {failed} failed, {unreachable} unreachable (of {total}).",
    },
    # --- groups and contests (擂台比武) ---
    "group.welcome": {
        "zh": "大家好，我是干部学习助手 📚\n管理员可以：\n• /bindgroup 单位 —— 把本群绑定到您管理的单位\n"
        "• /contest 题库编号 —— 在群里发起擂台比武（答题投票，按对错和速度计分）\n"
        "个人学习、答题、积分请私聊我。",
        "en": "Hello, I am the cadre-learning assistant 📚\nAdministrators can:\n"
        "• /bindgroup UNIT — bind this group to a unit you administer\n"
        "• /contest BANK — start a contest here (quiz polls scored on accuracy and speed)\n"
        "For your own study, quizzes and points, chat with me privately.",
    },
    "group.private_only": {
        "zh": "这个功能请私聊我使用 🙂",
        "en": "Please use that in a private chat with me 🙂",
    },
    "group.only": {
        "zh": "这个命令要在群里使用。",
        "en": "This command works in a group.",
    },
    "group.bind_usage": {
        "zh": "用法：/bindgroup 单位编号或名称，如 /bindgroup 乌兰浩特市",
        "en": "Usage: /bindgroup UNIT (an id or a name), e.g. /bindgroup xam-wlht",
    },
    "group.bound": {
        "zh": "✅ 本群已绑定到“{name}”。",
        "en": "✅ This group is now bound to “{name}”.",
    },
    "contest.usage": {
        "zh": "用法：/contest 题库编号 [题数]\n可用题库：\n{banks}",
        "en": "Usage: /contest BANK [number of questions]\nBanks:\n{banks}",
    },
    "contest.unknown_bank": {
        "zh": "没有编号为“{quiz}”的题库。可用题库：\n{banks}",
        "en": "There is no bank “{quiz}”. Banks:\n{banks}",
    },
    "contest.no_questions": {
        "zh": "《{title}》没有适合答题投票的题目（投票只支持单选题和判断题）。",
        "en": "“{title}” has no questions that fit a quiz poll (single choice and true/false only).",
    },
    "contest.already_running": {
        "zh": "本群已有一场擂台比武正在进行，请等它结束。",
        "en": "A contest is already running in this group; please wait for it to end.",
    },
    "contest.started": {
        "zh": "🏆 擂台比武开始：《{title}》\n共 {questions} 题，每题约 {seconds} 秒，答对且越快得分越高。"
        "\n结束后公布排名，请在投票中直接作答！",
        "en": "🏆 Contest: “{title}”\n{questions} questions, about {seconds} s each; "
        "right and fast answers score most.\nThe ranking follows at the end. Answer in the polls!",
    },
    "contest.skipped": {
        "zh": "（有 {count} 道多选或过长的题目不适合投票，已跳过）",
        "en": "({count} multiple-choice or over-long questions do not fit a poll and were skipped)",
    },
    "contest.result_head": {
        "zh": "🏆 擂台比武结果：《{title}》\n参赛 {people} 人",
        "en": "🏆 Contest results: “{title}”\n{people} took part",
    },
    "contest.result_row": {
        "zh": "{rank} {name}  {score} 分（答对 {correct} 题，用时 {seconds} 秒）",
        "en": "{rank} {name}  {score} pts ({correct} right, {seconds} s)",
    },
    "contest.result_rule": {
        "zh": "计分：答对得 {base} 分，另按剩余时间加 0–{bonus} 分；同分按答对用时排序。",
        "en": "Scoring: {base} per right answer plus 0–{bonus} for the time left; "
        "ties go to the faster.",
    },
    "contest.result_empty": {
        "zh": "🏆 擂台比武《{title}》结束，本次没有人作答。",
        "en": "🏆 The contest “{title}” has ended; nobody answered.",
    },
    # --- registration and binding (roster mode) ---
    "pending.intro": {
        "zh": "您好，{name}！本学习平台只对名册内的干部开放，请先验证身份：\n"
        "📱 点下方“发送我的手机号”按钮，与名册中的手机号核对（号码只用于核对，不会给其他人看到）；\n"
        "🔗 或者向本单位管理员索取邀请链接，打开后填写姓名，由管理员确认。",
        "en": "Hello, {name}! This study platform is for cadres on the roster. Please verify "
        "who you are first:\n📱 tap “Send my phone number” below to match the roster (the "
        "number is used for matching only and shown to nobody else);\n🔗 or ask your unit's "
        "administrator for an invite link, open it and give your name for them to confirm.",
    },
    "help.public": {
        "zh": "干部学习助手：每周一学、知识测试、擂台比武、大讲堂签到。\n"
        "验证身份后即可使用：点“发送我的手机号”，或打开管理员发给您的邀请链接。\n"
        "🌐 /lang en 切换英文，/lang zh 切换中文",
        "en": "The cadre-learning assistant: weekly study, quizzes, contests and lecture "
        "check-in.\nVerify who you are to start: tap “Send my phone number”, or open the "
        "invite link your administrator sent you.\n🌐 /lang zh for Chinese, /lang en for English",
    },
    "btn.share_phone": {"zh": "📱 发送我的手机号", "en": "📱 Send my phone number"},
    "bind.bound": {
        "zh": "✅ 身份验证成功！欢迎您，{name}（{unit}）。",
        "en": "✅ Verified! Welcome, {name} ({unit}).",
    },
    "bind.already": {
        "zh": "您已经完成身份验证：{name}。",
        "en": "You are verified already: {name}.",
    },
    "bind.not_own": {
        "zh": "只能用您本人的号码验证：请点下方“发送我的手机号”按钮，不要转发他人的名片。",
        "en": "Only your own number counts: tap “Send my phone number” below rather than "
        "forwarding someone else's contact.",
    },
    "bind.bad_phone": {
        "zh": "这个号码不是有效的手机号。请点下方按钮发送您本人的手机号。",
        "en": "That is not a valid mobile number. Tap the button below to send your own.",
    },
    "bind.no_match": {
        "zh": "名册中没有这个手机号。请联系本单位管理员核对名册，或向管理员索取邀请链接。",
        "en": "This number is not on the roster. Ask your unit's administrator to check the "
        "roster, or to send you an invite link.",
    },
    "invite.usage": {
        "zh": "用法：/invite 单位编号或名称，如 /invite 乌兰浩特市",
        "en": "Usage: /invite UNIT (an id or a name), e.g. /invite xam-wlht",
    },
    "invite.made": {
        "zh": "🔗 “{unit}”的邀请链接（{expires} 前有效）：\n{link}\n"
        "对方打开链接并填写姓名后，您会收到确认请求。",
        "en": "🔗 Invite link for “{unit}” (valid until {expires}):\n{link}\n"
        "When someone opens it and gives their name, you will be asked to confirm.",
    },
    "invite.unknown": {
        "zh": "这个邀请链接无效。请向管理员索取新的链接。",
        "en": "This invite link is not valid. Please ask your administrator for a new one.",
    },
    "invite.expired": {
        "zh": "这个邀请链接已过期。请向管理员索取新的链接。",
        "en": "This invite link has expired. Please ask your administrator for a new one.",
    },
    "invite.already": {
        "zh": "您已经是学习平台的成员了，不需要邀请链接。",
        "en": "You are a member already; no invite is needed.",
    },
    "invite.ask_name": {
        "zh": "欢迎！您正在申请加入“{unit}”。\n请直接回复您的真实姓名（与名册一致），管理员确认后即可使用。",
        "en": "Welcome! You are asking to join “{unit}”.\nReply with your full name as on the "
        "roster; you can start once an administrator confirms.",
    },
    "join.bad_name": {
        "zh": "请发送您的真实姓名（2 到 {most} 个字）。",
        "en": "Please send your full name (2 to {most} characters).",
    },
    "join.sent": {
        "zh": "📨 已提交：{name} 申请加入“{unit}”。管理员确认后会通知您。",
        "en": "📨 Sent: {name} asks to join “{unit}”. You will be told once an administrator decides.",
    },
    "join.waiting": {
        "zh": "您的申请（{name}，{unit}）正在等待管理员确认，请耐心等候。",
        "en": "Your request ({name}, {unit}) is waiting for an administrator to confirm.",
    },
    "join.ask_admin": {
        "zh": "🙋 加入申请：{name} 通过邀请链接申请加入“{unit}”。请核实身份后处理。",
        "en": "🙋 Join request: {name} asks to join “{unit}” through an invite link. "
        "Please check who they are.",
    },
    "btn.approve": {"zh": "✅ 同意", "en": "✅ Approve"},
    "btn.reject": {"zh": "❌ 拒绝", "en": "❌ Reject"},
    "join.approved": {
        "zh": "✅ 管理员已同意您加入“{unit}”。发送 /start 开始学习。",
        "en": "✅ An administrator approved you for “{unit}”. Send /start to begin.",
    },
    "join.rejected": {
        "zh": "很抱歉，您加入“{unit}”的申请未获通过。如有疑问请联系本单位管理员。",
        "en": "Sorry, your request to join “{unit}” was not approved. Please ask your unit's "
        "administrator if this is a mistake.",
    },
    "join.decided_ok": {
        "zh": "✅ 已同意 {name} 加入“{unit}”。",
        "en": "✅ {name} approved for “{unit}”.",
    },
    "join.decided_no": {
        "zh": "❌ 已拒绝 {name} 加入“{unit}”的申请。",
        "en": "❌ {name}'s request for “{unit}” rejected.",
    },
    "join.already": {
        "zh": "这个申请已经处理过了（{by}）。",
        "en": "This request was decided already ({by}).",
    },
    "join.not_found": {"zh": "找不到这个申请。", "en": "There is no such request."},
    "join.out_of_scope": {
        "zh": "这个申请不在您的管理范围内。",
        "en": "This request is outside your scope.",
    },
    # --- roles, scope and audit ---
    "superadmin.only": {
        "zh": "抱歉，这个功能只对超级管理员开放。",
        "en": "Sorry, only superadministrators can do that.",
    },
    "unit.unknown": {
        "zh": "没有找到单位“{text}”。请写单位编号或名称，如 xam-wlht 或 乌兰浩特市。",
        "en": "There is no unit “{text}”. Write a unit id or name, e.g. xam-wlht.",
    },
    "unit.ambiguous": {
        "zh": "“{text}”对应多个单位，请改用编号：\n{units}",
        "en": "“{text}” names several units; use an id:\n{units}",
    },
    "scope.outside": {
        "zh": "“{unit}”不在您的管理范围内。",
        "en": "“{unit}” is outside your scope.",
    },
    "person.unknown": {
        "zh": "没有找到人员“{text}”（请写姓名或编号）。",
        "en": "There is nobody called “{text}” (write a name or an id).",
    },
    "person.ambiguous": {
        "zh": "“{text}”对应多人，请改用编号：\n{people}",
        "en": "“{text}” names several people; use an id:\n{people}",
    },
    "role.admin": {"zh": "管理员", "en": "admin"},
    "role.host": {"zh": "主持人", "en": "host"},
    "admins.head": {"zh": "👥 管理员名单", "en": "👥 Administrators"},
    "admins.super": {"zh": "超级管理员：{accounts}", "en": "Superadmins: {accounts}"},
    "admins.line": {
        "zh": "• {name}（{id}）— {unit} {role}",
        "en": "• {name} ({id}) — {unit} {role}",
    },
    "admins.granted": {"zh": "（授权）", "en": " (granted)"},
    "admins.none": {"zh": "（还没有单位管理员）", "en": "(no unit administrators yet)"},
    "grant.usage": {
        "zh": "用法：/grant 人员 单位 [admin|host]\n人员写姓名或编号，如 /grant 张三 乌兰浩特市 admin",
        "en": "Usage: /grant PERSON UNIT [admin|host]\nPERSON is a name or an id, "
        "e.g. /grant 42 xam-wlht host",
    },
    "grant.done": {
        "zh": "✅ 已授予 {name}“{unit}”的{role}权限。",
        "en": "✅ {name} is now {role} of “{unit}”.",
    },
    "grant.had": {
        "zh": "{name} 已经是“{unit}”的{role}。",
        "en": "{name} is {role} of “{unit}” already.",
    },
    "revoke.usage": {
        "zh": "用法：/revoke 人员 [单位]（不写单位则收回全部权限）",
        "en": "Usage: /revoke PERSON [UNIT] (without a unit: every role)",
    },
    "revoke.done": {
        "zh": "已收回 {name} 的 {count} 项权限。如果名册中仍登记为管理员，请同时修改名册。",
        "en": "{count} role(s) taken from {name}. If the roster still lists them as admin, "
        "change the roster too.",
    },
    "revoke.none": {"zh": "{name} 没有可收回的权限。", "en": "{name} has no roles to take."},
    "members.usage": {
        "zh": "用法：/members 单位编号或名称",
        "en": "Usage: /members UNIT",
    },
    "members.head": {"zh": "👥 {unit}：{count} 人", "en": "👥 {unit}: {count} people"},
    "members.line": {
        "zh": "• {name}（{id}）{position} {phone}",
        "en": "• {name} ({id}) {position} {phone}",
    },
    "members.unbound": {"zh": "（未验证）", "en": " (not verified)"},
    "members.inactive": {"zh": "（已停用）", "en": " (deactivated)"},
    "members.more": {"zh": "……还有 {count} 人", "en": "… and {count} more"},
    "audit.head": {"zh": "🗂 最近 {count} 条操作记录：", "en": "🗂 The latest {count} entries:"},
    "audit.empty": {"zh": "还没有操作记录。", "en": "The audit log is empty."},
    "audit.cli_bad_date": {
        "zh": "日期格式不对：{value}（应为 2026-11-01 或 2026-11-01T08:00）",
        "en": "bad date: {value} (use 2026-11-01 or 2026-11-01T08:00)",
    },
    "group.bound_elsewhere": {
        "zh": "本群已由其他单位的管理员绑定，请联系对方或超级管理员。",
        "en": "Another unit's administrator bound this group; ask them or a superadmin.",
    },
    "contest.out_of_scope": {
        "zh": "本群没有绑定到您管理的单位。请先发送 /bindgroup 单位。",
        "en": "This group is not bound to a unit you administer. Send /bindgroup UNIT first.",
    },
    "config.unknown_unit": {
        "zh": "单位“{value}”不在组织架构文件（content.orgs_file）中",
        "en": "unit '{value}' is not in the org tree (content.orgs_file)",
    },
    # --- roster uploads in chat ---
    "roster.out_of_scope": {
        "zh": "单位“{value}”不在您的管理范围内",
        "en": "unit '{value}' is outside your scope",
    },
    "roster.phone_elsewhere": {
        "zh": "这个手机号属于您管理范围以外的人员，请联系上级管理员处理",
        "en": "this phone number belongs to someone outside your scope; ask a higher administrator",
    },
    "roster.counts": {
        "zh": "新增 {added} 人，更新 {updated} 人，不变 {unchanged} 人，停用 {deactivated} 人",
        "en": "{added} added, {updated} updated, {unchanged} unchanged, {deactivated} deactivated",
    },
    "upload.roster_preview": {
        "zh": "📋 名册 {name}：\n导入后将{counts}。\n（停用的人员保留学习记录；只影响您管理范围内的人员。）\n确认导入吗？",
        "en": "📋 Roster {name}:\nImporting it gives {counts}.\n(Deactivated people keep "
        "their history; only people in your scope are affected.)\nImport it?",
    },
    "upload.roster_done": {
        "zh": "✅ 名册 {name} 已导入：{counts}。",
        "en": "✅ Roster {name} imported: {counts}.",
    },
    "upload.content_superadmin": {
        "zh": "学习内容和题库只有超级管理员可以发布。单位管理员可以上传名册：CSV 文件，或以 people: 开头的 YAML 文件。",
        "en": "Only superadmins publish study content and quiz banks. Unit administrators can "
        "upload a roster: a CSV file, or YAML starting with people:.",
    },
    "console.bound": {
        "zh": "（控制台：您的身份是名册中的 {name}，编号 {id}，{unit}）",
        "en": "(console: you are {name} from the roster, id {id}, {unit})",
    },
    "console.ambiguous": {
        "zh": "（控制台：名册中有多人叫“{user}”，请用编号重新启动：\n{people}）",
        "en": "(console: several roster people are called “{user}”; start again with an id:\n{people})",
    },
    "console.unknown": {
        "zh": "（控制台：名册中没有“{user}”，您将以待验证身份登录。请用 --user 姓名或编号 启动）",
        "en": "(console: nobody called “{user}” is on the roster, so you are pending; start "
        "with --user NAME or ID)",
    },
    "help.admin": {
        "zh": "\n管理员功能（只作用于您管理的单位）：\n📢 /announce 内容 —— 发通知（先预览）\n"
        "📊 /report 单位 [时段] —— 报表、图表和学习台账\n"
        "🔗 /invite 单位 —— 生成邀请链接\n👥 /members 单位 —— 人员名单（含手机号）\n"
        "🧑‍💼 /admins —— 管理员名单\n📊 /rank open|close 单位 —— 让单位加入或退出上级排行榜\n"
        "📋 直接发送名册文件（CSV 或 YAML）—— 预览后导入\n"
        "🏆 在群里：/bindgroup 单位、/contest 题库编号",
        "en": "\nAdministrator commands (for the units you administer):\n"
        "📢 /announce TEXT — a notice (previewed first)\n"
        "📊 /report UNIT [PERIOD] — figures, a chart and the study ledger\n"
        "🔗 /invite UNIT — an invite link\n"
        "👥 /members UNIT — who is on the roster (with phones)\n🧑‍💼 /admins — administrators\n"
        "📊 /rank open|close UNIT — a unit joins or leaves its parent unit's board\n"
        "📋 send a roster file (CSV or YAML) — preview, then import\n"
        "🏆 in a group: /bindgroup UNIT, /contest BANK",
    },
    "help.superadmin": {
        "zh": "\n超级管理员：/grant 人员 单位 [admin|host]、/revoke 人员 [单位]、/audit [条数]、"
        "/pushweek；发送学习内容或题库 YAML 文件可预览后发布。",
        "en": "\nSuperadmins: /grant PERSON UNIT [admin|host], /revoke PERSON [UNIT], /audit [N], "
        "/pushweek; send a study or quiz YAML file to preview and publish it.",
    },
    "person.inactive": {
        "zh": "{name}，您的账号已停用（名册中已没有您），学习记录仍然保留。如有疑问请联系本单位管理员。",
        "en": "{name}, your account is deactivated (you are no longer on the roster); your "
        "records are kept. Please ask your unit's administrator if this is a mistake.",
    },
    "join.no_admin": {
        "zh": "📨 已提交：{name} 申请加入“{unit}”。目前没有能收到通知的管理员，请同时直接联系本单位管理员，"
        "请其发送 /requests 处理。",
        "en": "📨 Sent: {name} asks to join “{unit}”. No administrator can be notified right "
        "now; please also ask your unit's administrator to send /requests.",
    },
    "requests.none": {
        "zh": "您管理的单位目前没有待处理的加入申请。",
        "en": "No join requests are waiting in your units.",
    },
    "requests.head": {
        "zh": "🙋 待处理的加入申请 {count} 个：",
        "en": "🙋 {count} join request(s) waiting:",
    },
    # --- lecture halls (大讲堂) ---
    "lectures.none": {
        "zh": "近期没有您需要参加的大讲堂。",
        "en": "There are no lectures for you coming up.",
    },
    "lectures.head": {"zh": "🎓 近期大讲堂：", "en": "🎓 Lectures coming up:"},
    "lectures.line": {
        "zh": "\n📅 {when} 《{title}》\n主讲：{speaker}，{minutes} 分钟 · {state}",
        "en": "\n📅 {when} “{title}”\nSpeaker: {speaker}, {minutes} min · {state}",
    },
    "lectures.live": {"zh": "📺 直播：{url}", "en": "📺 Live: {url}"},
    "lectures.opens_at": {"zh": "{at} 开始签到", "en": "check-in opens at {at}"},
    "lectures.open_now": {"zh": "✅ 正在签到", "en": "✅ check-in is open"},
    "lectures.in_progress": {"zh": "进行中（签到已结束）", "en": "in progress (check-in closed)"},
    "lectures.unknown": {
        "zh": "没有找到讲座“{text}”。发送 /lectures 查看近期讲座。",
        "en": "There is no lecture “{text}”. Send /lectures to see what is coming up.",
    },
    "attendance.present": {"zh": "已签到", "en": "present"},
    "attendance.late": {"zh": "迟到", "en": "late"},
    "attendance.excused": {"zh": "已请假", "en": "excused"},
    "attendance.absent": {"zh": "缺席", "en": "absent"},
    "attendance.made_up": {"zh": "已补学", "en": "made up"},
    "attendance.not_yet": {"zh": "未签到", "en": "not checked in"},
    "btn.checkin": {"zh": "✍️ 签到：{title}", "en": "✍️ Check in: {title}"},
    "btn.leave": {"zh": "🙋 请假：{title}", "en": "🙋 Ask for leave: {title}"},
    "venue.online": {"zh": "线上", "en": "online"},
    "checkin.present": {
        "zh": "✅ 签到成功：《{title}》\n时间 {at}，地点：{venue}",
        "en": "✅ Checked in: “{title}”\nat {at}, {venue}",
    },
    "checkin.late": {
        "zh": "⏰ 已签到（迟到）：《{title}》\n时间 {at}，地点：{venue}",
        "en": "⏰ Checked in (late): “{title}”\nat {at}, {venue}",
    },
    "checkin.already": {
        "zh": "您已经签到过了：《{title}》，{at}，{venue}。",
        "en": "You are checked in already: “{title}”, {at}, {venue}.",
    },
    "checkin.not_open": {
        "zh": "《{title}》的签到还没开始，{at} 开始。",
        "en": "Check-in for “{title}” is not open yet; it opens at {at}.",
    },
    "checkin.closed": {
        "zh": "《{title}》的签到已于 {at} 结束。未能参加的可以在讲座结束后补学。",
        "en": "Check-in for “{title}” closed at {at}. If you missed it, you can make it up "
        "after the lecture.",
    },
    "checkin.not_expected": {
        "zh": "《{title}》不在您的学习安排中。",
        "en": "“{title}” is not one of your lectures.",
    },
    "checkin.bad_code": {
        "zh": "签到码不对或已过期。请看会场屏幕上的最新签到码（6 位数字），或点 /checkin 用按钮签到。",
        "en": "That code is wrong or has expired. Use the latest 6-digit code on the venue "
        "screen, or send /checkin to check in with a button.",
    },
    "checkin.pick": {"zh": "请选择要签到的讲座：", "en": "Which lecture are you checking in to?"},
    "checkin.none_open": {
        "zh": "现在没有正在签到的讲座。",
        "en": "No lecture is open for check-in now.",
    },
    "checkin.next": {
        "zh": "现在没有正在签到的讲座。下一场《{title}》{at} 开始签到。",
        "en": "No lecture is open for check-in now. The next, “{title}”, opens at {at}.",
    },
    "checkin.not_near": {
        "zh": "您的位置不在任何会场的签到范围内。请到会场后再发送位置，或输入屏幕上的签到码。",
        "en": "Your location is not within any venue's check-in area. Share it again at the "
        "venue, or type the code on the screen.",
    },
    "code.usage": {
        "zh": "用法：/code 讲座编号 会场编号，如 /code xczx-dajiangtang main",
        "en": "Usage: /code LECTURE VENUE, e.g. /code xczx-dajiangtang main",
    },
    "code.unknown_venue": {
        "zh": "这场讲座没有会场“{text}”。会场有：{venues}",
        "en": "This lecture has no venue “{text}”. Its venues: {venues}",
    },
    "code.hosts_only": {
        "zh": "只有这个会场的主持人和管理员可以查看签到码。",
        "en": "Only this venue's hosts and administrators can see its check-in code.",
    },
    "code.show": {
        "zh": "🔢 《{title}》{venue} 签到码：{code}\n{seconds} 秒后更换。请投屏展示，参会人员发送 /checkin {code}。",
        "en": "🔢 “{title}”, {venue}: check-in code {code}\nChanges in {seconds} s. Show it on the "
        "screen; attendees send /checkin {code}.",
    },
    "leave.none": {
        "zh": "近期没有可以请假的讲座（讲座开始后不能再请假）。",
        "en": "There is no upcoming lecture to ask leave for (not after it has started).",
    },
    "leave.pick": {"zh": "请选择要请假的讲座：", "en": "Which lecture do you need leave for?"},
    "leave.why": {"zh": "《{title}》请假事由：", "en": "Reason for missing “{title}”:"},
    "leave.reason_work": {"zh": "工作冲突", "en": "Work"},
    "leave.reason_sick": {"zh": "病假", "en": "Sick"},
    "leave.reason_personal": {"zh": "事假", "en": "Personal"},
    "leave.reason_training": {"zh": "外出培训", "en": "Training"},
    "leave.ask_admin": {
        "zh": "🙋 请假申请：{name}（{unit}）\n讲座：{when}《{title}》\n事由：{reason}",
        "en": "🙋 Leave request: {name} ({unit})\nLecture: {when} “{title}”\nReason: {reason}",
    },
    "leave.asked": {
        "zh": "📨 《{title}》的请假申请已提交，管理员处理后会通知您。",
        "en": "📨 Your leave request for “{title}” is sent; you will be told the decision.",
    },
    "leave.already": {
        "zh": "您已经为《{title}》请过假了。",
        "en": "You have asked leave for “{title}” already.",
    },
    "leave.started": {
        "zh": "《{title}》已经开始，不能再请假了。",
        "en": "“{title}” has started; it is too late to ask leave.",
    },
    "leave.not_expected": {
        "zh": "《{title}》不在您的学习安排中，不需要请假。",
        "en": "“{title}” is not one of your lectures; no leave is needed.",
    },
    "leave.not_found": {"zh": "找不到这条请假申请。", "en": "There is no such leave request."},
    "leave.out_of_scope": {
        "zh": "这条请假申请不在您的管理范围内。",
        "en": "This leave request is outside your scope.",
    },
    "leave.decided_before": {
        "zh": "这条请假申请已经处理过了（{by}）。",
        "en": "This leave request was decided already ({by}).",
    },
    "leave.decided_ok": {"zh": "✅ 已批准请假。", "en": "✅ Leave approved."},
    "leave.decided_no": {"zh": "❌ 已驳回请假。", "en": "❌ Leave rejected."},
    "leave.approved": {
        "zh": "✅ 您《{title}》的请假已批准。讲座结束后会给您发送回放和补学测试。",
        "en": "✅ Your leave for “{title}” is approved. The replay and make-up quiz follow "
        "after the lecture.",
    },
    "leave.rejected": {
        "zh": "❌ 您《{title}》的请假未获批准，请按时参加。",
        "en": "❌ Your leave for “{title}” was not approved; please attend.",
    },
    "roll.usage": {
        "zh": "用法：/roll 讲座编号（发送 /lectures 查看编号）",
        "en": "Usage: /roll LECTURE (see /lectures for ids)",
    },
    "roll.head": {"zh": "📊 《{title}》{when} 出勤统计", "en": "📊 “{title}” {when}: attendance"},
    "roll.head_live": {
        "zh": "📊 《{title}》{when} 实时签到（进行中）",
        "en": "📊 “{title}” {when}: live check-in (in progress)",
    },
    "roll.figures": {
        "zh": "应到 {expected}，实到 {attended}（{rate}），其中迟到 {late}；请假 {excused}，"
        "缺席 {absent}，未签到 {not_yet}，补学 {made_up}",
        "en": "expected {expected}, attended {attended} ({rate}), of whom late {late}; "
        "excused {excused}, absent {absent}, not yet {not_yet}, made up {made_up}",
    },
    "roll.short": {
        "zh": "应到 {expected} 实到 {attended}（{rate}）迟到 {late} 请假 {excused} 缺席 {absent} 补学 {made_up}",
        "en": "exp {expected} att {attended} ({rate}) late {late} exc {excused} abs {absent} "
        "made up {made_up}",
    },
    "roll.by_venue": {"zh": "\n按会场（签到人数）：", "en": "\nBy venue (check-ins):"},
    "roll.by_unit": {"zh": "\n按单位：", "en": "\nBy unit:"},
    "makeup.message": {
        "zh": "📼 补学提醒：您未参加《{title}》（{when}）。\n回放：{replay}\n{notes}\n看完回放后请完成补学测试，通过后记为“已补学”。",
        "en": "📼 Make-up: you missed “{title}” ({when}).\nReplay: {replay}\n{notes}\n"
        "After watching, pass the make-up quiz to be marked as made up.",
    },
    "btn.makeup_quiz": {"zh": "📝 补学测试", "en": "📝 Make-up quiz"},
    # --- scheduled reminders (weekly push, lectures, deadlines, administrators') ---
    "time.days": {"zh": "{n} 天", "en": "{n} day(s)"},
    "time.hours": {"zh": "{n} 小时", "en": "{n} hour(s)"},
    "time.hours_minutes": {"zh": "{h} 小时 {m} 分钟", "en": "{h} h {m} min"},
    "time.minutes": {"zh": "{n} 分钟", "en": "{n} minute(s)"},
    "remind.lecture": {
        "zh": "📣 大讲堂提醒\n《{title}》将于 {when} 开始（还有 {left}）\n🎤 主讲：{speaker}",
        "en": "📣 Lecture reminder\n“{title}” starts at {when} (in {left})\n🎤 Speaker: {speaker}",
    },
    "remind.live": {"zh": "📺 直播：{url}", "en": "📺 Live: {url}"},
    "remind.checkin_open": {
        "zh": "签到已开放，请点下方按钮签到。",
        "en": "Check-in is open: tap the button below.",
    },
    "remind.hosts": {
        "zh": "🔔 《{title}》（{when}）签到已开放。\n请在 {venues} 的大屏上显示签到码：",
        "en": "🔔 Check-in for “{title}” ({when}) is open.\nShow the check-in code on the "
        "screen at {venues}:",
    },
    "remind.hosts_typed": {
        "zh": "也可以发送 /code {lecture} 会场编号",
        "en": "You can also send /code {lecture} VENUE",
    },
    "btn.show_code": {"zh": "🔢 {venue} 签到码", "en": "🔢 Code for {venue}"},
    "remind.nudge_study": {
        "zh": "⏰ 截止提醒：每周一学《{title}》将于 {deadline} 截止（还有 {left}），您还没有标记已学。",
        "en": "⏰ Deadline: the study item “{title}” is due at {deadline} (in {left}) and you "
        "have not marked it learned yet.",
    },
    "remind.nudge_quiz": {
        "zh": "⏰ 截止提醒：测试《{title}》将于 {deadline} 截止（还有 {left}），您还没有完成。",
        "en": "⏰ Deadline: the quiz “{title}” closes at {deadline} (in {left}) and you have "
        "not taken it yet.",
    },
    "remind.custom": {"zh": "📌 {text}", "en": "📌 {text}"},
    "remind.escalate": {
        "zh": "📋 截止通报：《{title}》已于 {deadline} 截止。\n{scope}：应完成 {expected} 人，"
        "已完成 {done} 人（{rate}%），未完成 {missing} 人：",
        "en": "📋 Deadline report: “{title}” was due at {deadline}.\n{scope}: {expected} "
        "expected, {done} done ({rate}%), {missing} not done:",
    },
    "remind.escalate_unit": {"zh": "• {unit}（{n} 人）：{names}", "en": "• {unit} ({n}): {names}"},
    "remind.more_names": {"zh": " 等 {n} 人", "en": " and {n} more"},
    "remind.more_units": {"zh": "……另有 {n} 个单位", "en": "… and {n} more units"},
    "remind.rollup": {
        "zh": "📊 截止汇总：《{title}》（{deadline} 截止）\n全部：已完成 {done}/{expected}（{rate}%）\n"
        "各单位（完成率由低到高）：",
        "en": "📊 Deadline roll-up: “{title}” (due {deadline})\nOverall: {done}/{expected} done "
        "({rate}%)\nBy unit, lowest first:",
    },
    "remind.rollup_line": {
        "zh": "• {unit}：{done}/{expected}（{rate}%）",
        "en": "• {unit}: {done}/{expected} ({rate}%)",
    },
    "remind.no_unit": {"zh": "未分配单位", "en": "No unit"},
    "btn.snooze_hour": {"zh": "⏰ 1小时后提醒", "en": "⏰ In an hour"},
    "btn.snooze_morning": {"zh": "🌅 明早提醒", "en": "🌅 Tomorrow morning"},
    "snooze.done": {"zh": "⏰ 好的，{when} 再提醒您", "en": "⏰ OK, I will remind you at {when}"},
    "snooze.already": {
        "zh": "⏰ 已经设好了：{when} 再提醒您",
        "en": "⏰ Already set: I will remind you at {when}",
    },
    "snooze.gone": {
        "zh": "这条提醒已无法推迟",
        "en": "This reminder can no longer be snoozed",
    },
    "remind.settings": {
        "zh": "🔔 提醒：{state}\n🌙 免打扰时段：{quiet}（这段时间的提醒会在结束后送达；签到等紧急提醒除外）",
        "en": "🔔 Reminders: {state}\n🌙 Quiet hours: {quiet} (reminders wait until they end; "
        "urgent ones such as check-in do not)",
    },
    "remind.state_on": {"zh": "开启", "en": "on"},
    "remind.state_off": {
        "zh": "关闭（不再收到每周推送、讲堂提醒、截止提醒和通知提醒）",
        "en": "off (no weekly push, lecture, deadline or administrators' reminders)",
    },
    "remind.quiet_none": {"zh": "不设", "en": "none"},
    "remind.on": {"zh": "🔔 已开启提醒。", "en": "🔔 Reminders are on."},
    "remind.off": {
        "zh": "🔕 已关闭提醒。可随时发送 /remind on 重新开启。",
        "en": "🔕 Reminders are off. Send /remind on at any time to turn them back on.",
    },
    "remind.saved": {"zh": "✅ 已保存。", "en": "✅ Saved."},
    "remind.choose_quiet": {"zh": "请选择免打扰时段：", "en": "Choose your quiet hours:"},
    "remind.bad_quiet": {
        "zh": "“{value}” 应写成 开始-结束，如 /remind quiet 22:00-07:00，或 /remind quiet off",
        "en": "'{value}' must be start-end, e.g. /remind quiet 22:00-07:00, or /remind quiet off",
    },
    "remind.usage": {
        "zh": "用法：/remind 查看设置；/remind on 或 off 开关提醒；/remind quiet 22:00-07:00 设置免打扰时段（off 不设，default 恢复默认）",
        "en": "Usage: /remind shows your settings; /remind on or off; /remind quiet "
        "22:00-07:00 sets quiet hours (off for none, default for the default)",
    },
    "btn.remind_off": {"zh": "🔕 关闭提醒", "en": "🔕 Turn reminders off"},
    "btn.remind_on": {"zh": "🔔 开启提醒", "en": "🔔 Turn reminders on"},
    "btn.quiet": {"zh": "🌙 免打扰时段", "en": "🌙 Quiet hours"},
    "btn.quiet_default": {"zh": "默认（{span}）", "en": "Default ({span})"},
    "command.lectures": {"zh": "大讲堂与签到", "en": "Lecture halls and check-in"},
    "command.remind": {"zh": "提醒与免打扰设置", "en": "Reminders and quiet hours"},
    # --- python -m bot schedule (the preview) ---
    "schedule.header": {
        "zh": "计划发送 {start} 至 {end}（{tz}），仅预览，不会发送：",
        "en": "Scheduled from {start} to {end} ({tz}); a preview, nothing is sent:",
    },
    "schedule.weekdays": {
        "zh": "周一,周二,周三,周四,周五,周六,周日",
        "en": "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
    },
    "schedule.kind_weekly": {"zh": "每周推送", "en": "Weekly push"},
    "schedule.kind_lecture": {"zh": "讲堂提醒", "en": "Lecture reminders"},
    "schedule.kind_hosts": {"zh": "签到码提示（主持人）", "en": "Check-in code prompts (hosts)"},
    "schedule.kind_makeup": {"zh": "补学推送", "en": "Make-up study"},
    "schedule.kind_nudge": {"zh": "截止提醒", "en": "Deadline nudges"},
    "schedule.kind_escalate": {"zh": "截止通报（管理员）", "en": "Deadline reports (admins)"},
    "schedule.kind_reminder": {"zh": "自定义提醒", "en": "Administrators' reminders"},
    "schedule.group": {"zh": "{kind}（{count} 次）", "en": "{kind} ({count})"},
    "schedule.row": {
        "zh": "  {when}  {title}{detail} —— {people} 人",
        "en": "  {when}  {title}{detail} — {people} people",
    },
    "schedule.before": {"zh": " · 提前 {left}", "en": " · {left} before"},
    "schedule.deferred": {
        "zh": "（其中 {n} 人免打扰，结束后送达）",
        "en": " ({n} in quiet hours, sent when they end)",
    },
    "schedule.none": {
        "zh": "这段时间没有计划发送的内容。",
        "en": "Nothing is scheduled in this period.",
    },
    "schedule.total": {
        "zh": "共 {count} 次发送，{people} 人次。",
        "en": "{count} sends to {people} recipients in all.",
    },
    "schedule.bad_days": {
        "zh": "--days 应在 1 到 366 之间，而不是 {value}",
        "en": "--days must be from 1 to 366, not {value}",
    },
    "schedule.bad_date": {
        "zh": "“{value}” 不是日期，应写成 2026-11-23",
        "en": "'{value}' is not a date; write it like 2026-11-23",
    },
    "attendance.csv_header": {
        "zh": "姓名,编号,单位,状态,方式,会场,签到时间,请假事由",
        "en": "name,id,unit,status,method,venue,checked in at,leave reason",
    },
    "attendance.exported": {
        "zh": "已导出《{title}》出勤名单 {count} 人：{path}",
        "en": "Exported the attendance of “{title}”, {count} people: {path}",
    },
    "checkin.at_venue": {
        "zh": "在会场的，也可以点下方“📍 发送位置签到”。",
        "en": "At a venue? You can also tap “📍 Check in by location” below.",
    },
    "btn.location": {"zh": "📍 发送位置签到", "en": "📍 Check in by location"},
    "method.button": {"zh": "按钮", "en": "button"},
    "method.code": {"zh": "签到码", "en": "code"},
    "method.location": {"zh": "位置", "en": "location"},
    # --- lecture files (大讲堂) ---
    "lecture.bad_start": {
        "zh": "“{value}” 不是开始时间，应写成 2026-11-25 15:00 这样（本地时间，不写时区）",
        "en": "'{value}' is not a start time; write it like 2026-11-25 15:00 (local time, no zone)",
    },
    "lecture.bad_url": {
        "zh": "“{value}” 不是网址，应以 https:// 或 http:// 开头",
        "en": "'{value}' is not a link; it must start with https:// or http://",
    },
    "lecture.window_order": {
        "zh": "签到截止（closes_after {closes} 分钟）早于迟到起算（late_after {late} 分钟），closes_after 不能小于 late_after",
        "en": "check-in closes ({closes} min) before it turns late ({late} min); closes_after must not be less than late_after",
    },
    "lecture.one_main": {
        "zh": "要有且只有一个主会场（main: true），现在有 {count} 个",
        "en": "exactly one venue must be the main one (main: true); there are {count}",
    },
    "lecture.duplicate_venue": {
        "zh": "会场编号 “{id}” 与第 {other} 行的会场重复",
        "en": "venue id '{id}' is already used on line {other}",
    },
    "lecture.coords_pair": {
        "zh": "只写了 {given}，没写 {missing}：经纬度要一起写（或者都不写）",
        "en": "{given} is given without {missing}; give both coordinates or neither",
    },
    "lecture.radius_needed": {
        "zh": "写了经纬度，还要写 radius（签到范围，{low} 到 {high} 米）",
        "en": "with coordinates, radius is required (the check-in distance, {low} to {high} metres)",
    },
    "lecture.radius_without_coords": {
        "zh": "写了 radius 就要同时写经纬度 lat 和 lon",
        "en": "radius needs the coordinates lat and lon too",
    },
    "lecture.repeat_one": {
        "zh": "repeat 下必须且只能写 every_weeks、monthly 中的一个",
        "en": "repeat needs exactly one of every_weeks or monthly",
    },
    "lecture.series_id_long": {
        "zh": "编号长 {length} 个字符；重复讲座的编号最多 {limit} 个字符（每一场的编号还要接上“-年月日”）",
        "en": "the id is {length} characters; a repeating lecture's id has at most {limit} (each session's id adds -YYYYMMDD)",
    },
    "lecture.bad_month_week": {
        "zh": "“{value}” 不对：week 写 1 到 4（第几个），或 -1（最后一个）",
        "en": "'{value}' is not valid: week is 1 to 4 (which one), or -1 (the last)",
    },
    "lecture.bad_weekday": {
        "zh": "“{value}” 不是星期几，应写成 周四 或 Thursday 这样",
        "en": "'{value}' is not a weekday; write it like Thursday or 周四",
    },
    "lecture.until_before_start": {
        "zh": "until {until} 早于开始日期 {start}",
        "en": "until {until} is before the start date {start}",
    },
    "lecture.too_many_sessions": {
        "zh": "到 until 为止超过 {limit} 场，请把 until 改早一些",
        "en": "more than {limit} sessions up to until; make until earlier",
    },
    "lecture.no_sessions": {
        "zh": "从开始时间到 {until} 一场都没有，请核对 start、monthly 和 until",
        "en": "no session falls between the start and {until}; check start, monthly and until",
    },
    "lecture.duplicate_session": {
        "zh": "场次编号 “{id}” 重复，{other} 已经有这一场",
        "en": "session id '{id}' is already used at {other}",
    },
    "lecture.unknown_quiz": {
        "zh": "补学测试的题库 “{quiz}” 不存在",
        "en": "make-up quiz bank '{quiz}' does not exist",
    },
    "lecture.unknown_unit": {
        "zh": "组织架构里没有单位“{value}”",
        "en": "there is no unit '{value}' in the org tree",
    },
    # --- deadlines and administrators' reminders (content checks) ---
    "deadline.bad": {
        "zh": "“{value}” 不是截止时间，应写成 2026-11-30 18:00 或 2026-11-30 这样（本地时间，不写时区）",
        "en": "'{value}' is not a deadline; write it like 2026-11-30 18:00 or 2026-11-30 (local time, no zone)",
    },
    "deadline.rotating": {
        "zh": "轮换内容没有固定的截止时间；要设截止时间，请把 publish 改成 date 或 week",
        "en": "a rotating item has no single deadline; give it a date or week publish",
    },
    "deadline.before_publish": {
        "zh": "截止时间 {deadline} 早于发布日期 {start}",
        "en": "the deadline {deadline} is before the publish date {start}",
    },
    "reminder.cron_or_at": {
        "zh": "每条提醒必须且只能写 cron（定期发送）、at（只发一次）中的一个",
        "en": "a reminder needs exactly one of cron (repeating) or at (once)",
    },
    "reminder.bad_cron": {
        "zh": "“{value}” 不是有效的 cron 写法：{detail}",
        "en": "'{value}' is not a valid cron expression: {detail}",
    },
    "reminder.cron_never": {
        "zh": "“{value}” 永远不会发送（没有这样的日子），请核对日期和月份",
        "en": "'{value}' never fires (no such day); check the day and month",
    },
    "reminder.too_often": {
        "zh": "“{value}” 一小时内会发送不止一次（如 {first} 和 {second} 只隔 {minutes} 分钟）；提醒最多每小时一次",
        "en": "'{value}' fires more than once an hour ({first} and {second} are {minutes} minutes apart); reminders go at most once an hour",
    },
    "reminder.bad_at": {
        "zh": "“{value}” 不是提醒时间，应写成 2026-12-01 09:00 这样（本地时间，写到几点几分，不写时区）",
        "en": "'{value}' is not a reminder time; write it like 2026-12-01 09:00 (local time with hours and minutes, no zone)",
    },
    # --- ledger (学习台账) ---
    "ledger.file": {"zh": "学习台账", "en": "study-ledger"},
    "ledger.all_units": {"zh": "全部单位", "en": "all units"},
    "ledger.title": {
        "zh": "学习台账 · {name} · {period}（{start} 至 {end}）",
        "en": "Study ledger · {name} · {period} ({start} to {end})",
    },
    "ledger.summary_sheet": {"zh": "汇总", "en": "Summary"},
    "ledger.total": {"zh": "合计", "en": "Total"},
    "ledger.col.id": {"zh": "编号", "en": "ID"},
    "ledger.col.name": {"zh": "姓名", "en": "Name"},
    "ledger.col.unit": {"zh": "单位", "en": "Unit"},
    "ledger.col.people": {"zh": "人数", "en": "People"},
    "ledger.col.study_due": {"zh": "应学", "en": "Items due"},
    "ledger.col.study_done": {"zh": "已学", "en": "Items learned"},
    "ledger.col.study_rate": {"zh": "学习完成率", "en": "Study rate"},
    "ledger.col.quizzes": {"zh": "参加测试", "en": "Quizzes taken"},
    "ledger.col.passed": {"zh": "通过测试", "en": "Quizzes passed"},
    "ledger.col.quiz_takers": {"zh": "参测人数", "en": "Quiz takers"},
    "ledger.col.quiz_rate": {"zh": "参测率", "en": "Quiz rate"},
    "ledger.col.avg_score": {"zh": "平均分", "en": "Average score"},
    "ledger.col.expected": {"zh": "应到", "en": "Expected"},
    "ledger.col.attended": {"zh": "实到", "en": "Attended"},
    "ledger.col.late": {"zh": "其中迟到", "en": "Of them late"},
    "ledger.col.excused": {"zh": "请假", "en": "Excused"},
    "ledger.col.absent": {"zh": "缺席", "en": "Absent"},
    "ledger.col.made_up": {"zh": "补学", "en": "Made up"},
    "ledger.col.attendance_rate": {"zh": "出勤率", "en": "Attendance rate"},
    "ledger.col.points": {"zh": "积分", "en": "Points"},
    "ledger.col.points_per_head": {"zh": "人均积分", "en": "Points per head"},
    "ledger.col.study_times": {"zh": "学习人次", "en": "Study person-times"},
    "ledger.col.attendance_times": {"zh": "签到人次", "en": "Check-in person-times"},
    "ledger.col.score": {"zh": "综合得分", "en": "Composite"},
    "ledger.col.place": {"zh": "排名", "en": "Place"},
    "ledger.col.card": {"zh": "评牌", "en": "Card"},
    "ledger.bad_date": {
        "zh": "“{value}” 不是日期，应写成 2026-11-01",
        "en": "'{value}' is not a date; write it like 2026-11-01",
    },
    "ledger.bad_range": {
        "zh": "开始日期 {start} 晚于结束日期 {end}",
        "en": "the start {start} is after the end {end}",
    },
    "ledger.written": {
        "zh": "已写出学习台账 {path}：{sheets} 个单位工作表，{people} 人（{period}）",
        "en": "Wrote the study ledger {path}: {sheets} unit sheets, {people} people ({period})",
    },
    # --- reports: cards (亮晒比) ---
    "chart.capped": {
        "zh": "仅显示前 {shown} 项（共 {total} 项）",
        "en": "Only the first {shown} of {total} shown",
    },
    "chart.empty": {"zh": "暂无数据", "en": "No data yet"},
    "card.gold": {"zh": "金牌", "en": "Gold"},
    "card.yellow": {"zh": "黄牌", "en": "Yellow"},
    "card.red": {"zh": "红牌", "en": "Red"},
    # --- announcements (/announce, python -m bot announce) ---
    "announce.usage": {
        "zh": "用法：/announce 通知内容\n例如：/announce 请各支部于本周五前完成《党员的八项权利》学习。\n"
        "发出前会先预览，可选择发往群、个人，是否置顶，附加文件，定时发送。\n"
        "/announce list 查看最近的通知和发送情况。",
        "en": "Usage: /announce TEXT\nFor example: /announce Please finish this week's study "
        "item by Friday.\nYou see a preview first and choose groups and/or people, pinning, "
        "a file and a time.\n/announce list shows your last announcements and how they went.",
    },
    "announce.too_long": {
        "zh": "通知有 {size} 个字，超过上限 {limit} 字，请精简或分两次发送。",
        "en": "The notice has {size} characters, over the {limit} limit: shorten or split it.",
    },
    "announce.head": {"zh": "📢【通知】{unit}", "en": "📢 Notice from {unit}"},
    "announce.head_plain": {"zh": "📢【通知】", "en": "📢 Notice"},
    "announce.preview": {
        "zh": "📝 通知预览（#{id}），确认无误后点“发送”：",
        "en": "📝 Preview of notice #{id}; tap Send when it is right:",
    },
    "announce.file": {"zh": "📎 附件：{name}", "en": "📎 File: {name}"},
    "announce.reach": {
        "zh": "发往：{groups} 个群 · {people} 人",
        "en": "Goes to: {groups} groups · {people} people",
    },
    "announce.groups": {"zh": "群：{names}", "en": "Groups: {names}"},
    "announce.when": {"zh": "发送时间：{when}", "en": "When: {when}"},
    "announce.now": {"zh": "立即发送", "en": "Now"},
    "announce.send_file": {
        "zh": "📎 请把要附加的文件发给我（不超过 {limit} MB）。",
        "en": "📎 Send me the file to attach (up to {limit} MB).",
    },
    "announce.bad_file": {
        "zh": "“{name}”不能作为通知附件。可用的文件类型：{kinds}",
        "en": "“{name}” cannot be attached. File types allowed: {kinds}",
    },
    "announce.time_menu": {
        "zh": "⏰ 选择发送时间；其他时间请发送：/announce 定时 2026-11-25 09:00",
        "en": "⏰ Pick a time; for another, send: /announce at 2026-11-25 09:00",
    },
    "announce.past": {
        "zh": "这个时间已经过去了，请选择以后的时间。",
        "en": "That time has passed: pick a later one.",
    },
    "announce.nobody": {
        "zh": "这条通知没有可以送达的群或人员：请先在群里用 /bindgroup 绑定单位，或勾选“个人”。",
        "en": "This notice reaches no group or person: bind groups with /bindgroup, or tick People.",
    },
    "announce.not_draft": {
        "zh": "这条通知已经发出或已取消。",
        "en": "This notice has already been sent or cancelled.",
    },
    "announce.already_draft": {"zh": "这条通知还没有发送。", "en": "This notice is not sent yet."},
    "announce.already_scheduled": {
        "zh": "这条通知已定时，可在 /announce list 中取消。",
        "en": "This notice is scheduled; cancel it from /announce list.",
    },
    "announce.already_queued": {"zh": "这条通知已经发出。", "en": "This notice is already sent."},
    "announce.already_cancelled": {
        "zh": "这条通知已取消。",
        "en": "This notice was cancelled.",
    },
    "announce.cancelled": {"zh": "已取消通知 #{id}。", "en": "Notice #{id} cancelled."},
    "announce.queued": {
        "zh": "✅ 通知 #{id} 已加入发送队列：{groups} 个群，{people} 人。发完后会把送达情况告诉您。",
        "en": "✅ Notice #{id} is queued for {groups} groups and {people} people. "
        "You will get the delivery report when it is done.",
    },
    "announce.scheduled": {
        "zh": "⏰ 通知 #{id} 将于 {when} 发出（目前可送达 {groups} 个群，{people} 人）。",
        "en": "⏰ Notice #{id} goes out at {when} (now reaching {groups} groups, {people} people).",
    },
    "announce.report_done": {
        "zh": "📬 通知 #{id} 送达情况：",
        "en": "📬 Notice #{id}: delivery report",
    },
    "announce.report_progress": {
        "zh": "📬 通知 #{id} 正在发送：",
        "en": "📬 Notice #{id} is being sent:",
    },
    "announce.report_groups": {
        "zh": "群 {total} 个：已送达 {sent}，失败 {failed}，待发 {pending}",
        "en": "Groups {total}: sent {sent}, failed {failed}, waiting {pending}",
    },
    "announce.report_people": {
        "zh": "个人 {total} 人：已送达 {sent}，失败 {failed}，无法送达 {unreachable}，待发 {pending}",
        "en": "People {total}: sent {sent}, failed {failed}, unreachable {unreachable}, "
        "waiting {pending}",
    },
    "announce.report_failed_groups": {"zh": "未送达的群：", "en": "Groups not reached:"},
    "announce.report_failed_people": {"zh": "未送达的人员：", "en": "People not reached:"},
    "announce.report_more": {"zh": "……另有 {count} 个未列出", "en": "… and {count} more"},
    "announce.why_unreachable": {
        "zh": "已屏蔽机器人或已退出",
        "en": "blocked the bot or left",
    },
    "announce.why_failed": {"zh": "发送失败", "en": "sending failed"},
    "announce.none": {"zh": "您还没有发过通知。", "en": "You have not sent any notices yet."},
    "announce.list_title": {"zh": "📢 最近的通知：", "en": "📢 Your latest notices:"},
    "announce.state_queued": {"zh": "已发送", "en": "sent"},
    "announce.state_scheduled": {"zh": "已定时", "en": "scheduled"},
    "announce.state_cancelled": {"zh": "已取消", "en": "cancelled"},
    "announce.state_draft": {"zh": "草稿", "en": "draft"},
    "announce.cli_usage": {
        "zh": "请用 --text 或 --text-file 给出通知内容（或用 --status ID、--list）",
        "en": "Give the text with --text or --text-file (or use --status ID, --list)",
    },
    "announce.cli_unknown": {"zh": "没有编号为 {id} 的通知", "en": "There is no notice #{id}"},
    "announce.cli_preview": {
        "zh": "（仅预览，未发送。确认无误后加 --yes 发送）",
        "en": "(A preview only: nothing was sent. Add --yes to send it.)",
    },
    "announce.cli_queued": {
        "zh": "通知 #{id} 已加入发送队列，由运行中的机器人发出。查看送达情况：python -m bot announce --status {id}",
        "en": "Notice #{id} is queued; the running bot sends it. Delivery report: "
        "python -m bot announce --status {id}",
    },
    "announce.cli_scheduled": {
        "zh": "通知 #{id} 将于 {when} 由运行中的机器人发出。查看送达情况：python -m bot announce --status {id}",
        "en": "Notice #{id} goes out at {when} from the running bot. Delivery report: "
        "python -m bot announce --status {id}",
    },
    "btn.announce_groups": {"zh": "群", "en": "Groups"},
    "btn.announce_people": {"zh": "个人", "en": "People"},
    "btn.announce_pin": {"zh": "置顶", "en": "Pin"},
    "btn.announce_file": {"zh": "📎 附件", "en": "📎 File"},
    "btn.announce_time": {"zh": "⏰ 定时", "en": "⏰ Time"},
    "btn.announce_send": {"zh": "📤 发送", "en": "📤 Send"},
    "btn.announce_cancel": {"zh": "✖ 取消", "en": "✖ Cancel"},
    "btn.announce_unschedule": {"zh": "✖ 取消定时", "en": "✖ Cancel it"},
    "btn.announce_report": {"zh": "📋 发送情况", "en": "📋 Delivery report"},
    "btn.refresh": {"zh": "🔄 刷新", "en": "🔄 Refresh"},
    # --- reports (/report) and the weekly ranking post (亮晒比) ---
    "weekday.0": {"zh": "每周一", "en": "Mondays"},
    "weekday.1": {"zh": "每周二", "en": "Tuesdays"},
    "weekday.2": {"zh": "每周三", "en": "Wednesdays"},
    "weekday.3": {"zh": "每周四", "en": "Thursdays"},
    "weekday.4": {"zh": "每周五", "en": "Fridays"},
    "weekday.5": {"zh": "每周六", "en": "Saturdays"},
    "weekday.6": {"zh": "每周日", "en": "Sundays"},
    "weeklyrank.unbound": {
        "zh": "这个群还没有绑定单位，请先发送 /bindgroup 单位名称。",
        "en": "This group is not bound to a unit yet: send /bindgroup UNIT first.",
    },
    "weeklyrank.on": {
        "zh": "🏆 已开启亮晒比：{at} 在本群发布上周各单位排名（含金牌、黄牌、红牌和图表）。",
        "en": "🏆 Weekly ranking on: {at} this group gets last week's ranking of its units "
        "(cards and a chart).",
    },
    "weeklyrank.off": {
        "zh": "已关闭本群的每周排名发布。",
        "en": "The weekly ranking post is off for this group.",
    },
    "weeklyrank.status_on": {
        "zh": "本群已开启亮晒比，{at} 发布上周排名。关闭：/weeklyrank off",
        "en": "This group gets the weekly ranking {at}. Turn it off: /weeklyrank off",
    },
    "weeklyrank.status_off": {
        "zh": "本群未开启亮晒比。开启后 {at} 发布上周各单位排名：/weeklyrank on",
        "en": "This group does not get the weekly ranking. To get it {at}: /weeklyrank on",
    },
    "report.everyone": {"zh": "全部单位", "en": "All units"},
    "report.title": {"zh": "📊 {unit} · {period} 学习情况", "en": "📊 {unit} · {period}"},
    "report.people": {"zh": "👥 参学人数 {people} 人", "en": "👥 {people} people"},
    "report.study": {
        "zh": "📖 学习完成率 {rate}（应学 {due} · 已学 {done}）",
        "en": "📖 Study completion {rate} ({done} of {due})",
    },
    "report.quiz": {
        "zh": "📝 测试参与率 {rate}（{takers} 人）· 平均分 {score}",
        "en": "📝 Quiz participation {rate} ({takers} people) · average score {score}",
    },
    "report.attendance": {
        "zh": "🎓 出勤率 {rate}（应到 {expected} · 实到 {attended} · 请假 {excused} · 补学 {made_up}）",
        "en": "🎓 Attendance {rate} ({attended} of {expected}; excused {excused}; "
        "made up {made_up})",
    },
    "report.points": {
        "zh": "⭐ 人均积分 {per_head}（共 {points} 分）",
        "en": "⭐ Points per head {per_head} ({points} in all)",
    },
    "report.times": {
        "zh": "🔁 学习 {study} 人次 · 签到 {attendance} 人次",
        "en": "🔁 {study} study person-times · {attendance} check-ins",
    },
    "report.ranking": {
        "zh": "🏆 排名（按人均、参学人数调整后的综合得分）",
        "en": "🏆 Ranking (per-head composite, adjusted for unit size)",
    },
    "report.rank_row": {
        "zh": "{marker} {name} {score} 分（{people} 人）",
        "en": "{marker} {name} {score} ({people} people)",
    },
    "report.own_level": {"zh": "{unit}（本级）", "en": "{unit} (own staff)"},
    "report.more": {"zh": "……另有 {count} 个单位", "en": "… and {count} more units"},
    "report.and_more": {"zh": " 等 {count} 个", "en": " and {count} more"},
    "report.unscored": {"zh": "— 暂无数据：{units}", "en": "— No data yet: {units}"},
    "report.chart_title": {"zh": "{unit} · {period} 综合得分", "en": "{unit} · {period} score"},
    "report.chart_subtitle": {
        "zh": "学习完成率 {rate} · 出勤率 {attendance}",
        "en": "Study completion {rate} · attendance {attendance}",
    },
    "report.chart_axis": {"zh": "综合得分（%）", "en": "Composite score (%)"},
    "report.chart_file": {
        "zh": "学习排名_{unit}_{period}.png",
        "en": "ranking_{unit}_{period}.png",
    },
    "report.chart_caption": {
        "zh": "📊 {unit} · {period} 各单位综合得分",
        "en": "📊 {unit} · {period}: units by score",
    },
    "report.usage": {
        "zh": "用法：/report [单位] [时段]\n时段可写：本周、上周、本月、上月、2026-11、2026-W48、"
        "2026、2026-11-01..2026-11-30\n例如：/report 乌兰浩特市 上月",
        "en": "Usage: /report [unit] [period]\nPeriods: week, last week, month, last month, "
        "2026-11, 2026-W48, 2026, 2026-11-01..2026-11-30\nFor example: /report Ulanhot last month",
    },
    "report.future": {
        "zh": "{period} 还没有开始，没有可统计的数据",
        "en": "{period} has not started yet: there is nothing to count",
    },
    "report.ledger_wait": {
        "zh": "📥 正在生成学习台账，生成后会发给您（全盟的台账约需半分钟）。",
        "en": "📥 Building the study ledger; it comes here when ready (a whole league's "
        "takes about half a minute).",
    },
    "report.ledger_busy": {
        "zh": "学习台账正在生成，请稍候。",
        "en": "The ledger is being built; it will come shortly.",
    },
    "report.ledger_caption": {
        "zh": "📥 {name}\n汇总表在第一页，每个单位一页，每人一行。",
        "en": "📥 {name}\nThe summary is the first sheet, then one sheet per unit, one row per person.",
    },
    "btn.report_week": {"zh": "本周", "en": "This week"},
    "btn.report_month": {"zh": "本月", "en": "This month"},
    "btn.report_last_month": {"zh": "上月", "en": "Last month"},
    "btn.report_up": {"zh": "⬆ 上一级", "en": "⬆ Up"},
    "btn.report_ledger": {"zh": "📥 学习台账（Excel）", "en": "📥 Study ledger (Excel)"},
    "btn.report_unit": {"zh": "▸ {unit}", "en": "▸ {unit}"},
    "report.card_order": {
        "zh": "金牌线、黄牌线、红牌线须依次降低（现在 gold {gold}、yellow {yellow}、red {red}）",
        "en": "thresholds must fall from gold to yellow to red "
        "(now gold {gold}, yellow {yellow}, red {red})",
    },
    "report.no_weights": {
        "zh": "study、quiz、attendance 的权重不能全为 0",
        "en": "the weights of study, quiz and attendance must not all be 0",
    },
    # --- WeCom group robots (/robot) ---
    "robot.usage": {
        "zh": "用法：/robot 单位 机器人webhook地址 [群名]\n在企业微信群里：群设置 → 群机器人 → "
        "添加机器人，复制它的 webhook 地址发给我。例如：\n/robot 乌兰浩特市 "
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… 市直机关学习群",
        "en": "Usage: /robot UNIT WEBHOOK-ADDRESS [GROUP NAME]\nIn the WeCom group: settings → "
        "group robots → add a robot, then send me its webhook address. For example:\n"
        "/robot xam-wlht https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… City study group",
    },
    "robot.default_title": {"zh": "{unit}群", "en": "{unit} group"},
    "robot.bound": {
        "zh": "✅ 群机器人“{title}”已绑定到 {unit}，通知会由它发到群里，群里应已收到一条测试消息。"
        "亮晒比周报可在“群机器人列表”里开启。\n"
        "请删除刚才含 webhook 地址的消息：知道这个地址的人都能往群里发消息。",
        "en": "✅ Group robot '{title}' is bound to {unit}: announcements reach the group "
        "through it, and a test message should be there now. Turn the weekly ranking on in "
        "the group robot list.\nPlease delete the message with the webhook address: anyone "
        "who has it can post to the group.",
    },
    "robot.none": {
        "zh": "你的范围内还没有绑定群机器人。",
        "en": "No group robots are bound in your scope.",
    },
    "robot.list": {"zh": "🤖 已绑定的群机器人：", "en": "🤖 Bound group robots:"},
    "robot.weekly": {"zh": "（亮晒比周报 ✅）", "en": " (weekly ranking ✅)"},
    "robot.week_on": {"zh": "{n} 开周报", "en": "{n} weekly on"},
    "robot.week_off": {"zh": "{n} 关周报", "en": "{n} weekly off"},
    "robot.remove": {"zh": "{n} 解绑", "en": "{n} remove"},
    "robot.list_button": {"zh": "🤖 群机器人列表", "en": "🤖 Group robots"},
    "robot.test": {
        "zh": "🤖 本群已接入干部学习助手（{unit}）：通知和亮晒比周报将发到这里。",
        "en": "🤖 This group is now linked to the cadre-learning bot ({unit}): "
        "announcements and the weekly ranking will be posted here.",
    },
    # --- WeCom channel ---
    "wecom.text_mode": {
        "zh": "已切换为文字模式：按钮会写成编号，回复数字即可选择。想看卡片请回复“卡片模式”。",
        "en": "Text mode is on: buttons are listed with numbers; reply with a number to choose. "
        "Reply 'card mode' for cards again.",
    },
    "wecom.card_mode": {
        "zh": "已切换为卡片模式：按钮显示在消息卡片上。看不到按钮请回复“文字模式”。",
        "en": "Card mode is on: buttons appear on message cards. Reply 'text mode' if you "
        "cannot see them.",
    },
    "wecom.hint": {
        "zh": "（用微信看不到按钮？回复“文字模式”）",
        "en": "(No buttons on WeChat? Reply 'text mode'.)",
    },
    "wecom.pick": {"zh": "回复数字选择：", "en": "Reply with a number:"},
    "wecom.pick_range": {
        "zh": "请回复 1 到 {count} 之间的数字。",
        "en": "Please reply with a number from 1 to {count}.",
    },
    "wecom.done": {"zh": "✔ 已处理", "en": "✔ Done"},
    "wecom.location": {
        "zh": "在会场的，也可以点输入框旁的“+”→“位置”，发送你的位置签到。",
        "en": "At a venue? You can also tap “+” → “Location” next to the input box to check in "
        "by location.",
    },
    "wecom.unsupported": {
        "zh": "暂时只能处理文字、位置和按钮。需要上传文件的操作请联系管理员在电脑上完成。",
        "en": "For now I understand text, locations and buttons only. For files, please ask "
        "an administrator to upload them from a computer.",
    },
    "wecom.more": {"zh": "更多选项", "en": "More options"},
    # --- the same messages as WeCom members read them (key@channel overrides key there) ---
    "pending.intro@wecom": {
        "zh": "您好，{name}！本学习平台只对名册内的干部开放，您的企业微信账号还不在名册中：\n"
        "📋 请本单位管理员把您加入名册（名册的“企业微信账号”一列填您的账号），加入后直接可用；\n"
        "🔑 或者向管理员索取邀请码，把收到的那一行原样发给我，再填写姓名，由管理员确认。",
        "en": "Hello, {name}! This study platform is for cadres on the roster, and your WeCom "
        "account is not on it yet:\n📋 ask your unit's administrator to add you to the roster "
        "(with your WeCom account in its wecom column); you can start as soon as they have;\n"
        "🔑 or ask them for an invite code, send me the line you get, then give your name for "
        "them to confirm.",
    },
    "help.public@wecom": {
        "zh": "干部学习助手：每周一学、知识测试、擂台比武、大讲堂签到。\n"
        "名册内的干部可以直接使用；不在名册中的，请向本单位管理员索取邀请码并发给我。\n"
        "🌐 /lang en 切换英文，/lang zh 切换中文",
        "en": "The cadre-learning assistant: weekly study, quizzes, contests and lecture "
        "check-in.\nCadres on the roster can start straight away; if you are not on it, ask "
        "your administrator for an invite code and send it to me.\n"
        "🌐 /lang zh for Chinese, /lang en for English",
    },
    "invite.made@wecom": {
        "zh": "🔑 “{unit}”的邀请码（{expires} 前有效）：\n{link}\n"
        "请把上面这一行转发给对方，对方在企业微信里发给“干部学习助手”并填写姓名后，您会收到确认请求。"
        "（名册里已填企业微信账号的人员不需要邀请码。）",
        "en": "🔑 Invite code for “{unit}” (valid until {expires}):\n{link}\n"
        "Forward that line; when they send it to the cadre-learning app in WeCom and give "
        "their name, you will be asked to confirm. (People whose WeCom account is on the "
        "roster need no code.)",
    },
    "invite.unknown@wecom": {
        "zh": "这个邀请码无效，请核对后重新发送，或向管理员索取新的邀请码。",
        "en": "This invite code is not valid: check it, or ask your administrator for a new one.",
    },
    "invite.expired@wecom": {
        "zh": "这个邀请码已过期。请向管理员索取新的邀请码。",
        "en": "This invite code has expired. Please ask your administrator for a new one.",
    },
    "invite.already@wecom": {
        "zh": "您已经是学习平台的成员了，不需要邀请码。",
        "en": "You are a member already; no invite code is needed.",
    },
    "help.admin@wecom": {
        "zh": "\n管理员功能（只作用于您管理的单位）：\n📢 /announce 内容 —— 发通知（先预览）\n"
        "📊 /report 单位 [时段] —— 报表、图表和学习台账\n"
        "🔑 /invite 单位 —— 生成邀请码\n👥 /members 单位 —— 人员名单（含手机号）\n"
        "🧑‍💼 /admins —— 管理员名单\n📊 /rank open|close 单位 —— 让单位加入或退出上级排行榜\n"
        "🤖 /robot 单位 webhook地址 —— 绑定企业微信群机器人\n"
        "📋 名册（含“企业微信账号”列）：在服务器上运行 python -m bot roster import 文件",
        "en": "\nAdministrator commands (for the units you administer):\n"
        "📢 /announce TEXT — a notice (previewed first)\n"
        "📊 /report UNIT [PERIOD] — figures, a chart and the study ledger\n"
        "🔑 /invite UNIT — an invite code\n👥 /members UNIT — who is on the roster (with "
        "phones)\n🧑‍💼 /admins — administrators\n"
        "📊 /rank open|close UNIT — a unit joins or leaves its parent unit's board\n"
        "🤖 /robot UNIT WEBHOOK — bind a WeCom group robot\n"
        "📋 the roster (with a wecom column): python -m bot roster import FILE on the server",
    },
    "help.superadmin@wecom": {
        "zh": "\n超级管理员：/grant 人员 单位 [admin|host]、/revoke 人员 [单位]、/audit [条数]、"
        "/pushweek；学习内容和题库：放进服务器的 content/ 文件夹，python -m bot validate 检查后重启。",
        "en": "\nSuperadmins: /grant PERSON UNIT [admin|host], /revoke PERSON [UNIT], /audit [N], "
        "/pushweek; study content and quiz banks: put them in content/ on the server, check "
        "with python -m bot validate, then restart.",
    },
    "announce.usage@wecom": {
        "zh": "用法：/announce 通知内容\n例如：/announce 请各支部于本周五前完成《党员的八项权利》学习。\n"
        "发出前会先预览，可选择发往群机器人、个人，定时发送。\n"
        "/announce list 查看最近的通知和发送情况。",
        "en": "Usage: /announce TEXT\nFor example: /announce Please finish this week's study "
        "item by Friday.\nYou see a preview first and choose group robots and/or people and "
        "a time.\n/announce list shows your last announcements and how they went.",
    },
    "announce.nobody@wecom": {
        "zh": "这条通知没有可以送达的群或人员：请先用 /robot 为单位绑定群机器人，或勾选“个人”。",
        "en": "This notice reaches no group or person: bind a group robot with /robot, or "
        "tick People.",
    },
}

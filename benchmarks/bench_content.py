"""Measures load_pack (YAML load + validation) of 500 study items and 500 banks; target < 3 s.

Generates, in a temporary directory, one YAML file per study item (a ~800-character Chinese
body, published by `date:` or `week:`, linked to a bank) and one per quiz bank (20 questions
mixing single, multiple and true/false, each with an explanation), in the format authors
write by hand. Then times `load_pack([study_dir], [quiz_dir])` a few times and reports the
best and median seconds, the tracemalloc peak of one load, and the process's max RSS.

Run by hand from the repository root:  .venv/bin/python benchmarks/bench_content.py
The last line printed is a JSON object with the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from bot.content.loader import load_pack
from bot.content.models import LETTERS

TARGET_SECONDS = 3.0

TOPICS = [
    "四乡工程", "擂台比武", "两晒一比", "党员权利", "主题教育", "培训升级", "基层治理",
    "乡村振兴", "作风建设", "调查研究", "党纪学习", "担当作为", "为民服务", "法治思维",
    "生态保护", "安全生产", "营商环境", "民族团结", "数字政务", "廉洁自律",
]
SOURCES = [
    "兴安盟干部教育培训报道", "盟委组织部工作通讯", "党建工作简报", "干部学习资料汇编",
    "基层党建经验交流材料",
]
SENTENCES = [
    "开展大培训、提升干部能力本领，最终要体现在具体工作的执行落实中。",
    "坚持把重大项目、专项工作、急难险重任务作为实践最好的课堂，让干部在一线历练成长。",
    "各级党组织要把学习教育同推动中心工作结合起来，做到两手抓、两促进。",
    "要坚持问题导向，聚焦群众急难愁盼，拿出务实管用的举措，切实解决实际问题。",
    "领导干部要带头学、带头讲、带头干，以上率下，形成一级带一级、层层抓落实的良好局面。",
    "通过集中培训、专题研讨、现场观摩等方式，帮助干部拓宽视野、更新知识、增强本领。",
    "建立健全考核评价机制，把学习成效与干部年度考核、评优评先挂钩，激发内生动力。",
    "选派优秀年轻干部到基层一线、艰苦地区和复杂岗位锻炼，积累实践经验。",
    "组织专家人才深入基层开展联系服务活动，把技术、信息和项目送到群众家门口。",
    "驻村工作队要常态到乡、住村入户，摸清底数、找准症结，做到精准施策。",
    "要持续深化作风建设，坚决反对形式主义、官僚主义，为基层松绑减负。",
    "各地结合实际，探索形成了一批可复制、可推广的经验做法，取得了明显成效。",
    "坚持以人民为中心的发展思想，把为民办事服务贯穿工作始终，让群众得到实惠。",
    "加强党员教育管理，严格落实“三会一课”、组织生活会和民主评议党员等制度。",
    "要树牢底线思维，统筹发展和安全，守住不发生规模性返贫的底线。",
    "以赛促学、以赛促练，通过擂台比武检验学习成果，营造比学赶超的浓厚氛围。",
    "晒任务、晒进度、比实绩，让干部在比较中找差距，在竞争中促提升。",
    "坚持学用结合、知行合一，把学习成果转化为推动高质量发展的实际成效。",
    "着力提升干部的政治能力、调查研究能力、科学决策能力和群众工作能力。",
    "要用好线上学习平台，方便干部利用碎片化时间开展学习，做到学习常态化。",
    "强化基层党组织政治功能和组织功能，把党的组织优势转化为发展优势。",
    "落实“四到村五到户”帮扶行动，切实提升基层有效治理和服务保障能力。",
    "推动人才、资金、技术等要素向基层流动，为乡村全面振兴注入持久动力。",
    "要坚持严管和厚爱结合、激励和约束并重，营造干事创业的良好环境。",
]
HEADINGS = ["一、基本情况", "二、主要做法", "三、经验启示", "四、下一步打算"]
OPTION_POOL = [
    "能人返乡", "市民下乡", "干部到乡", "企业兴乡", "学生留乡", "专家进村", "技术下乡",
    "集中培训", "专题研讨", "现场观摩", "擂台比武", "线上学习", "跟班学习", "挂职锻炼",
    "晒任务", "晒进度", "比实绩", "比作风", "建强党支部", "推进强村富民", "提升治理水平",
    "为民办事服务", "收入倍增测算", "产业再造规划", "致富技能培训", "扶持政策落实",
    "文明行为践行", "三会一课", "组织生活会", "民主评议党员", "主题党日", "谈心谈话",
]


def study_body(rng: random.Random, topic: str, target: int = 800) -> list[str]:
    """Lines of a ~`target`-character body: headed sections of numbered sentences."""
    lines = [f"本期围绕“{topic}”开展学习，请结合本职工作认真研读，学后完成配套测试。", ""]
    length = len(lines[0])
    for heading in HEADINGS:
        lines.append(heading)
        length += len(heading)
        for n in range(1, rng.randint(2, 4) + 1):
            sentence = f"{n}. {rng.choice(SENTENCES)}"
            lines.append(sentence)
            length += len(sentence)
        lines.append("")
        if length >= target:
            break
    while length < target:
        sentence = rng.choice(SENTENCES)
        lines.append(sentence)
        length += len(sentence)
    return lines


def write_item(folder: Path, n: int, rng: random.Random, bank_id: str) -> None:
    """One study item file, published by date (even n) or ISO week (odd n)."""
    topic = TOPICS[n % len(TOPICS)]
    if n % 2:
        monday = date(2025, 1, 6) + timedelta(weeks=n % 150)
        year, week, _ = monday.isocalendar()
        publish = f"  week: {year}-W{week:02d}"
    else:
        publish = f"  date: {date(2025, 1, 6) + timedelta(days=n % 700)}"
    body = "\n".join(f"  {line}" if line else "" for line in study_body(rng, topic))
    text = (
        f"# 每周一学：{topic}（第{n}期，基准测试生成）\n"
        f"id: item-{n:04d}\n"
        f"title: 每周一学｜{topic}专题学习（第{n}期）\n"
        f"source: {rng.choice(SOURCES)}\n"
        f"publish:\n{publish}\n"
        f"audience: all\n"
        f"tags: [每周一学, {topic}]\n"
        f"quiz: {bank_id}\n"
        f"body: |\n{body}\n"
    )
    (folder / f"item-{n:04d}.yaml").write_text(text, encoding="utf-8")


def question_yaml(rng: random.Random, bank: int, q: int) -> str:
    """One question entry (single / multiple / true-false, weighted 2:1:1)."""
    kind = rng.choice(("single", "single", "multiple", "truefalse"))
    topic = TOPICS[(bank + q) % len(TOPICS)]
    lines = [f"  - id: q{q}", f"    type: {kind}"]
    if kind == "truefalse":
        lines.append(f"    text: 判断：{rng.choice(SENTENCES)}（第{bank}套第{q}题）")
        lines.append(f"    answer: {'true' if rng.random() < 0.5 else 'false'}")
    else:
        count = rng.randint(4, 6) if kind == "multiple" else 4
        options = rng.sample(OPTION_POOL, count)
        right = rng.sample(range(count), 1 if kind == "single" else rng.randint(2, count - 1))
        word = "哪一项" if kind == "single" else "哪些（多选）"
        lines.append(f"    text: 围绕“{topic}”，下列{word}符合本期学习内容？（第{bank}套第{q}题）")
        lines.append("    options:")
        lines += [f"      - {option}" for option in options]
        lines.append(f"    answer: {''.join(LETTERS[i] for i in sorted(right))}")
    lines.append(f"    explanation: 正文：{rng.choice(SENTENCES)}")
    if q % 7 == 0:
        lines.append("    time_limit: 90")
    return "\n".join(lines)


def write_bank(folder: Path, n: int, rng: random.Random, questions: int) -> None:
    """One quiz bank file with `questions` questions."""
    topic = TOPICS[n % len(TOPICS)]
    body = "\n".join(question_yaml(rng, n, q) for q in range(1, questions + 1))
    text = (
        f"# 题库：{topic}（第{n}套，基准测试生成）\n"
        f"id: bank-{n:04d}\n"
        f"title: “{topic}”知识测试（第{n}套）\n"
        f"pass_mark: 60\n"
        f"attempts: 3\n"
        f"shuffle: true\n"
        f"time_limit: 60\n"
        f"questions:\n{body}\n"
    )
    (folder / f"bank-{n:04d}.yaml").write_text(text, encoding="utf-8")


def generate(root: Path, items: int, banks: int, questions: int, seed: int) -> tuple[Path, Path]:
    """Write the study and quiz folders under `root`; items link banks round-robin."""
    rng = random.Random(seed)
    study_dir, quiz_dir = root / "study", root / "quizzes"
    study_dir.mkdir()
    quiz_dir.mkdir()
    for n in range(1, banks + 1):
        write_bank(quiz_dir, n, rng, questions)
    for n in range(1, items + 1):
        write_item(study_dir, n, rng, f"bank-{(n - 1) % banks + 1:04d}")
    return study_dir, quiz_dir


def folder_bytes(*folders: Path) -> int:
    """Total size of the files under the folders."""
    return sum(p.stat().st_size for f in folders for p in f.rglob("*") if p.is_file())


def max_rss_mb() -> float:
    """The process's peak resident set size so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500, help="study items (default 500)")
    parser.add_argument("--banks", type=int, default=500, help="quiz banks (default 500)")
    parser.add_argument("--questions", type=int, default=20, help="questions per bank (20)")
    parser.add_argument("--runs", type=int, default=3, help="timed loads (default 3)")
    parser.add_argument("--seed", type=int, default=2026, help="generator seed")
    args = parser.parse_args(argv)
    if min(args.items, args.banks, args.questions, args.runs) < 1:
        parser.error("sizes and runs must be at least 1")

    with tempfile.TemporaryDirectory(prefix="bench-content-") as tmp:
        t0 = time.perf_counter()
        study_dir, quiz_dir = generate(Path(tmp), args.items, args.banks, args.questions,
                                       args.seed)
        generated = time.perf_counter() - t0
        size_mb = folder_bytes(study_dir, quiz_dir) / 1e6
        print(f"generated {args.items} study items + {args.banks} banks x {args.questions} "
              f"questions ({size_mb:.1f} MB of YAML) in {generated:.2f} s")

        times = []
        pack = None
        for run in range(1, args.runs + 1):
            pack = None
            gc.collect()
            start = time.perf_counter()
            pack = load_pack([study_dir], [quiz_dir])
            times.append(time.perf_counter() - start)
            print(f"run {run}: load_pack {times[-1]:.3f} s")
        assert pack is not None
        items, banks, questions = len(pack.items), len(pack.banks), pack.question_count()
        expected = (args.items, args.banks, args.banks * args.questions)
        assert (items, banks, questions) == expected, \
            f"loaded {(items, banks, questions)}, generated {expected}"
        assert pack.files == args.items + args.banks
        body_chars = statistics.mean(len(i.body) for i in pack.items.values())
        print(f"loaded {items} items / {banks} banks / {questions} questions "
              f"(mean body {body_chars:.0f} chars)")

        # Memory is measured on a separate load: tracemalloc slows allocation down a lot.
        pack = None
        gc.collect()
        rss_before = max_rss_mb()
        tracemalloc.start()
        pack = load_pack([study_dir], [quiz_dir])
        retained, peak = tracemalloc.get_traced_memory()
        # What a load leaves behind once its pack is gone should be close to nothing.
        pack = None
        gc.collect()
        leftover = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        rss = max_rss_mb()

    best, median = min(times), statistics.median(times)
    passed = best < TARGET_SECONDS
    print(f"load_pack: best {best:.3f} s, median {median:.3f} s of {len(times)} runs "
          f"(target < {TARGET_SECONDS:g} s: {'PASS' if passed else 'FAIL'})")
    print(f"memory: tracemalloc peak {peak / 1e6:.1f} MB during one load, {retained / 1e6:.1f} MB "
          f"held with the pack, {leftover / 1e6:.1f} MB still held after the pack is dropped "
          f"(should be ~0)")
    print(f"max RSS {rss:.1f} MB ({rss_before:.1f} MB before the traced load)")
    print(json.dumps({
        "benchmark": "content",
        "items": items,
        "banks": banks,
        "questions": questions,
        "files": args.items + args.banks,
        "yaml_mb": round(size_mb, 2),
        "runs": len(times),
        "seconds": [round(t, 3) for t in times],
        "seconds_best": round(best, 3),
        "seconds_median": round(median, 3),
        "tracemalloc_peak_mb": round(peak / 1e6, 1),
        "tracemalloc_retained_mb": round(retained / 1e6, 1),
        "tracemalloc_leftover_mb": round(leftover / 1e6, 1),
        "max_rss_mb": round(rss, 1),
        "target_seconds": TARGET_SECONDS,
        "python": sys.version.split()[0],
        "pass": passed,
    }))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

"""The project's own training sentences for the name model: short sentence frames, written for
medshield, filled with names from the synthetic population's vocabulary and with words and
medical terms that begin like a name.

No third-party text is used: the frames are ours, the surnames and their weights come from
``synth.vocab_people`` and the shipped surname table, the given-name characters from the synthetic
population and the list below, the words that must not read as names from the shipped word lists
(jieba's dictionary, MIT) and term dictionary (ZainZhao/HIS, THUOCL: Apache 2.0, MIT). The
sentences are drawn from a seeded generator, so training is reproducible to the last digit.

The held-out evaluation (``bench/text_persons.py``) is written separately, in other styles and
with whole given names from another list: it measures the model on text it was not built from.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from functools import cache
from importlib.resources import files

from medshield.detect.names import _common_words, surnames, two_character_words
from medshield.detect.ner_corpora import PERSON, Sentence
from medshield.detect.terms import term_index
from medshield.synth import vocab_clinical as vc
from medshield.synth import vocab_people as vp

SEED = 2026
# characters often found in given names, beyond the synthetic population's pools
GIVEN_EXTRA = (
    "秀英兰珍凤梅翠花玉淑桂琼素云霞莲芝菊香娥荣爱惠巧美月彩春秋冬雁琴妮露瑞凡佩蕾茜瑾璇萱涵"
    "诺汐馨菲妍彤悦钰语曦然希婉柔溪妙莹晴清宁若依可紫沫梦琪瑜苗"
    "国建军民华新红卫东忠德永福寿荣贵发财胜利昌盛兴旺宏斌彬杰豪俊轩皓睿泽辰铭锐晟航哲瀚"
    "奕逸霖霆磊鹏鸿翔宇凯恺楠楷毅志诚信仁义礼智勇刚强坚峰岩山川江河海洋波涛洪源淼森林"
    "树松柏文武彦政治清远长亮光明晖耀庆祥瑞乐天佑嘉善良顺安和平正中立康健伦"
    "莉龙欢兵娇媛姗婕岚娅洁蓓珊琦璐楠朗彪虎奇聪达冬帆光坤雷鸣旗锋钢铁银锦力梁璋进"
)
FAMILY = ("儿子", "女儿", "丈夫", "妻子", "父亲", "母亲", "哥哥", "姐姐", "弟弟", "妹妹")
FAMILY_HAN = ("孙子", "孙女", "外孙", "侄子", "侄女", "外甥")
TITLE = ("医生", "医师", "主任", "护士", "护士长", "大夫", "教授", "院长", "药师", "技师")

# sentence frames: {N} a name, {W} a word or term that begins like a name (no name), {V} any
# word (general or frequent), {S} one to four frequent words, {R} a
# relation, {T} a title after a name, {X} a drug or diagnosis, {K} a department, {D} a digit run
FRAMES: tuple[str, ...] = (
    "{N}{T}今天值班。",
    "请{N}{T}到{K}会诊。",
    "{N}，男，{D}岁，{X}。",
    "{N}，女，{D}岁。",
    "{N}昨日来院复查，{X}控制可。",
    "已电话通知{N}明天上午来取报告。",
    "家属{N}陪同就诊。",
    "{R}{N}在外地工作。",
    "联系人：{N}（{R}）",
    "由{N}{T}负责随访。",
    "{N}与{N}同住一室。",
    "患者{N}诉{W}不适。",
    "今晨{N}主诉头晕。",
    "签字人{N}，与患者系{R}关系。",
    "主刀{N}，助手{N}，麻醉{N}。",
    "{N}说{W}已经好多了。",
    "门诊{N}，复诊，{X}。",
    "经{N}同意后转科。",
    "{N}、{N}二人参与抢救。",
    "{K}{N}{T}查看患者后指示继续{X}。",
    "{N}的{R}来电询问。",
    "我们找到了{N}。",
    "{N}先生要求更换床位。",
    "{N}女士已缴费。",
    "{N}同志于{D}年退休。",
    "转交{N}处理。",
    "此前{N}曾在{K}就诊。",
    "报告人：{N}",
    "{N}之子{N}代为签字。",
    "抄送：{N}、{N}。",
    "{W}{W}，{W}明显。",
    "{X}，{W}，予{X}治疗。",
    "{W}后{W}，{X}。",
    "患者{W}，{W}尚可。",
    "{K}会诊意见：{W}，继续{X}。",
    "{D}年前{W}，{X}病史。",
    "{W}，{W}，{W}。",
    "给予{X}口服，{W}。",
    "{W}医生查房，{W}。",
    "今日{W}，{X}好转。",
    # a name between ordinary words: where it ends and where it starts
    "{N}{V}{V}。",
    "{V}，{N}{V}{V}。",
    "{V}{V}{N}{V}。",
    "{N}{V}了{V}。",
    "{V}{N}，{V}{V}。",
    "{V}{V}的{N}{V}{V}。",
    "{N}和{N}{V}{V}。",
    "因{V}，{N}{V}。",
    "{V}{V}{V}，{V}{V}。",
    "{V}{W}{V}，{W}{V}。",
    "{V}{V}，{V}{W}。",
    # names inside running text drawn word by word from general Chinese
    "{S}{N}{S}。",
    "{S}，{N}{S}。",
    "{N}{S}，{S}。",
    "{S}{N}{S}{N}{S}。",
    "{S}{S}。",
    "{S}，{S}{S}。",
    "{S}{S}{S}。",
)
SLOT = re.compile(r"\{([NWRTXKDVS])\}")


@cache
def _given_pool() -> str:
    chars = dict.fromkeys(vp.GIVEN_MALE + vp.GIVEN_FEMALE + vp.GIVEN_ANY + tuple(GIVEN_EXTRA))
    return "".join(chars)


@cache
def _surnames() -> tuple[list[str], list[float]]:
    """The synthetic population's weighted surnames, then every other shipped surname rarely."""
    weighted = dict(vp.SURNAMES)
    table = surnames()
    for s in sorted(table.compound | table.single):
        weighted.setdefault(s, 0.03 if s in table.common or len(s) == 2 else 0.01)
    return list(weighted), list(weighted.values())


@cache
def _word_frequencies() -> tuple[list[str], list[float]]:
    """The frequent words of ``data/word_freq.txt`` and their running total, for drawing."""
    raw = files("medshield.detect").joinpath("data/word_freq.txt").read_text("utf-8")
    words: list[str] = []
    totals: list[float] = []
    total = 0.0
    for line in raw.splitlines():
        if line and not line.startswith("#"):
            word, _, freq = line.partition("\t")
            total += int(freq)
            words.append(word)
            totals.append(total)
    return words, totals


def _running(rng: random.Random, k: int) -> list[str]:
    """``k`` words drawn by their frequency in general text."""
    words, totals = _word_frequencies()
    return rng.choices(words, cum_weights=totals, k=k)


@cache
def _name_like_words() -> tuple[str, ...]:
    """Words and terms that begin with a surname: the text a name model must not take."""
    single = surnames().single
    words = {w for w in two_character_words() if w[0] in single}
    words |= {w for w in _common_words() if w[0] in single and len(w) <= 4}
    words |= {t for t in term_index().by_text if 2 <= len(t) <= 5 and t[0] in single}
    return tuple(sorted(words))


def _clinical() -> tuple[str, ...]:
    drugs = tuple(d[i] for d in vc.BRAND_DRUGS for i in (0, 1))
    return drugs + tuple(name for _, name in vc.OPERATIONS)


def _name(rng: random.Random) -> str:
    names, weights = _surnames()
    surname = rng.choices(names, weights)[0]
    pool = _given_pool()
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.65 else "")
    return surname + given


def sentences(n: int = 16_000, seed: int = SEED) -> Iterator[Sentence]:
    """``n`` training sentences with their person spans."""
    rng = random.Random(seed)  # noqa: S311 - reproducible training sentences, not secrets
    words = _name_like_words()
    clinical = _clinical()
    departments = [d for d, _ in vc.DEPARTMENTS]
    general = sorted(two_character_words())
    for _ in range(n):
        frame = rng.choice(FRAMES)
        text = ""
        spans: list[tuple[int, int]] = []
        last = 0
        for m in SLOT.finditer(frame):
            text += frame[last : m.start()]
            slot = m.group(1)
            if slot == "N":
                value = _name(rng)
                spans.append((len(text), len(text) + len(value)))
            elif slot == "W":
                value = rng.choice(words)
            elif slot == "R":
                value = rng.choice(FAMILY + FAMILY_HAN)
            elif slot == "T":
                value = rng.choice(TITLE)
            elif slot == "X":
                value = rng.choice(clinical)
            elif slot == "V":
                value = rng.choice(general) if rng.random() < 0.3 else _running(rng, 1)[0]
            elif slot == "S":
                value = "".join(_running(rng, rng.randrange(1, 5)))
            elif slot == "K":
                value = rng.choice(departments)
            else:
                value = str(rng.randrange(1, 90))
            text += value
            last = m.end()
        text += frame[last:]
        yield Sentence(text, {PERSON: spans} if spans else {})

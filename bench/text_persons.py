"""A labelled evaluation of identifiers in paragraphs that each describe one person, as hospitals
write them: complaint letters, discharge notes, referral letters, family contacts, follow-up call
records, nursing handovers and remarks.

The paragraph styles are written by hand here and share no sentence with the generator that the
name model is trained on (``medshield.detect.name_train``). The names are drawn, seeded, from
surnames weighted by their share of the mainland population (with compound and rare ones) and from
a list of whole given names as people carry them (秀英, 建国, 子涵, 一诺; one and two characters),
which is not the character pool of the training generator. Names stand at the start of a
sentence, after punctuation, before titles (医生, 护士, 主任), after relations (之子, 家属) and in
running text without any cue. Each slot's span is recorded, so recall needs no matching by text.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from medshield.detect.id_card import check_char

# surname, share in per cent of the population (rounded figures of the 2020 census ranking);
# the compound and rare ones keep the evaluation honest about the long tail
SURNAME_SHARES: tuple[tuple[str, float], ...] = (
    ("王", 7.1), ("李", 7.0), ("张", 6.7), ("刘", 5.4), ("陈", 4.5), ("杨", 3.1), ("黄", 2.2),
    ("赵", 2.0), ("吴", 2.0), ("周", 1.9), ("徐", 1.3), ("孙", 1.3), ("马", 1.2), ("朱", 1.2),
    ("胡", 1.1), ("郭", 1.1), ("何", 1.0), ("林", 0.9), ("罗", 0.9), ("高", 0.9), ("郑", 0.8),
    ("梁", 0.7), ("谢", 0.7), ("宋", 0.6), ("唐", 0.6), ("许", 0.6), ("韩", 0.6), ("冯", 0.5),
    ("邓", 0.5), ("曹", 0.5), ("彭", 0.5), ("曾", 0.5), ("肖", 0.5), ("田", 0.5), ("董", 0.4),
    ("袁", 0.4), ("潘", 0.4), ("于", 0.4), ("蒋", 0.4), ("蔡", 0.4), ("余", 0.4), ("杜", 0.4),
    ("叶", 0.4), ("程", 0.4), ("苏", 0.3), ("魏", 0.3), ("吕", 0.3), ("丁", 0.3), ("任", 0.3),
    ("沈", 0.3), ("姚", 0.3), ("卢", 0.3), ("姜", 0.3), ("崔", 0.3), ("钟", 0.3), ("谭", 0.3),
    ("陆", 0.3), ("汪", 0.3), ("范", 0.2), ("金", 0.2), ("石", 0.2), ("廖", 0.2), ("贾", 0.2),
    ("夏", 0.2), ("韦", 0.2), ("付", 0.2), ("方", 0.2), ("白", 0.2), ("邹", 0.2), ("孟", 0.2),
    ("熊", 0.2), ("秦", 0.2), ("邱", 0.2), ("江", 0.2), ("尹", 0.2), ("薛", 0.2), ("闫", 0.2),
    ("段", 0.2), ("雷", 0.2), ("侯", 0.2), ("龙", 0.2), ("史", 0.2), ("陶", 0.1), ("黎", 0.1),
    ("贺", 0.1), ("顾", 0.1), ("毛", 0.1), ("郝", 0.1), ("龚", 0.1), ("邵", 0.1), ("万", 0.1),
    ("钱", 0.1), ("严", 0.1), ("覃", 0.1), ("武", 0.1), ("戴", 0.1), ("莫", 0.1), ("孔", 0.1),
    ("向", 0.1), ("汤", 0.1), ("常", 0.08), ("温", 0.08), ("康", 0.08), ("施", 0.08), ("文", 0.08),
    ("牛", 0.08), ("樊", 0.08), ("葛", 0.08), ("邢", 0.08), ("安", 0.06), ("齐", 0.06),
    ("易", 0.06), ("乔", 0.06), ("伍", 0.06), ("庞", 0.06), ("颜", 0.06), ("倪", 0.06),
    ("庄", 0.06), ("聂", 0.06), ("章", 0.05), ("鲁", 0.05), ("岳", 0.05), ("翟", 0.05),
    ("申", 0.04), ("殷", 0.04), ("詹", 0.04), ("欧", 0.04), ("耿", 0.04), ("关", 0.04),
    ("兰", 0.03), ("焦", 0.03), ("俞", 0.03), ("左", 0.03), ("柳", 0.03), ("甘", 0.03),
    ("祝", 0.03), ("包", 0.03), ("宁", 0.03), ("尚", 0.03), ("符", 0.03), ("舒", 0.03),
    ("阮", 0.02), ("柯", 0.02), ("纪", 0.02), ("梅", 0.02), ("童", 0.02), ("凌", 0.02),
    ("毕", 0.02), ("单", 0.02), ("季", 0.02), ("裴", 0.02), ("霍", 0.02), ("涂", 0.02),
    ("成", 0.02), ("苗", 0.02), ("谷", 0.02), ("盛", 0.02), ("曲", 0.02), ("翁", 0.02),
    ("冉", 0.02), ("骆", 0.02), ("蓝", 0.02), ("路", 0.02), ("游", 0.02), ("辛", 0.02),
    ("欧阳", 0.05), ("司马", 0.01), ("上官", 0.01), ("诸葛", 0.01), ("皇甫", 0.01),
    ("东方", 0.01), ("慕容", 0.005), ("令狐", 0.005), ("司徒", 0.005), ("夏侯", 0.005),
)  # fmt: skip

# whole given names as people of several generations carry them (not characters to combine)
GIVEN_NAMES = (
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 燕 辉 玲 桂 丹 萍 鹏 华 红 "
    "飞 鑫 波 斌 宇 浩 凯 健 俊 帆 帅 旭 宁 龙 林 欢 阳 莉 婷 雪 慧 晶 颖 琳 倩 亮 梅 兵 "
    "秀英 秀兰 桂英 桂兰 玉兰 秀珍 凤英 玉珍 玉梅 玉英 淑珍 淑英 桂芳 秀云 桂珍 秀梅 丽娟 "
    "建国 建华 建军 建平 建明 国强 国华 国庆 志强 志明 志刚 志勇 德胜 德明 永强 永红 卫东 "
    "卫国 红梅 红霞 海燕 海涛 海峰 晓东 晓明 晓燕 晓红 晓丽 丽华 丽萍 春梅 春燕 金凤 "
    "文华 文静 文斌 少华 立新 爱华 爱国 振华 宏伟 新华 明辉 俊杰 家豪 子豪 浩然 子涵 "
    "梓涵 梓萱 一诺 欣怡 诗涵 雨桐 若汐 思远 宇轩 浩宇 梓轩 子轩 博文 皓轩 雨泽 佳怡 "
    "佳琪 紫涵 依诺 可馨 沐阳 奕辰 嘉怡 思琪 佳慧 晨曦 梦瑶 雅琴 婉清 雪梅 静怡 天佑"
).split()

TITLES = ("医生", "医师", "主任", "副主任", "主治医师", "护士", "护士长", "大夫", "教授")
RELATIONS = ("儿子", "女儿", "丈夫", "妻子", "父亲", "母亲", "哥哥", "姐姐", "侄子", "孙女")
DEPARTMENTS = ("心内科", "呼吸科", "消化内科", "骨科", "神经内科", "内分泌科", "普外科", "妇科")
DIAGNOSES = ("高血压病", "2型糖尿病", "社区获得性肺炎", "腰椎间盘突出症", "冠心病", "胆囊结石")
DRUGS = ("硝苯地平控释片", "二甲双胍", "阿莫西林", "阿司匹林肠溶片", "氯吡格雷", "布洛芬")
ADDRESSES = (
    "重庆市渝中区解放碑街道民族路168号2单元5楼",
    "四川省成都市武侯区玉林北路12号附3号",
    "重庆市江北区观音桥建新北路38号9-2",
    "贵州省贵阳市南明区花果园中央商务区2栋1203室",
    "重庆市沙坪坝区大学城东路55号",
    "四川省绵阳市涪城区临园路东段47号",
    "云南省昆明市五华区青年路395号",
    "重庆市万州区高笋塘街道白岩路8号",
)
REGIONS = ("500103", "510107", "500105", "520102", "500106", "510703", "530102", "500101")
MAIL_HOSTS = ("qq.com", "163.com", "126.com", "sina.com", "outlook.com")

# Paragraph styles, written by hand. Slots: {P} the patient, {P2} the patient again, {D} a
# doctor, {N} a nurse, {F} a family member, {Ft} the family member's relation, {T} a title after
# {D}, {ID}, {TEL}, {MAIL}, {ADDR}, {AGE}, {SEX}, {DEPT}, {DX}, {RX}, {DAY}.
STYLES: tuple[str, ...] = (
    # complaint letters
    "尊敬的院领导：我叫{P}，身份证号{ID}，住在{ADDR}。{DAY}我在贵院{DEPT}就诊，接诊的{D}{T}态度"
    "冷淡，没有认真听我说病情。希望医院调查处理，联系电话{TEL}，邮箱{MAIL}。",
    "投诉人{P}反映：其{Ft}{F}于{DAY}在{DEPT}住院期间，夜班护士{N}多次呼叫不应。{P2}要求医院给出"
    "书面答复，电话{TEL}，身份证{ID}，现住{ADDR}。",
    "{P}来电投诉，称{D}{T}开的{RX}吃了以后胃疼，要求退费。患者身份证号{ID}，手机{TEL}。"
    "经核实，{D}已向患者解释用药注意事项。",
    "我是{F}，{P}的{Ft}。{DAY}我陪{P2}来看病，排了三个小时的队，{D}{T}只看了两分钟。我的电话是"
    "{TEL}，邮箱{MAIL}，家住{ADDR}。",
    # discharge notes
    "出院记录：{P}，{SEX}，{AGE}岁，因{DX}于{DAY}入院。住院期间予{RX}治疗，病情好转出院。"
    "主治医师{D}，责任护士{N}。身份证号{ID}，联系电话{TEL}，住址{ADDR}。",
    "{P}，{SEX}，{AGE}岁，{DEPT}住院号无。诊断：{DX}。出院医嘱：继续口服{RX}，两周后门诊复查，"
    "不适随诊。家属{F}（{Ft}）电话{TEL}。经治医生：{D}。",
    "患者{P}此次住院由{D}{T}主管，入院后完善检查，明确诊断为{DX}。出院时一般情况可，{P2}及家属"
    "表示理解。身份证{ID}，地址{ADDR}，电话{TEL}。",
    "今日{P}顺利出院，{D}{T}交代了出院后注意事项，{N}护士完成出院宣教。患者留的手机号{TEL}，"
    "电子邮箱{MAIL}。",
    # referral letters
    "转诊单：兹有患者{P}，{SEX}，{AGE}岁，身份证号码{ID}，因{DX}需转上级医院进一步诊治。"
    "转出科室{DEPT}，转诊医生{D}，联系电话{TEL}。",
    "{D}{T}：您好！现转来患者{P}，{AGE}岁，既往{DX}病史，近一周症状加重，请予诊治。患者家住"
    "{ADDR}，联系人{F}，电话{TEL}。",
    "致{DEPT}{D}{T}：{P}，{SEX}，身份证{ID}，社区随访发现血压控制不佳，已调整{RX}剂量，"
    "现转贵科评估。社区医生{N}，电话{TEL}。",
    # family contacts
    "紧急联系人：{F}，与患者关系：{Ft}，电话{TEL}。患者{P}，身份证{ID}，住址{ADDR}。",
    "{F}是{P}的{Ft}，今天下午来护士站询问病情，{N}护士已告知其等{D}医生查房后再沟通。"
    "{F}留下电话{TEL}。",
    "{P}之子{F}签署知情同意书，同意行手术治疗。谈话医生{D}，见证护士{N}。家属电话{TEL}，"
    "身份证号{ID}。",
    "患者{P}的{Ft}{F}（电话{TEL}）要求复印病历，已核对其身份证{ID}，由{N}办理。",
    # follow-up call records
    "随访记录：{DAY}电话随访{P}，{AGE}岁，诉近期睡眠差，已嘱按时服用{RX}。随访人{N}。"
    "联系电话{TEL}，邮箱{MAIL}。",
    "{N}于{DAY}回访{P}，患者本人接听，自述恢复良好，{D}医生建议一个月后复查。电话{TEL}。",
    "电话无人接听，改联系家属{F}，告知{P}的检查结果已出，请尽快来院找{D}{T}。{F}电话{TEL}。",
    # nursing handover
    "交班：3床{P}，{AGE}岁，{DX}，今日体温波动，已通知值班医生{D}。家属{F}陪护，"
    "电话{TEL}。接班护士{N}。",
    "{P}今晨诉胸闷，心电图未见明显异常，{D}{T}看过后嘱继续观察。{N}负责夜间巡视。",
    "护理记录：患者{P}神志清，精神可，{Ft}{F}陪护。{N}已完成晨间护理，{D}医生查房。患者手机{TEL}。",
    # remarks and free notes
    "备注：{P}，身份证{ID}，电话{TEL}，{D}的老病人，挂号时优先安排。",
    "{P}与{Ft}{F}一同来院，{F}要求由{D}{T}主刀。患者住址{ADDR}，邮箱{MAIL}。",
    "患者自述{Ft}{F}也有{DX}病史，在外院由{D}医生治疗。{P}本人电话{TEL}。",
    "昨天下午{P}在门诊大厅晕倒，{N}第一时间发现并呼叫{D}{T}，经处理后好转。其{Ft}{F}"
    "随后赶到，电话{TEL}。",
    "{D}、{N}为{P}办理入院手续。患者{SEX}，{AGE}岁，身份证{ID}，住{ADDR}，手机{TEL}。",
    "经与{P}本人及其{Ft}{F}沟通，同意转入{DEPT}继续治疗，主管医师变更为{D}。",
    "{P}（身份证{ID}）今日复诊，{D}{T}调整用药为{RX}，下次复诊时间另行通知。电话{TEL}，"
    "邮箱{MAIL}，地址{ADDR}。",
    # letters of thanks and statements
    "感谢信：我是{P}的{Ft}{F}。{P2}住院期间，{D}{T}和{N}护士悉心照料，我们全家非常感激。"
    "联系电话{TEL}。",
    "情况说明：{DAY}，{P}在{DEPT}候诊时与其他患者发生争执，保安及{N}到场劝解。当事人身份证"
    "{ID}，电话{TEL}，住址{ADDR}。",
    "本人{P}，身份证号{ID}，委托{Ft}{F}代为办理出院结算手续。委托人电话{TEL}，受托人电话"
    "{TEL}。经办人：{N}。",
    "病程记录：{D}{T}查房，听取病史汇报后指出，{P}目前{DX}诊断明确，继续{RX}治疗。记录者：{N}。",
)


@dataclass
class Paragraph:
    text: str
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


SLOT = re.compile(r"\{(\w+)\}")
PERSON_SLOTS = frozenset({"P", "P2", "D", "N", "F"})
KIND = {"ID": "id", "TEL": "phone", "MAIL": "email", "ADDR": "address"}


def _weighted_surname(rng: random.Random) -> str:
    total = sum(w for _, w in SURNAME_SHARES)
    pick = rng.random() * total
    for surname, weight in SURNAME_SHARES:
        pick -= weight
        if pick <= 0:
            return surname
    return SURNAME_SHARES[-1][0]


def _name(rng: random.Random) -> str:
    return _weighted_surname(rng) + rng.choice(GIVEN_NAMES)


def _id(rng: random.Random) -> str:
    born = date(1935, 1, 1) + timedelta(days=rng.randrange(0, 30_000))
    body = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + check_char(body)


def _mobile(rng: random.Random) -> str:
    return rng.choice(("138", "139", "135", "186", "177", "152")) + f"{rng.randrange(10**8):08d}"


def _mail(rng: random.Random) -> str:
    user = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(4, 9)))
    return f"{user}{rng.randrange(100)}@{rng.choice(MAIL_HOSTS)}"


def paragraphs(n: int = 300, seed: int = 18) -> list[Paragraph]:
    """``n`` paragraphs, cycling through the styles, with fresh people for each."""
    rng = random.Random(seed)
    out: list[Paragraph] = []
    for i in range(n):
        style = STYLES[i % len(STYLES)]
        people = {k: _name(rng) for k in ("P", "D", "N", "F")}
        people["P2"] = people["P"]
        values = {
            **people,
            "T": rng.choice(TITLES),
            "Ft": rng.choice(RELATIONS),
            "SEX": rng.choice("男女"),
            "AGE": str(rng.randrange(18, 90)),
            "DEPT": rng.choice(DEPARTMENTS),
            "DX": rng.choice(DIAGNOSES),
            "RX": rng.choice(DRUGS),
            "DAY": f"{rng.randrange(1, 13)}月{rng.randrange(1, 29)}日",
            "ADDR": rng.choice(ADDRESSES),
        }
        text = ""
        spans: dict[str, list[tuple[int, int]]] = {}
        last = 0
        for m in SLOT.finditer(style):
            text += style[last : m.start()]
            slot = m.group(1)
            if slot == "ID":
                value = _id(rng)
            elif slot == "TEL":
                value = _mobile(rng)
            elif slot == "MAIL":
                value = _mail(rng)
            else:
                value = values[slot]
            kind = "person" if slot in PERSON_SLOTS else KIND.get(slot)
            if kind:
                spans.setdefault(kind, []).append((len(text), len(text) + len(value)))
            text += value
            last = m.end()
        text += style[last:]
        out.append(Paragraph(text, spans))
    return out

"""Clinical vocabulary: departments, staff titles, lab tests, operations, brand-name drugs,
complaints; plus the shipped ICD-10 and drug lists (``data/*.tsv``, see NOTICE)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

DEPARTMENTS: tuple[tuple[str, int], ...] = (
    ("心血管内科", 60), ("呼吸与危重症医学科", 55), ("消化内科", 50), ("内分泌科", 40),
    ("神经内科", 50), ("肾内科", 35), ("普通外科", 60), ("骨科", 60), ("泌尿外科", 40),
    ("妇产科", 50), ("儿科", 45), ("眼科", 25), ("耳鼻咽喉科", 25), ("皮肤科", 10),
    ("肿瘤科", 45), ("急诊科", 30), ("中医科", 20), ("全科医学科", 20), ("精神心理科", 20),
)  # fmt: skip
CLINIC_DEPARTMENTS = ("全科医学科", "中医科", "儿科", "急诊科")

TITLES = ("主任医师", "副主任医师", "主治医师", "住院医师", "主管护师", "护师")

# (name, unit, reference range, low, high): results are drawn around the range.
LAB_TESTS: tuple[tuple[str, str, str, float, float], ...] = (
    ("白细胞计数", "10^9/L", "3.5-9.5", 3.5, 9.5), ("血红蛋白", "g/L", "115-150", 115, 150),
    ("血小板计数", "10^9/L", "125-350", 125, 350), ("空腹血糖", "mmol/L", "3.9-6.1", 3.9, 6.1),
    ("糖化血红蛋白", "%", "4.0-6.0", 4.0, 6.0), ("总胆固醇", "mmol/L", "2.8-5.2", 2.8, 5.2),
    ("甘油三酯", "mmol/L", "0.56-1.70", 0.56, 1.7), ("低密度脂蛋白胆固醇", "mmol/L", "0-3.4", 1.0, 3.4),
    ("肌酐", "μmol/L", "57-111", 57, 111), ("尿素", "mmol/L", "3.1-8.0", 3.1, 8.0),
    ("谷丙转氨酶", "U/L", "9-50", 9, 50), ("谷草转氨酶", "U/L", "15-40", 15, 40),
    ("总胆红素", "μmol/L", "3.4-20.5", 3.4, 20.5), ("钾", "mmol/L", "3.5-5.3", 3.5, 5.3),
    ("钠", "mmol/L", "137-147", 137, 147), ("C反应蛋白", "mg/L", "0-10", 0.5, 10),
    ("尿酸", "μmol/L", "208-428", 208, 428), ("促甲状腺激素", "mIU/L", "0.27-4.2", 0.27, 4.2),
)  # fmt: skip

# ICD-9-CM-3 operations (手术及操作) commonly coded in Chinese hospitals.
OPERATIONS: tuple[tuple[str, str], ...] = (
    ("47.0901", "阑尾切除术"), ("51.2301", "腹腔镜下胆囊切除术"), ("81.5401", "全膝关节置换术"),
    ("81.5101", "全髋关节置换术"), ("36.0601", "冠状动脉药物洗脱支架置入术"),
    ("74.1x01", "子宫下段剖宫产术"), ("68.4901", "腹腔镜下全子宫切除术"),
    ("53.0201", "单侧腹股沟斜疝疝囊高位结扎术"), ("13.4101", "白内障超声乳化抽吸术"),
    ("45.2301", "结肠镜检查"), ("45.1301", "胃镜检查"), ("79.3501", "股骨骨折切开复位内固定术"),
    ("06.3901", "甲状腺部分切除术"), ("85.2101", "乳腺病损切除术"), ("32.4101", "胸腔镜下肺叶切除术"),
    ("60.2901", "经尿道前列腺电切术"), ("55.0401", "经皮肾镜碎石取石术"), ("39.9001", "外周血管支架置入术"),
    ("03.0901", "椎管减压术"), ("86.2201", "伤口清创术"),
)  # fmt: skip
ANAESTHESIA = (("1", "全身麻醉"), ("2", "椎管内麻醉"), ("3", "局部麻醉"), ("4", "神经阻滞麻醉"))

# Brand (商品名) -> generic (通用名) drugs often prescribed by brand; the masking dictionary
# of the paper replaces the first by the second (思密达 -> 蒙脱石散).
BRAND_DRUGS: tuple[tuple[str, str, str, str, str], ...] = (
    ("思密达", "蒙脱石散", "3g×10袋", "盒", "博福-益普生(天津)制药有限公司"),
    ("拜阿司匹灵", "阿司匹林肠溶片", "100mg×30片", "盒", "拜耳医药保健有限公司"),
    ("络活喜", "苯磺酸氨氯地平片", "5mg×7片", "盒", "辉瑞制药有限公司"),
    ("立普妥", "阿托伐他汀钙片", "20mg×7片", "盒", "辉瑞制药有限公司"),
    ("波立维", "硫酸氢氯吡格雷片", "75mg×7片", "盒", "赛诺菲(杭州)制药有限公司"),
    ("格华止", "盐酸二甲双胍片", "0.5g×20片", "盒", "中美上海施贵宝制药有限公司"),
    ("拜糖平", "阿卡波糖片", "50mg×30片", "盒", "拜耳医药保健有限公司"),
    ("来得时", "甘精胰岛素注射液", "3ml:300单位", "支", "赛诺菲(北京)制药有限公司"),
    ("可定", "瑞舒伐他汀钙片", "10mg×7片", "盒", "阿斯利康制药有限公司"),
    ("代文", "缬沙坦胶囊", "80mg×7粒", "盒", "北京诺华制药有限公司"),
    ("倍他乐克", "酒石酸美托洛尔片", "25mg×20片", "盒", "阿斯利康制药有限公司"),
    ("洛赛克", "奥美拉唑肠溶胶囊", "20mg×14粒", "盒", "阿斯利康制药有限公司"),
    ("耐信", "艾司奥美拉唑镁肠溶片", "20mg×7片", "盒", "阿斯利康制药有限公司"),
    ("芬必得", "布洛芬缓释胶囊", "0.3g×20粒", "盒", "中美天津史克制药有限公司"),
    ("泰诺林", "对乙酰氨基酚缓释片", "0.65g×18片", "盒", "上海强生制药有限公司"),
    ("达喜", "铝碳酸镁咀嚼片", "0.5g×20片", "盒", "拜耳医药保健有限公司"),
    ("顺尔宁", "孟鲁司特钠片", "10mg×5片", "盒", "杭州默沙东制药有限公司"),
    ("开瑞坦", "氯雷他定片", "10mg×6片", "盒", "上海先灵葆雅制药有限公司"),
    ("吗丁啉", "多潘立酮片", "10mg×30片", "盒", "西安杨森制药有限公司"),
    ("妈咪爱", "枯草杆菌二联活菌颗粒", "1g×10袋", "盒", "北京韩美药品有限公司"),
    ("达菲", "磷酸奥司他韦胶囊", "75mg×10粒", "盒", "上海罗氏制药有限公司"),
    ("格列卫", "甲磺酸伊马替尼片", "100mg×60片", "盒", "北京诺华制药有限公司"),
    ("易瑞沙", "吉非替尼片", "250mg×10片", "盒", "阿斯利康制药有限公司"),
    ("西乐葆", "塞来昔布胶囊", "200mg×6粒", "盒", "辉瑞制药有限公司"),
    ("百忧解", "盐酸氟西汀胶囊", "20mg×28粒", "盒", "礼来苏州制药有限公司"),
)  # fmt: skip

FREQUENCIES = ("qd", "bid", "tid", "qid", "qn", "prn", "st")
ORDER_TYPES = ("长期医嘱", "临时医嘱")
NURSING_ORDERS = ("一级护理", "二级护理", "低盐低脂饮食", "糖尿病饮食", "测血压 bid", "吸氧 2L/min")

SYMPTOMS = (
    "反复咳嗽、咳痰", "胸闷、气促", "头晕、头痛", "上腹部疼痛", "发热", "多饮、多尿", "腰痛",
    "右下腹痛", "双膝关节疼痛", "心悸", "腹泻", "视物模糊", "皮疹伴瘙痒", "失眠", "乏力、纳差",
)  # fmt: skip
DURATIONS = ("1天", "3天", "1周", "2周", "1月", "3月", "半年", "1年余", "5年")


@dataclass(frozen=True)
class Drug:
    name: str  # as prescribed: the brand name when one is used
    generic: str
    spec: str
    unit: str
    maker: str


def _tsv(name: str) -> list[list[str]]:
    text = files("medshield.synth").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def diagnoses() -> tuple[tuple[str, str], ...]:
    """(ICD-10 code, Chinese name) pairs."""
    return tuple((row[0], row[1]) for row in _tsv("icd10_zh.tsv"))


@cache
def drugs() -> tuple[Drug, ...]:
    """Generic drugs of the shipped list, then brand-name ones (curated and from the list)."""
    generic = [Drug(n, n, spec, unit, maker) for n, spec, unit, maker, _ in _tsv("drugs_zh.tsv")]
    listed_brands = [
        Drug(brand, n, spec, unit, maker)
        for n, spec, unit, maker, brand in _tsv("drugs_zh.tsv")
        if brand and len(brand) >= 2 and brand != n
    ]
    curated = [Drug(*row) for row in BRAND_DRUGS]
    return (*generic, *listed_brands, *curated)

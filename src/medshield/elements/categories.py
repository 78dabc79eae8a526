"""Health-data categories (GB/T 39725) and the alliance's scenario dimension (GB/T 38667 style).

Categories say *what* the data is; scenarios say *what it is used for*. Both are mutually
exclusive and exhaustive: every element has exactly one category. Scenarios are extensible by
policy (``scenarios.yaml``); these are the built-ins the paper names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    key: str
    zh: str
    en: str


@dataclass(frozen=True)
class Scenario:
    key: str
    zh: str
    en: str


CATEGORIES: tuple[Category, ...] = (
    Category("personal_attributes", "个人属性数据", "personal attributes"),
    Category("health_status", "健康状况数据", "health status"),
    Category("medical_application", "医疗应用数据", "medical application"),
    Category("medical_payment", "医疗支付数据", "medical payment"),
    Category("health_resources", "卫生资源数据", "health resources"),
    Category("public_health", "公共卫生数据", "public health"),
)

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "collaborative_care", "跨机构（科室）协同治疗", "cross-institution collaborative care"
    ),
    Scenario("chronic_disease", "慢性病管理和监测", "chronic disease management and monitoring"),
    Scenario("prevention_referral", "疾病预防和转诊", "disease prevention and referral"),
    Scenario("clinical_pathway", "临床路径优化", "clinical pathway optimisation"),
    Scenario("health_education", "远程健康教育", "remote health education"),
)

CATEGORY_KEYS = frozenset(c.key for c in CATEGORIES)

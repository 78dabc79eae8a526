"""Demo step: one API response masked per caller role and scenario (R17-R22), and the masking
dictionary's term codes and generic drug names."""

from __future__ import annotations

import time
from typing import Any, ClassVar

from medshield.demo.runner import DemoContext
from medshield.mask.dictionary import starter_dictionary
from medshield.mask.dynamic import mask_records
from medshield.mask.keys import KeyRing
from medshield.policy.context import UseContext

COLUMNS = {
    "xm": "DE02.01.039.00",
    "sfzh": "DE02.01.030.00",
    "sjhm": "DE02.01.010.00",
    "dz": "DE02.01.009.00",
    "zdmc": "DE05.01.025.00",
    "yp": "DE08.50.022.00",
}
RECORD: dict[str, Any] = {
    "xm": "欧阳娜娜",
    "sfzh": "11010519491231002X",
    "sjhm": "13812345678",
    "dz": "重庆市渝中区解放碑街道民族路123号",
    "zdmc": "免疫性血小板减少症",
    "yp": "思密达",
}
USES = (
    ("医联体医生（协同诊疗）", "doctor, collaborative care", "doctor", "collaborative_care"),
    ("科研人员（临床路径）", "researcher, clinical pathway", "researcher", "clinical_pathway"),
    ("健康教育人员", "health educator", "health_educator", "health_education"),
)


class DynamicMaskStep:
    name: ClassVar[str] = "dynamic_mask"
    title_zh: ClassVar[str] = "动态脱敏：同一接口响应，不同角色与场景"
    title_en: ClassVar[str] = "Dynamic masking: one API response, several roles and scenarios"

    def run(self, ctx: DemoContext) -> None:
        ring = KeyRing()
        ring.rotate("demo")
        mask_ctx = ring.context(release_id="demo", dictionary=starter_dictionary())
        ctx.say(ctx.t("   原始记录：", "   raw record: ") + _line(RECORD))
        for zh, en, role, scenario in USES:
            use = UseContext(role=role, scenario=scenario)
            [masked] = mask_records([RECORD], COLUMNS, use, ctx.bundle, mask_context=mask_ctx)
            ctx.say(f"   {ctx.t(zh, en)}: {_line(masked)}")
        rows = [RECORD] * 50
        use = UseContext(role="researcher", scenario="clinical_pathway")
        mask_records(rows, COLUMNS, use, ctx.bundle, mask_context=mask_ctx)
        started = time.perf_counter()
        for _ in range(200):
            mask_records(rows, COLUMNS, use, ctx.bundle, mask_context=mask_ctx)
        micros = (time.perf_counter() - started) / 200 * 1e6
        d = starter_dictionary()
        pairs = [("癌症", d.lookup("term", "癌症")), ("思密达", d.lookup("drug", "思密达"))]
        ctx.say(
            ctx.t("   脱敏字典（批次 0）：", "   masking dictionary (batch 0): ")
            + ctx.t("，", ", ").join(f"{a} -> {b}" for a, b in pairs)
            + ctx.t(f"；共 {len(d.terms)} 个术语、{len(d.drugs)} 个商品名", "")
        )
        ctx.say(
            ctx.t(
                f"   50 行响应动态脱敏：{micros:.0f} 微秒/次",
                f"   50-row response: {micros:.0f} µs/call",
            )
        )
        ctx.report("动态脱敏 50 行响应", "dynamic masking, 50-row response", f"{micros:.0f} µs")
        ctx.artifacts["dynamic_mask_us"] = micros


def _line(record: dict[str, Any]) -> str:
    return " | ".join("∅" if v is None else str(v) for v in record.values())

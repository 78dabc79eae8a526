"""Demo step: the detectors find identifiers in a clinical note, and tell a masked note apart."""

from __future__ import annotations

from typing import ClassVar

from medshield.demo.runner import DemoContext
from medshield.detect import find_spans
from medshield.mask.operators.base import MaskContext
from medshield.mask.operators.text_scrub import TextScrub, TextScrubParams

RAW_NOTE = (
    "患者张三，男，1985年3月7日生，身份证11010519491231002X，电话13800138000，"
    "家住重庆市渝中区解放碑街道民族路188号3栋2单元501室。因急性阑尾炎(K35.902)入院，"
    "行阑尾切除术，术后予头孢他啶。今日王秀英陪同复查。"
)
MASKED_NOTE = (
    "患者张*，男，1985年**月**日生，身份证110105********002X，电话138****8000，"
    "家住重庆市渝中区****。因急性阑尾炎(K35.902)入院，行阑尾切除术，术后予头孢他啶。"
    "今日[姓名]陪同复查。"
)
IDENTIFYING = frozenset({"person_name", "cn_id", "mobile", "birth_date", "address"})


class DetectStep:
    name: ClassVar[str] = "detect"
    title_zh: ClassVar[str] = "敏感数据识别：临床文本中的标识符，脱敏是否生效"
    title_en: ClassVar[str] = "Detection: identifiers in clinical text, and whether masking worked"

    def run(self, ctx: DemoContext) -> None:
        counts: dict[str, tuple[int, int]] = {}
        for key, zh, en, note in (
            ("raw", "原始病历", "raw note", RAW_NOTE),
            ("masked", "脱敏后病历", "masked note", MASKED_NOTE),
        ):
            findings = find_spans(note)
            clean = sum(1 for f in findings if f.detector in IDENTIFYING and not f.masked)
            covered = sum(1 for f in findings if f.masked)
            counts[key] = (clean, covered)
            ctx.say(ctx.t(f"   {zh}：", f"   {en}:"))
            for f in findings:
                state = ctx.t("已脱敏", "masked") if f.masked else ctx.t("明文", "clear")
                ctx.say(f"     {f.detector:<12} {state:<6} {f.confidence:.2f}  {f.evidence}")
        ctx.artifacts["detect_counts"] = counts
        scrub = TextScrub(TextScrubParams(), MaskContext())
        scrubbed = scrub.mask_value(RAW_NOTE)
        ctx.artifacts["scrubbed_note"] = scrubbed
        ctx.say(
            ctx.t(
                "   text_scrub 处理原始病历（无提示词的姓名“王秀英陪同”也被识别）：",
                "   text_scrub on the raw note (the name without a cue, before 陪同, is found too):",
            )
        )
        ctx.say(f"     {scrubbed}")
        verdict = (
            ctx.t("脱敏生效", "masking works")
            if counts["masked"][0] == 0
            else ctx.t("仍有明文标识符", "identifiers still in clear")
        )
        ctx.say(
            ctx.t(
                f"   原始病历明文标识符 {counts['raw'][0]} 个；脱敏后 {counts['masked'][0]} 个（{verdict}）",
                f"   clear identifiers: {counts['raw'][0]} raw, {counts['masked'][0]} after masking ({verdict})",
            )
        )
        ctx.report(
            "识别：明文标识符（原始/脱敏后）",
            "detection: clear identifiers (raw/masked)",
            f"{counts['raw'][0]}/{counts['masked'][0]}",
        )

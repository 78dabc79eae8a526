"""Identifiers inside Chinese free text: names, IDs, phones, e-mails and addresses in 300
paragraphs that each describe one person (``text_persons.py``: hand-written styles of complaints,
discharge notes, referrals, family contacts, not the sentences the name model is trained on);
person names and addresses found in the dev/test splits of public NER sets; false identifiers on
clinical text; and speed; each beside the cue-only reading of the same text (every detector reading the text as it reads a column value: a name
only after a cue such as 患者 or 姓名, a date a birth date when the text's dates spread like
births) measured in the same run.

Corpora (../shared/corpora/text, research use, not shipped): CLUENER2020 dev, Resume NER dev and
test, Weibo NER dev and test (the shipped name model is trained on none of them); CMeEE dev
(clinical sentences with no person or address annotated: every name, ID, phone, birth date or
address reported there counts as false, including the few real names of physicians it cites).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.harness import Row
from bench.text_persons import paragraphs
from medshield.detect import Finding, detect_all, find_spans, keep_strongest, registry
from medshield.detect.ner_corpora import ADDRESS, PERSON, Sentence, read

TEXT = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "text"
HELD_OUT = {
    "CLUENER2020 dev": ("zh_cluener2020_dev.jsonl",),
    "Resume NER dev+test": ("zh_resume_ner_dev.bio", "zh_resume_ner_test.bio"),
    "Weibo NER dev+test": ("zh_weibo_ner_dev.bio", "zh_weibo_ner_test.bio"),
}
CLINICAL = "zh_cmeee_dev.json"
IDENTIFYING = frozenset(
    {"person_name", "cn_id", "passport", "mobile", "landline", "address", "bank_card", "email"}
    | {"birth_date", "record_number", "ip_address"}
)
DETECTOR = {PERSON: "person_name", ADDRESS: "address"}
Spans = Callable[[str], list[Finding]]
STREET = re.compile(r"[路街巷弄村号栋室]")


def cue_only(text: str) -> list[Finding]:
    """The baseline: each in-text detector reads the text as one column value."""
    names = [cls.name for cls in registry() if cls.in_text]
    return keep_strongest(detect_all([text], names))


def _recall(
    sentences: Sequence[Sentence], kind: str, spans: Spans, *, street: bool = False
) -> tuple[float, float, int]:
    """(share of gold spans touched by a finding, share fully covered, number of gold spans);
    ``street``: only spans with a street part (路, 号 ...), which make a residential address."""
    gold = found = covered = 0
    for sentence in sentences:
        wanted = [
            (s, e)
            for s, e in sentence.spans.get(kind, [])
            if not street or STREET.search(sentence.text[s:e])
        ]
        if not wanted:
            continue
        got = [(f.start, f.end) for f in spans(sentence.text) if f.detector == DETECTOR[kind]]
        for s, e in wanted:
            gold += 1
            found += any(a < e and b > s for a, b in got)
            covered += any(a <= s and b >= e for a, b in got)
    return found / max(gold, 1), covered / max(gold, 1), gold


PARAGRAPH_DETECTORS = {
    "person": ("person_name",),
    "id": ("cn_id",),
    "phone": ("mobile", "landline"),
    "email": ("email",),
    "address": ("address",),
}


def _paragraph_recall(spans: Spans, n: int) -> dict[str, tuple[float, float, int]]:
    """By kind of identifier: (share of spans touched by a finding of its detector, share fully
    covered, number of spans) over the first ``n`` evaluation paragraphs."""
    counts: dict[str, list[int]] = {}
    for paragraph in paragraphs()[:n]:
        found = spans(paragraph.text)
        for kind, wanted in paragraph.spans.items():
            got = [(f.start, f.end) for f in found if f.detector in PARAGRAPH_DETECTORS[kind]]
            tally = counts.setdefault(kind, [0, 0, 0])
            for s, e in wanted:
                tally[0] += any(a < e and b > s for a, b in got)
                tally[1] += any(a <= s and b >= e for a, b in got)
                tally[2] += 1
    return {k: (f / max(t, 1), c / max(t, 1), t) for k, (f, c, t) in counts.items()}


def _paragraph_rows(quick: bool) -> list[Row]:
    n = 60 if quick else 300
    ours = _paragraph_recall(find_spans, n)
    base = _paragraph_recall(cue_only, n)
    rows: list[Row] = []
    for kind in PARAGRAPH_DETECTORS:
        found, covered, total = ours[kind]
        corpus = f"{n} paragraphs about one person (bench/text_persons.py), {total} {kind} spans"
        target = ">= 0.98 found, >= 0.95 covered" if kind == "person" else ""
        rows.append(
            Row(
                f"paragraph {kind} found", found, "ratio", "cue-only", base[kind][0], target, corpus
            )
        )
        rows.append(
            Row(
                f"paragraph {kind} fully covered",
                covered,
                "ratio",
                "cue-only",
                base[kind][1],
                "",
                corpus,
            )
        )
    return rows


def _false(texts: Sequence[str], spans: Spans) -> tuple[float, dict[str, int]]:
    """Identifiers reported per 100 texts, and their count by detector."""
    by: dict[str, int] = {}
    for text in texts:
        for f in spans(text):
            if f.detector in IDENTIFYING and not f.masked:
                by[f.detector] = by.get(f.detector, 0) + 1
    return 100 * sum(by.values()) / max(len(texts), 1), by


def _speed(texts: Sequence[str], spans: Spans) -> float:
    """Characters a CPU second (process time: the machine is shared)."""
    started = time.process_time()
    for text in texts:
        spans(text)
    return sum(map(len, texts)) / max(time.process_time() - started, 1e-9)


def run(quick: bool) -> list[Row]:
    if not (TEXT / CLINICAL).is_file():
        return []
    limit = 200 if quick else None
    rows: list[Row] = _paragraph_rows(quick)
    for title, files in HELD_OUT.items():
        sentences = [s for f in files for s in read(TEXT / f)][:limit]
        for kind, target in ((PERSON, ">= 0.98 found, >= 0.95 covered"), (ADDRESS, "")):
            found, covered, n = _recall(sentences, kind, find_spans)
            base_found, base_covered, _ = _recall(sentences, kind, cue_only)
            corpus = f"{title}, {n} {kind} spans"
            rows.append(
                Row(
                    f"text {kind} spans found",
                    found,
                    "ratio",
                    "cue-only",
                    base_found,
                    target,
                    corpus,
                )
            )
            rows.append(
                Row(
                    f"text {kind} spans fully covered",
                    covered,
                    "ratio",
                    "cue-only",
                    base_covered,
                    "",
                    corpus,
                )
            )
        found, covered, n = _recall(sentences, ADDRESS, find_spans, street=True)
        base_found, base_covered, _ = _recall(sentences, ADDRESS, cue_only, street=True)
        corpus = f"{title}, {n} address spans with a street part"
        rows.append(
            Row("text street addresses found", found, "ratio", "cue-only", base_found, "", corpus)
        )
        rows.append(
            Row(
                "text street addresses fully covered",
                covered,
                "ratio",
                "cue-only",
                base_covered,
                "",
                corpus,
            )
        )
    texts = [s.text for s in read(TEXT / CLINICAL)][: limit or None]
    per_100, by = _false(texts, find_spans)
    base_100, base_by = _false(texts, cue_only)
    detail = ", ".join(f"{k} {v}" for k, v in sorted(by.items()))
    base_detail = ", ".join(f"{k} {v}" for k, v in sorted(base_by.items()))
    rows.append(
        Row(
            "false identifiers per 100 clinical texts",
            per_100,
            "per 100",
            "cue-only",
            base_100,
            "<= 5",
            f"CMeEE dev, {len(texts)} texts ({detail or 'none'}; cue-only: {base_detail})",
        )
    )
    speed_texts = texts[:1000]
    rows.append(
        Row(
            "find_spans over clinical text",
            _speed(speed_texts, find_spans),
            "chars/s",
            "cue-only",
            _speed(speed_texts, cue_only),
            ">= 50,000",
            f"CMeEE dev, {len(speed_texts)} texts, one core",
        )
    )
    return rows

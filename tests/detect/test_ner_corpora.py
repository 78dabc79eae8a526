from __future__ import annotations

import json
from pathlib import Path

from medshield.detect.ner_corpora import ADDRESS, PERSON, read


def test_cluener_end_is_inclusive(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    row = {
        "text": "彭小军认为台湾",
        "label": {"name": {"彭小军": [[0, 2]]}, "address": {"台湾": [[5, 6]]}},
    }
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    [s] = read(path)
    assert s.spans == {PERSON: [(0, 3)], ADDRESS: [(5, 7)]}


def test_bmes_and_bio(tmp_path: Path) -> None:
    resume = tmp_path / "resume.bio"
    resume.write_text("吴 B-NAME\n重 M-NAME\n阳 E-NAME\n， O\n\n李 S-NAME\n", encoding="utf-8")
    first, second = read(resume)
    assert (first.text, first.spans) == ("吴重阳，", {PERSON: [(0, 3)]})
    assert second.spans == {PERSON: [(0, 1)]}
    weibo = tmp_path / "weibo.bio"
    weibo.write_text(
        "在0\tO\n北0\tB-GPE.NAM\n京1\tI-GPE.NAM\n见0\tO\n张0\tB-PER.NAM\n三1\tI-PER.NAM\n",
        encoding="utf-8",
    )
    [s] = read(weibo)
    assert s.text == "在北京见张三"
    assert s.spans == {ADDRESS: [(1, 3)], PERSON: [(4, 6)]}


def test_cmeee_has_no_spans(tmp_path: Path) -> None:
    path = tmp_path / "zh_cmeee_dev.json"
    path.write_text(json.dumps([{"text": "发热", "entities": []}]), encoding="utf-8")
    [s] = read(path)
    assert s.text == "发热" and s.spans == {}

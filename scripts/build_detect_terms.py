"""Build src/medshield/detect/data/terms.tsv from the medical term corpora beside the checkout.

Sources (both may be shipped; attribution in NOTICE):
  ../shared/corpora/medical_terms/zh_icd10_diagnoses_from_ZainZhao-HIS.tsv  (Apache-2.0)
  ../shared/corpora/medical_terms/zh_drugs_generic_brand_from_ZainZhao-HIS.tsv  (Apache-2.0)
  ../shared/corpora/medical_terms/zh_THUOCL_medical.txt  (MIT)

plus scripts/brands.tsv: well-known brand names and their generic names, written for this project.

Output columns: term, kind (diagnosis | drug | operation), code (ICD-10 code, generic drug name
for a brand, or empty).

    python scripts/build_detect_terms.py [--jieba-dict PATH]

With ``--jieba-dict`` (``jieba/dict.txt`` of the jieba 0.42.1 source package, MIT licence) it
also writes data/common_words.txt: frequent words that begin with a surname and are not tagged
as person names, which the name detector does not take for names without a name label.
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora" / "medical_terms"
HERE = Path(__file__).resolve().parent
DATA = ROOT / "src" / "medshield" / "detect" / "data"
OUT = DATA / "terms.tsv"
WORDS = DATA / "name_like_words.txt"

DISEASE_SUFFIX = re.compile(
    r"(炎|病|症|癌|瘤|综合征|综合症|损伤|骨折|感染|中毒|出血|梗死|梗塞|衰竭|结石|畸形|溃疡|囊肿|脓肿|肉瘤|白血病)$"
)
OPERATION_SUFFIX = re.compile(
    r"(切除术|移植术|置换术|修补术|成形术|吻合术|切开术|引流术|造口术|结扎术|植入术|搭桥术|消融术|穿刺术|探查术|复位术|固定术|重建术|缝合术|矫正术|修复术|剥除术|摘除术|环切术|介入术|分流术|内镜术|刮除术|剖宫产术|术)$"
)
NOT_OPERATION = (
    "技术",
    "艺术",
    "学术",
    "战术",
    "武术",
    "魔术",
    "美术",
    "算术",
    "白术",
    "苍术",
    "手术",
    "催眠术",
)
DOSAGE = re.compile(
    r"(注射液|注射剂|缓释片|控释片|肠溶片|分散片|泡腾片|咀嚼片|含片|薄膜衣片|片|胶囊|软胶囊|颗粒|口服液|口服溶液|"
    r"滴眼液|滴耳液|滴鼻液|眼膏|软膏|乳膏|凝胶|气雾剂|喷雾剂|糖浆|混悬液|散|丸|栓|贴|贴剂|酊|粉剂|溶液|合剂)$"
)
GENERIC_WORDS = {"疾病", "毛病", "病", "症", "炎", "癌"}


def clean(name: str) -> str:
    name = re.sub(r"\s*(NOS|ＮＯＳ)$", "", name.strip())
    return re.sub(r"[\[\]（）()]", "", name).strip()


def unbracketed(name: str) -> str:
    name = re.sub(r"\[[^\]]*\]|（[^）]*）|\([^)]*\)", "", name.strip())
    return re.sub(r"\s*(NOS|ＮＯＳ)$", "", name).strip()


def drug_base(name: str) -> str:
    name = re.sub(r"^\d+(\.\d+)?%", "", re.sub(r"[（(][^）)]*[）)]", "", name)).strip()
    name = re.sub(r"^注射用", "", name)
    return DOSAGE.sub("", name)


def main() -> None:
    rows: dict[tuple[str, str], str] = {}

    def add(term: str, kind: str, code: str = "") -> None:
        if len(term) >= 2 and term not in GENERIC_WORDS and re.search(r"[\u4e00-\u9fff]", term):
            rows.setdefault((term, kind), code)

    with open(CORPORA / "zh_icd10_diagnoses_from_ZainZhao-HIS.tsv", encoding="utf-8") as f:
        for rec in csv.DictReader(f, delimiter="\t"):
            code = rec["icd_code"].rstrip("+*")
            kind = "operation" if re.match(r"\d+\.\d", code) else "diagnosis"
            add(clean(rec["name_zh"]), kind, code)
            short = unbracketed(rec["name_zh"])
            if len(short) >= 4:
                add(short, kind, code)
    with open(CORPORA / "zh_drugs_generic_brand_from_ZainZhao-HIS.tsv", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t")
        next(reader)
        for rec in reader:
            full, brand = rec[1].strip(), rec[6].strip()
            base = drug_base(full)
            add(re.sub(r"[（(][^）)]*[）)]", "", full).strip(), "drug", base)
            add(base, "drug", base)
            if brand and brand not in {"塑瓶", "玻瓶", "进口", "国产"}:
                add(brand, "drug", base)
    with open(HERE / "brands.tsv", encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                brand, generic = line.rstrip("\n").split("\t")
                add(brand, "drug", generic)
                add(generic, "drug", generic)
    with open(CORPORA / "zh_THUOCL_medical.txt", encoding="utf-8") as f:
        for line in f:
            term = line.split("\t")[0].strip()
            if DISEASE_SUFFIX.search(term) and len(term) >= 3:
                add(term, "diagnosis")
            elif (
                OPERATION_SUFFIX.search(term)
                and len(term) >= 4
                and not term.endswith(NOT_OPERATION)
            ):
                add(term, "operation")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        f.write(
            "# term\tkind\tcode   (built by scripts/build_detect_terms.py; sources in NOTICE)\n"
        )
        for (term, kind), code in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            f.write(f"{term}\t{kind}\t{code}\n")
    print(f"{len(rows)} terms -> {OUT.relative_to(ROOT)}")
    write_name_like_words()
    parser = argparse.ArgumentParser()
    parser.add_argument("--jieba-dict", type=Path, help="jieba/dict.txt of jieba 0.42.1")
    args = parser.parse_args()
    if args.jieba_dict:
        write_common_words(args.jieba_dict)
        write_two_character_words(args.jieba_dict)
        write_word_frequencies(args.jieba_dict)


def _surnames() -> set[str]:
    lines = (DATA / "surnames.txt").read_text(encoding="utf-8").splitlines()
    return {w for line in lines if not line.startswith("#") for w in line.split()}


def write_common_words(jieba_dict: Path, min_freq: int = 10) -> None:
    """Words of 2-4 characters beginning with a surname, not tagged nr*, frequency >= min_freq."""
    surnames = _surnames()
    words = set()
    with open(jieba_dict, encoding="utf-8") as f:
        for line in f:
            word, freq, pos = line.split()
            starts = word[:1] in surnames or word[:2] in surnames
            if (
                2 <= len(word) <= 4
                and starts
                and not pos.startswith("nr")
                and int(freq) >= min_freq
            ):
                words.add(word)
    out = DATA / "common_words.txt"
    with open(out, "w", encoding="utf-8") as f:
        f.write(
            "# jieba 0.42.1 dict.txt words that begin like a name (built by scripts/build_detect_terms.py)\n"
        )
        f.write("\n".join(sorted(words)) + "\n")
    print(f"{len(words)} common words -> {out.relative_to(ROOT)}")


def write_two_character_words(jieba_dict: Path, min_freq: int = 20) -> None:
    """Chinese words of two characters, not tagged nr*, frequency >= min_freq: where words
    begin and end tells the running-text name model where a name can (清晨 in 于清晨 is a word)."""
    words = set()
    with open(jieba_dict, encoding="utf-8") as f:
        for line in f:
            word, freq, pos = line.split()
            han = all("\u4e00" <= c <= "\u9fff" for c in word)
            if len(word) == 2 and han and not pos.startswith("nr") and int(freq) >= min_freq:
                words.add(word)
    out = DATA / "words2.txt"
    with open(out, "w", encoding="utf-8") as f:
        f.write(
            "# jieba 0.42.1 dict.txt two-character words (built by scripts/build_detect_terms.py)\n"
        )
        f.write("\n".join(sorted(words)) + "\n")
    print(f"{len(words)} two-character words -> {out.relative_to(ROOT)}")


def write_word_frequencies(jieba_dict: Path, top: int = 30_000) -> None:
    """The ``top`` most frequent Chinese words not tagged nr* (no person names), with their
    frequency: the name model's training sentences draw the words around names from them."""
    rows: list[tuple[int, str]] = []
    with open(jieba_dict, encoding="utf-8") as f:
        for line in f:
            word, freq, pos = line.split()
            han = all("\u4e00" <= c <= "\u9fff" for c in word)
            if han and not pos.startswith("nr"):
                rows.append((-int(freq), word))
    rows.sort()
    out = DATA / "word_freq.txt"
    with open(out, "w", encoding="utf-8") as f:
        f.write(
            "# jieba 0.42.1 dict.txt: most frequent words, no person names, with their frequency"
            " (built by scripts/build_detect_terms.py)\n"
        )
        f.writelines(f"{word}\t{-freq}\n" for freq, word in rows[:top])
    print(f"{min(top, len(rows))} words with frequencies -> {out.relative_to(ROOT)}")


def write_name_like_words() -> None:
    """THUOCL medical words of 2-4 characters that begin with a surname: not person names."""
    surnames = _surnames()
    words = set()
    with open(CORPORA / "zh_THUOCL_medical.txt", encoding="utf-8") as f:
        for line in f:
            term = line.split("\t")[0].strip()
            if 2 <= len(term) <= 4 and (term[0] in surnames or term[:2] in surnames):
                words.add(term)
    with open(WORDS, "w", encoding="utf-8") as f:
        f.write(
            "# THUOCL medical words that begin like a name (built by scripts/build_detect_terms.py)\n"
        )
        f.write("\n".join(sorted(words)) + "\n")
    print(f"{len(words)} name-like words -> {WORDS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

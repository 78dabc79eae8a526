"""``columns.yaml``: the grade of every column, validated in bulk, errors placed by line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from medshield.elements import Level
from medshield.errors import PolicyError, PolicyReferenceError
from medshield.policy import (
    Form,
    PolicyBundle,
    Stage,
    UseContext,
    column_level,
    decide_column,
    effective_level,
    load_bundle,
)

LineOf = Callable[[Path, str], int]
NAME, GENDER = "DE02.01.039.00", "DE02.01.040.00"


def _entry(i: int, extra: str = "") -> str:
    return (
        f"  - {{source: his_h1, table: 患者信息_{i // 10}, column: col_{i}, "
        f"elements: [{NAME if i % 2 else GENDER}], roles: [doctor]{extra}}}\n"
    )


def _write(folder: Path, entries: list[str]) -> Path:
    file = folder / "columns.yaml"
    file.write_text("# graded columns\ncolumns:\n" + "".join(entries), encoding="utf-8")
    return file


def test_columns_load_and_can_be_looked_up(bundle_dir: Path) -> None:
    _write(
        bundle_dir,
        [_entry(i) for i in range(50)]
        + ["  - {source: lis, table: 检验结果, column: 备注, level: 敏感, reason: 自由文本}\n"],
    )
    bundle = load_bundle(bundle_dir)
    assert len(bundle.columns) == 51
    col = bundle.column("his_h1", "患者信息_0", "col_3")
    assert col is not None and col.elements == (NAME,) and col.roles == ("doctor",)
    pinned = bundle.column("lis", "检验结果", "备注")
    assert pinned is not None and pinned.level is Level.SENSITIVE and pinned.roles is None
    assert bundle.column("his_h1", "患者信息_0", "nowhere") is None


def test_no_columns_file_means_no_columns() -> None:
    assert load_bundle().columns == ()


def _expect(folder: Path, error: type[PolicyError], message: str, where: str) -> None:
    with pytest.raises(error) as caught:
        load_bundle(folder)
    assert message in caught.value.message
    assert caught.value.where == where


def test_unknown_element_names_its_line(bundle_dir: Path, line_of: LineOf) -> None:
    entries = [_entry(i) for i in range(2000)]
    entries[1501] = entries[1501].replace(NAME, "DE99.99.999.99")
    file = _write(bundle_dir, entries)
    where = f"{file}:{line_of(file, 'DE99.99.999.99')}"
    _expect(bundle_dir, PolicyReferenceError, "unknown data element 'DE99.99.999.99'", where)


def test_unknown_role_names_its_line(bundle_dir: Path, line_of: LineOf) -> None:
    entries = [_entry(i) for i in range(300)]
    entries[299] = entries[299].replace("[doctor]", "[doctor, 巫师]")
    file = _write(bundle_dir, entries)
    _expect(
        bundle_dir, PolicyReferenceError, "unknown role '巫师'", f"{file}:{line_of(file, '巫师')}"
    )


def test_wrong_type_names_its_line(bundle_dir: Path, line_of: LineOf) -> None:
    entries = [_entry(i) for i in range(300)]
    entries[120] = "  - source: his_h1\n    table: t\n    column: c\n    elements: {a: 1}\n"
    file = _write(bundle_dir, entries)
    where = f"{file}:{line_of(file, 'elements: {a: 1}')}"
    _expect(bundle_dir, PolicyError, "columns.120.elements", where)


def test_unknown_key_names_its_line(bundle_dir: Path, line_of: LineOf) -> None:
    entries = [_entry(i) for i in range(30)]
    entries[7] = _entry(7, ", colour: red")
    file = _write(bundle_dir, entries)
    _expect(bundle_dir, PolicyError, "Extra inputs", f"{file}:{line_of(file, 'colour')}")


def test_duplicated_key_names_its_line(bundle_dir: Path, line_of: LineOf) -> None:
    entries = [_entry(i) for i in range(30)]
    entries[9] = "  - source: a\n    table: b\n    column: c\n    level: normal\n    table: again\n"
    file = _write(bundle_dir, entries)
    _expect(bundle_dir, PolicyError, "duplicated key 'table'", f"{file}:{line_of(file, 'again')}")


def test_malformed_yaml_names_its_line(bundle_dir: Path, line_of: LineOf) -> None:
    entries = [_entry(i) for i in range(30)]
    entries[20] = "  - source: a\n    table: b: c\n"
    file = _write(bundle_dir, entries)
    _expect(bundle_dir, PolicyError, "malformed YAML", f"{file}:{line_of(file, 'table: b: c')}")


def test_a_column_graded_twice_is_refused(bundle_dir: Path, line_of: LineOf) -> None:
    entries = [_entry(i) for i in range(30)]
    entries.append(_entry(4).replace("roles: [doctor]", "roles: [researcher]"))
    file = _write(bundle_dir, entries)
    where = f"{file}:{line_of(file, 'researcher')}"
    _expect(bundle_dir, PolicyReferenceError, "graded twice", where)


def test_pinning_below_the_elements_needs_a_reason(bundle_dir: Path, line_of: LineOf) -> None:
    entries = [_entry(i) for i in range(10)]
    entries.append(f"  - {{source: s, table: t, column: 姓名, elements: [{NAME}], level: 公开}}\n")
    file = _write(bundle_dir, entries)
    where = f"{file}:{line_of(file, '姓名')}"
    _expect(bundle_dir, PolicyReferenceError, "below its elements' important", where)
    entries[-1] = entries[-1].replace("level: 公开", "level: 公开, reason: 已为测试数据")
    _write(bundle_dir, entries)
    assert load_bundle(bundle_dir).column("s", "t", "姓名") is not None


def test_a_column_needs_elements_or_a_level(bundle_dir: Path, line_of: LineOf) -> None:
    file = _write(bundle_dir, [_entry(0), "  - {source: s, table: t, column: 空}\n"])
    _expect(bundle_dir, PolicyError, "give the column's elements", f"{file}:{line_of(file, '空')}")


def test_column_names_stay_strings(bundle_dir: Path) -> None:
    _write(bundle_dir, ['  - {source: s, table: t, column: "no", level: normal}\n'])
    assert load_bundle(bundle_dir).columns[0].column == "no"


COLUMNS = (
    "columns:\n"
    f"  - {{source: his, table: 患者信息, column: 姓名, elements: [{NAME}], roles: [doctor, researcher]}}\n"
    f"  - {{source: his, table: 患者信息, column: 性别, elements: [{GENDER}]}}\n"
    "  - {source: lis, table: 检验结果, column: 备注, level: controlled, reason: 含自由文本}\n"
)


def _graded(folder: Path) -> PolicyBundle:
    (folder / "columns.yaml").write_text(COLUMNS, encoding="utf-8")
    return load_bundle(folder)


def test_column_level_follows_elements_or_the_pin(bundle_dir: Path) -> None:
    bundle = _graded(bundle_dir)
    name = bundle.column("his", "患者信息", "姓名")
    remark = bundle.column("lis", "检验结果", "备注")
    assert name is not None and remark is not None
    shared = UseContext(stage=Stage.SHARE)
    assert column_level(bundle, name, shared) == effective_level(bundle, [NAME], shared)
    pinned = column_level(bundle, remark)
    assert (
        pinned.level is Level.CONTROLLED
        and pinned.trace == "pinned lis.检验结果.备注 -> controlled"
    )
    masked = column_level(bundle, remark, UseContext(form=Form.MASKED, verified=True))
    assert masked.level is Level.IMPORTANT and "masked -1 (verified)" in masked.trace
    unverified = column_level(bundle, remark, UseContext(form=Form.MASKED))
    assert unverified.level is Level.CONTROLLED


@pytest.mark.parametrize(
    ("column", "ctx", "action", "reason"),
    [
        ("nowhere", UseContext(role="doctor", scenario="collaborative_care"), "deny", "not graded"),
        ("姓名", UseContext(), "deny", "no role given"),
        (
            "姓名",
            UseContext(role="patient"),
            "deny",
            "not among the roles of column his.患者信息.姓名",
        ),
        ("姓名", UseContext(role="doctor", scenario="clinical_pathway"), "deny", "not granted"),
        ("姓名", UseContext(role="doctor", scenario="collaborative_care"), "allow", "within role"),
        ("姓名", UseContext(role="researcher", scenario="chronic_disease"), "deny", "above role"),
        (
            "性别",
            UseContext(role="health_educator", scenario="health_education"),
            "allow",
            "within",
        ),
    ],
)
def test_decide_column_fails_closed(
    bundle_dir: Path, column: str, ctx: UseContext, action: str, reason: str
) -> None:
    bundle = _graded(bundle_dir)
    decision = decide_column(bundle, "his", "患者信息", column, ctx)
    assert decision.action == action
    assert reason in decision.reasons[0]
    assert decision.policy_version == bundle.version


def test_decide_column_weighs_the_context_of_use(bundle_dir: Path) -> None:
    """The same role and column: raw data is above the researcher's role, the verified masked
    form is within it. Catches ``decide_column`` grading the column without its context."""
    bundle = _graded(bundle_dir)
    use = {"role": "researcher", "scenario": "chronic_disease"}
    raw = decide_column(bundle, "his", "患者信息", "姓名", UseContext(**use))
    masked = decide_column(
        bundle, "his", "患者信息", "姓名", UseContext(**use, form=Form.MASKED, verified=True)
    )
    assert (raw.action, masked.action) == ("deny", "allow")
    assert "masked -1 (verified)" in " ".join(masked.reasons)


def test_a_pinned_column_with_an_unknown_element_names_it() -> None:
    from medshield.errors import UnknownNameError
    from medshield.policy.schema import ColumnGrade

    grade = ColumnGrade(
        source="his", table="t", column="c", elements=("DE99.99.999.99",), level="controlled"
    )
    with pytest.raises(UnknownNameError) as err:
        column_level(load_bundle(), grade)
    assert err.value.message == "unknown data element 'DE99.99.999.99'"

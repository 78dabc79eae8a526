from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from medshield.errors import ApprovalError, InputError, UnknownNameError
from medshield.governance import Admin, vote
from medshield.governance.gates import approved_batch, batch_digest
from medshield.ledger import open_ledger
from medshield.mask.dictionary import normalise_term, read_batch_file, starter_dictionary
from medshield.mask.dictionary_store import (
    BatchApproval,
    batch_entries,
    import_batch,
    list_batches,
    load_dictionary,
)
from medshield.policy import load_bundle
from medshield.store.db import connect, upgrade


def _store(url: str) -> Engine:
    upgrade(url)
    return connect(url)


def _approve(url: str, path: Path, approver: str, reason: str) -> BatchApproval:
    """File a dictionary_batch request for ``path`` and have ``approver`` approve it."""
    bundle = load_bundle()
    with open_ledger(url) as ledger:
        req = Admin(ledger, bundle, "secadmin-01").request(
            "dictionary_batch", {"digest": batch_digest(path)}, reason
        )
        vote(ledger, bundle, approver, req.id, approve=True)
        return approved_batch(ledger, req.id)


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_starter_dictionary() -> None:
    d = starter_dictionary()
    assert d.batch == 0
    assert d.lookup("term", "癌症") == "CA" and d.lookup("term", "免疫性血小板减少症") == "ITP"
    assert d.lookup("drug", "思密达") == "蒙脱石散" and d.lookup("drug", "泰诺") == "对乙酰氨基酚"
    assert len(d.drugs) >= 60 and len(d.terms) > 20000
    assert normalise_term("２型 糖尿病") == "2型糖尿病"


def test_bad_batch_files_name_the_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="header"):
        read_batch_file(_csv(tmp_path, "a.csv", "term,code\n癌症,CA\n"))
    with pytest.raises(InputError) as err:
        read_batch_file(_csv(tmp_path, "b.csv", "kind,term,code\nterm,癌症,CA\nsymptom,咳嗽,R05\n"))
    assert err.value.where is not None and err.value.where.endswith("b.csv:3")
    with pytest.raises(InputError, match="no entries"):
        read_batch_file(_csv(tmp_path, "c.csv", "kind,term,code\n"))


def _batches_and_pinning(url: str, tmp_path: Path) -> None:
    engine = _store(url)
    one = _csv(tmp_path, "b1.csv", "kind,term,code\nterm,癌症,C80\ndrug,新药甲,通用名甲\n")
    two = _csv(tmp_path, "b2.csv", "kind,term,code\nterm,癌症,CA\ndrug,新药甲,\n")
    first = import_batch(one, approval=_approve(url, one, "office-01", "季度更新"), engine=engine)
    second = import_batch(two, approval=_approve(url, two, "office-02", "回退"), engine=engine)
    assert (first.batch, second.batch) == (1, 2)
    assert [b.approved_by for b in list_batches(engine)] == ["office-01", "office-02"]
    assert [b.reason for b in list_batches(engine)] == ["季度更新", "回退"]
    assert batch_entries(1, engine) == [("term", "癌症", "C80"), ("drug", "新药甲", "通用名甲")]
    at1, at2 = load_dictionary(1, engine), load_dictionary(2, engine)
    assert at1.lookup("term", "癌症") == "C80" and at1.lookup("drug", "新药甲") == "通用名甲"
    assert at2.lookup("term", "癌症") == "CA" and at2.lookup("drug", "新药甲") is None
    assert load_dictionary(None, engine) is starter_dictionary()
    with pytest.raises(UnknownNameError, match="batch 3"):
        load_dictionary(3, engine)
    from medshield.ledger import open_ledger

    ledger = open_ledger(url)
    try:
        events = [r.event for r in ledger.records(action_prefix="mask.dictionary.batch")]
    finally:
        ledger.close()
    assert [e.detail["batch"] for e in events] == [1, 2]
    assert events[0].actor == "office-01" and events[0].payload_digest == first.digest
    assert events[0].detail["approval"] != events[1].detail["approval"]
    engine.dispose()


def test_batches_and_pinning_sqlite(tmp_path: Path) -> None:
    _batches_and_pinning(f"sqlite:///{tmp_path / 'store.db'}", tmp_path)


@pytest.mark.postgres
def test_batches_and_pinning_postgres(postgres_url: str, tmp_path: Path) -> None:
    _batches_and_pinning(postgres_url, tmp_path)


@pytest.mark.mariadb
def test_batches_and_pinning_mariadb(mariadb_url: str, tmp_path: Path) -> None:
    _batches_and_pinning(mariadb_url, tmp_path)


def test_an_approval_of_other_entries_does_not_cover_the_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    engine = _store(url)
    approved = _csv(tmp_path, "a.csv", "kind,term,code\nterm,癌症,CA\n")
    changed = _csv(tmp_path, "b.csv", "kind,term,code\nterm,癌症,C80\n")
    approval = _approve(url, approved, "office-01", "季度更新")
    with pytest.raises(ApprovalError, match="not this file") as info:
        import_batch(changed, approval=approval, engine=engine)
    assert info.value.code == "MS942"
    assert list_batches(engine) == []
    engine.dispose()

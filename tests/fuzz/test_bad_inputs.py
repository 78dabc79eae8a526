"""The bad inputs of the issue, one by one, through the command line: a coded error, no file."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.cli.conftest import Medshield
from tests.fuzz.surface import SKIPPED, all_command_names

CORPUS = Path(__file__).parent / "corpus"
DEFAULT_POLICY = Path(__file__).resolve().parents[2] / "src" / "medshield" / "policy" / "default"


def _refused(result: tuple[int, str, str], code: str, where: str = "") -> str:
    exit_code, out, err = result
    assert exit_code in (1, 2), err
    assert err.startswith(f"error[{code}]: "), err
    assert where in err and "Traceback" not in out + err and "MS000" not in err
    return err


@pytest.fixture
def store(tmp_path: Path, medshield: Medshield) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert medshield("db", "upgrade", "--url", url)[0] == 0
    return url


def test_ledger_verify_on_a_file_that_is_not_a_database(medshield: Medshield) -> None:
    url = f"sqlite:///{CORPUS / 'not_a_database.db'}"
    _refused(medshield("ledger", "verify", "--url", url), "MS402", "not_a_database.db")


def test_ledger_verify_on_a_missing_store_creates_nothing(
    tmp_path: Path,
    medshield: Medshield,
) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    _refused(medshield("ledger", "verify", "--url", url), "MS503", "none.db")
    assert not (tmp_path / "none.db").exists()


def test_ledger_on_a_store_without_a_ledger(tmp_path: Path, medshield: Medshield) -> None:
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.close()
    url = f"sqlite:///{tmp_path / 'other.db'}"
    _refused(medshield("ledger", "status", "--url", url), "MS503", "other.db")


def test_store_of_an_unknown_schema_version(store: str, medshield: Medshield) -> None:
    with sqlite3.connect(store.removeprefix("sqlite:///")) as db:
        db.execute("DELETE FROM alembic_version")
        db.execute("INSERT INTO alembic_version VALUES ('from_the_future')")
    _refused(medshield("db", "upgrade", "--url", store), "MS404", "store.db")


def test_read_only_store_refuses_a_write(store: str, medshield: Medshield) -> None:
    read_only = f"sqlite:///file:{store.removeprefix('sqlite:///')}?mode=ro&uri=true"
    args = ("lineage", "record", "--stage", "collect", "--from", "h1/a", "--to", "h2/b")
    _refused(medshield(*args, "--actor", "u1", "--store", read_only), "MS403")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("unterminated_quote.csv", "malformed CSV"),
        ("not_utf8.csv", "not UTF-8"),
        ("utf16_bom.csv", "not UTF-8: UTF-16 text"),
        ("utf32_bom.csv", "not UTF-8: UTF-32 text"),
        ("ragged.csv", "ragged row"),
        ("duplicate_header.csv", "named twice"),
        ("empty_header.csv", "has no name"),
        ("empty.csv", "empty file"),
        ("truncated.csv", "not UTF-8"),
        ("nul_bytes.csv", "NUL byte"),
        ("not_parquet.parquet", "not a Parquet file"),
        ("truncated.parquet", "not a Parquet file"),
    ],
)
def test_bad_data_files_are_refused_and_nothing_written(
    name: str,
    problem: str,
    tmp_path: Path,
    medshield: Medshield,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    source = data / name
    shutil.copy(CORPUS / name, source)
    target = data / ("out" + source.suffix)
    args = ("mask", "run", str(source), str(target), "--scenario", "collaborative_care")
    err = _refused(medshield(*args, "--role", "doctor"), "MS303", name)
    assert problem in err
    assert [p.name for p in data.iterdir()] == [name]  # no target, no partial file
    err = _refused(
        medshield(
            "mask",
            "stats",
            str(source),
            "--column",
            "a=b",
            "--measure",
            "c",
            "--role",
            "researcher",
        ),
        "MS303",
        name,
    )
    assert problem in err


def test_a_utf8_bom_is_read_and_the_header_kept(tmp_path: Path, medshield: Medshield) -> None:
    """Excel's "CSV UTF-8" starts with a byte-order mark: skipped, the first column keeps its name,
    and the output is the one of the same file without the mark."""
    text = "姓名,科室\n" + "".join(f"{n},内科\n" for n in ("张三", "李四", "王五") * 10)
    (tmp_path / "excel.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())
    (tmp_path / "plain.csv").write_text(text, encoding="utf-8")
    outputs = []
    for name in ("excel", "plain"):
        target = tmp_path / f"{name}-out.csv"
        args = ("mask", "run", str(tmp_path / f"{name}.csv"), str(target))
        code, _, err = medshield(*args, "--scenario", "collaborative_care", "--role", "doctor")
        assert code == 0, err
        outputs.append(target.read_text(encoding="utf-8"))
    assert outputs[0].splitlines()[0].split(",") == ["姓名", "科室"]
    assert outputs[0] == outputs[1]


def test_a_file_read_whole_over_the_limit_is_refused(
    tmp_path: Path, medshield: Medshield, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "big.csv"
    source.write_text("a,b\n" + "张三,1\n" * 200, encoding="utf-8")
    monkeypatch.setenv("MEDSHIELD_MAX_INPUT_BYTES", "1000")
    args = ("mask", "stats", str(source), "--column", "a=b", "--measure", "b")
    err = _refused(medshield(*args, "--role", "researcher"), "MS305", "big.csv")
    assert "1,000 bytes" in err and "MEDSHIELD_MAX_INPUT_BYTES" in err
    err = _refused(medshield("policy", "check", str(DEFAULT_POLICY)), "MS305", ".yaml")
    assert "1,000 bytes" in err
    monkeypatch.setenv("MEDSHIELD_MAX_INPUT_BYTES", str(10**9))
    assert medshield("policy", "check", str(DEFAULT_POLICY))[0] == 0


def test_a_policy_file_in_utf16_is_refused(tmp_path: Path, medshield: Medshield) -> None:
    policy = tmp_path / "policy"
    shutil.copytree(DEFAULT_POLICY, policy)
    shutil.copy(CORPUS / "utf16_bom.yaml", policy / "roles.yaml")
    _refused(medshield("policy", "check", str(policy)), "MS200", "roles.yaml")


def test_a_negative_seed_is_refused(tmp_path: Path, medshield: Medshield) -> None:
    """Found by the fuzzer: a negative seed was an internal error (MS000)."""
    out = tmp_path / "alliance"
    _refused(medshield("synth", "--out", str(out), "--seed", "-1", "--patients", "5"), "MS300")
    assert not out.exists() or not any(out.iterdir())


def test_a_patient_count_beyond_any_alliance_is_refused(
    tmp_path: Path, medshield: Medshield
) -> None:
    """Found by ``make fuzz``: 10**23 patients was an internal error (MS000) from numpy."""
    out = tmp_path / "alliance"
    args = ("synth", "--out", str(out), "--patients", "99999999999999999999999")
    assert "at most 10,000,000" in _refused(medshield(*args), "MS300", "--patients")
    assert not out.exists() or not any(out.iterdir())


def test_audit_sql_judges_a_binary_line_instead_of_refusing_the_file(
    tmp_path: Path, medshield: Medshield, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a bug (``make fuzz`` asked): every line of a statement log is a submission, and one
    that is binary garbage is denied as a parse error, with its record."""
    monkeypatch.chdir(tmp_path)
    code, out, err = medshield("audit", "sql", "--no-ledger", str(CORPUS / "binary.bin"))
    records = [json.loads(line) for line in out.splitlines()]
    lines = (CORPUS / "binary.bin").read_bytes().splitlines()
    assert code in (0, 1) and "Traceback" not in err and "MS000" not in err
    assert len(records) == len(lines) and records
    assert all(r["action"] == "deny" for r in records)


def test_a_number_of_archive_tables_beyond_any_alliance_is_refused(
    tmp_path: Path, medshield: Medshield
) -> None:
    """Found by ``make fuzz``: ``--history-tables 10**23`` grew to 22 GB until the kernel killed it."""
    out = tmp_path / "alliance"
    args = ("synth", "--out", str(out), "--patients", "5")
    err = _refused(medshield(*args, "--history-tables", "99999999999999999999999"), "MS300")
    assert "at most 12,000" in err and "--history-tables" in err


def test_a_database_prefix_cannot_leave_the_output_folder(
    tmp_path: Path, medshield: Medshield
) -> None:
    """Found by ``make fuzz``: ``--db-prefix ../../x`` put the SQLite files outside ``--out``."""
    out = tmp_path / "a" / "b"
    args = ("synth", "--out", str(out), "--patients", "5", "--db-prefix", "../../x")
    _refused(medshield(*args), "MS300", "--db-prefix")
    assert sorted(p.name for p in tmp_path.rglob("*")) in ([], ["a"], ["a", "b"])


def test_a_given_store_is_checked_even_where_it_is_not_needed(medshield: Medshield) -> None:
    """Found by the fuzzer: ``mask dict show 0`` ignored a broken ``--store`` and exited 0."""
    url = f"sqlite:///{CORPUS / 'not_a_database.db'}"
    _refused(medshield("mask", "dict", "show", "0", "--store", url), "MS402", "not_a_database.db")


def test_missing_data_file(tmp_path: Path, medshield: Medshield) -> None:
    err = _refused(
        medshield(
            "mask",
            "stats",
            str(tmp_path / "no.csv"),
            "--column",
            "a=b",
            "--measure",
            "c",
            "--role",
            "researcher",
        ),
        "MS302",
        "no.csv",
    )
    assert "file not found" in err


def test_scan_of_a_missing_sqlite_file_creates_nothing(
    tmp_path: Path,
    medshield: Medshield,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    _refused(medshield("scan", "sqlite:///missing.db"), "MS304", "missing.db")
    assert not (tmp_path / "missing.db").exists()


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("postgresql+psycopg://postgres@127.0.0.1:1/nowhere", "MS401"),
        ("postgresql+psycopg://no_such_role@127.0.0.1:5432/test", "MS405"),
        ("mysql+pymysql://nobody:wrong@127.0.0.1:3306/test", "MS405"),
        ("postgresql+psycopg://postgres@[::1:5432/x", "MS304"),
        ("not a url", "MS304"),
    ],
)
def test_database_urls_that_point_nowhere(url: str, code: str, medshield: Medshield) -> None:
    err = _refused(medshield("scan", url), code)
    assert "wrong" not in err  # never the password


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_a_database_that_does_not_answer_times_out(
    silent_server: int,
    medshield: Medshield,
) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{silent_server}/x?connect_timeout=1"
    _refused(medshield("scan", url), "MS406")


@pytest.mark.parametrize(
    "name", sorted(p.name for p in CORPUS.glob("bad_yaml_*.yaml")), ids=lambda n: n[9:-5]
)
def test_every_kind_of_yaml_error_in_a_policy_file(
    name: str,
    tmp_path: Path,
    medshield: Medshield,
) -> None:
    policy = tmp_path / "policy"
    shutil.copytree(DEFAULT_POLICY, policy)
    shutil.copy(CORPUS / name, policy / "roles.yaml")
    err = _refused(medshield("policy", "check", str(policy)), "MS200", "roles.yaml")
    assert len(err.strip().splitlines()) == 1


def test_an_argument_that_is_not_utf8(medshield: Medshield) -> None:
    _refused(medshield("detect", "text", "\udcff"), "MS300", "argument 3")


def test_skipped_commands_exist_and_still_check_arguments(medshield: Medshield) -> None:
    names = all_command_names()
    assert set(SKIPPED) <= set(names)
    assert medshield("serve", "--port", "not-a-port")[0] == 2
    assert medshield("console", "serve", "--port", "not-a-port")[0] == 2
    assert medshield("federated", "node", "--port", "x", "missing.json")[0] == 2
    assert medshield("demo", "--patients", "many")[0] == 2

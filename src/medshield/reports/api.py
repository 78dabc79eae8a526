"""The API detection report (R27), built in one streaming pass over ``gateway.*`` and ``probe.*``.

Memory grows with the number of APIs, institutions, addresses, error codes and days, never with
the number of calls.
"""

from __future__ import annotations

import importlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from medshield.ledger import Ledger, RawRecord
from medshield.policy.bundle import PolicyBundle
from medshield.reports.labels import label
from medshield.reports.locate import Locator, place
from medshield.reports.model import Chart, Report, Section
from medshield.reports.trafficmap import INTERCEPTED, TrafficMap, TrafficMapBuilder
from medshield.reports.window import LOCAL_OFFSET_S

PEAK = 1.5  # an hour with 1.5x the mean hourly calls is a peak
OFF_PEAK = 0.5
RAISE_AT = 0.8  # peak calls a minute at 80% of the API's rate limit: capacity should rise
BATCH = 5_000  # records read at a time: their bodies are most of the report's peak memory


def json_reader() -> Callable[[str], Any]:
    """The fastest reader of a canonical body at hand: orjson when installed, else the standard
    decoder's scanner alone (a canonical body is one JSON object with nothing around it)."""
    try:
        loads: Callable[[str], Any] = importlib.import_module("orjson").loads
        return loads
    except ImportError:
        scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
        return lambda body: scan(body, 0)[0]


_READ = json_reader()


@dataclass
class _Tally:
    requests: int = 0
    records: int = 0
    under_control: int = 0
    denied: int = 0
    total_ms: float = 0.0
    max_ms: float = 0.0

    def merge(self, cell: list[float]) -> None:
        """Add one ``_Cell`` of counts (see ``ApiReportBuilder.cells``)."""
        self.requests += int(cell[0])
        self.records += int(cell[1])
        self.under_control += int(cell[2])
        self.denied += int(cell[3])
        self.total_ms += cell[4]
        self.max_ms = max(self.max_ms, cell[5])

    def row(self) -> dict[str, Any]:
        avg = self.total_ms / self.requests if self.requests else 0.0
        return {
            "requests": self.requests,
            "records": self.records,
            "under_control": self.under_control,
            "denied": self.denied,
            "avg_ms": round(avg, 2),
            "max_ms": round(self.max_ms, 2),
        }


@dataclass
class _Load:
    days: Counter[int] = field(default_factory=Counter)  # local day number -> calls
    peak_minute: int = 0  # the most calls within one minute


def _day(number: int) -> str:
    return (date(1970, 1, 1) + timedelta(days=number)).isoformat()


class ApiReportBuilder:
    """Counts in one pass; every per-call figure is folded per (institution, API) and per
    address, and the per-institution, per-API and per-location figures are derived from those
    when the report is written (a few dict updates a call, no object per call)."""

    def __init__(self, bundle: PolicyBundle, lang: str = "zh") -> None:
        self.bundle = bundle
        self.lang = lang
        self.locator = Locator(bundle.institutions)
        # (institution, api) -> [requests, records, under_control, denied, total_ms, max_ms]
        self.cells: dict[tuple[str, str], list[float]] = {}
        self.addresses: Counter[str | None] = Counter()  # caller address -> calls
        self.places: Counter[tuple[str, str]] = Counter()
        self.hours: Counter[int] = Counter()
        self.errors: dict[str, dict[str, Any]] = {}
        self.intercepts: Counter[tuple[str, str]] = Counter()
        self.probes: dict[str, dict[str, Any]] = {}
        self.load: defaultdict[str, _Load] = defaultdict(_Load)
        self.days: Counter[tuple[str, int]] = Counter()  # (api, local day number) -> calls
        self.runs: dict[str, list[int]] = {}  # api -> [minute, calls in it, peak calls a minute]
        self.intercepted: Counter[str | None] = Counter()  # caller address -> intercepted events
        self.read = 0

    def add(self, record: RawRecord) -> None:
        self.add_batch([(record.at_us, record.action, record.body)])

    def add_batch(self, batch: list[tuple[int, str, str]]) -> None:
        """Records as stored, ``(at_us, action, body)`` in ``seq`` order. The canonical body is
        read as plain JSON, several times faster than validating it back into an ``Event`` (it
        was valid when appended, and the chain shows it has not changed since). The loop is the
        report's hot path at millions of calls: state in locals, no call per record."""
        read, offset = _READ, LOCAL_OFFSET_S
        cells, addresses, hours, days, runs = (
            self.cells, self.addresses, self.hours, self.days, self.runs
        )  # fmt: skip
        self.read += len(batch)
        for at_us, action, body in batch:
            event = read(body)
            if action != "gateway.call":
                self._other(action, event)
                continue
            detail = event["detail"]
            api = event["object"].get("api") or "-"
            inst = event.get("institution") or "-"
            ms = event.get("duration_ms") or 0.0
            cell = cells.get((inst, api))
            if cell is None:
                cell = cells[(inst, api)] = [0, 0, 0, 0, 0.0, 0.0]
            cell[0] += 1
            cell[1] += event.get("rows") or 0
            cell[2] += int(detail.get("under_control") or 0)
            cell[3] += event["outcome"] == "deny"
            cell[4] += ms
            if ms > cell[5]:
                cell[5] = ms
            address = event.get("source_ip")
            addresses[address] += 1
            if event["outcome"] in INTERCEPTED:
                self.intercepted[address] += 1
            seconds = at_us // 1_000_000
            local = seconds + offset
            hours[local // 3600 % 24] += 1
            days[(api, local // 86400)] += 1
            minute = seconds // 60
            run = runs.get(api)
            if run is None:
                run = runs[api] = [minute, 0, 0]
            elif run[0] != minute:
                run[0], run[1] = minute, 0
            run[1] += 1
            if run[1] > run[2]:
                run[2] = run[1]
            code = detail.get("code", "ok")
            if code != "ok":
                self._error(str(code), api, detail, event)
            if detail.get("intercepted"):
                for name in detail["intercepted"]:
                    self.intercepts[(f"field:{name}", api)] += 1

    def _other(self, action: str, event: dict[str, Any]) -> None:
        if action == "gateway.alert":
            if event["outcome"] in INTERCEPTED:
                self.intercepted[event.get("source_ip")] += 1
            kind = f"alert:{event['detail'].get('kind', '')}"
            self.intercepts[(kind, event["object"].get("api") or "")] += 1
        elif action == "probe.result":
            self._probe(event)

    def _error(self, code: str, api: str, detail: dict[str, Any], event: dict[str, Any]) -> None:
        entry = self.errors.setdefault(
            code, {"status": detail.get("status"), "count": 0, "apis": set(), "detail": ""}
        )
        entry["count"] += 1
        entry["apis"].add(api)
        reasons = event.get("reasons") or ()
        entry["detail"] = entry["detail"] or (reasons[0] if reasons else "")

    def _fold(self) -> tuple[_Tally, dict[str, _Tally], dict[str, _Tally]]:
        """The totals, per institution and per API, from the per-(institution, API) cells; and
        the places, from the distinct addresses (each located once)."""
        total = _Tally()
        by_inst: defaultdict[str, _Tally] = defaultdict(_Tally)
        by_api: defaultdict[str, _Tally] = defaultdict(_Tally)
        for (inst, api), cell in self.cells.items():
            total.merge(cell)
            by_inst[inst].merge(cell)
            by_api[api].merge(cell)
        self.load.clear()
        for (api, day), n in self.days.items():
            self.load[api].days[day] = n
        for api, (_minute, _calls, peak) in self.runs.items():
            self.load[api].peak_minute = peak
        self.places.clear()
        for address, n in self.addresses.items():
            found = self.locator.locate(address)
            self.places[(place(found) if found else "unknown", found.id if found else "-")] += n
        return total, by_inst, by_api

    def _probe(self, event: dict[str, Any]) -> None:
        name = str(event["detail"].get("probe", event["object"].get("api") or "-"))
        entry = self.probes.setdefault(name, {"passed": 0, "failed": 0, "last_failure": ""})
        if event["outcome"] == "allow":
            entry["passed"] += 1
        else:
            entry["failed"] += 1
            entry["last_failure"] = "; ".join(event.get("reasons") or ())

    # --- the report --------------------------------------------------------------------------
    def report(self, since: datetime, until: datetime) -> Report:
        rep = Report("api", since, until, self.lang, self.read)
        names = {i.id: i.name for i in self.bundle.institutions}
        total, by_inst, by_api_tally = self._fold()
        totals = total.row()
        rep.sections.append(
            Section("totals", ["metric", "value"], [
                {"metric": label(k, self.lang), "value": v} for k, v in totals.items()
            ])
        )  # fmt: skip
        cols = ["requests", "records", "under_control", "denied", "avg_ms", "max_ms"]
        rep.sections.append(
            Section("by_institution", ["institution", *cols], [
                {"institution": names.get(k, k), **t.row()} for k, t in sorted(by_inst.items())
            ])
        )  # fmt: skip
        by_api = [{"api": k, **t.row()} for k, t in sorted(by_api_tally.items())]
        rep.sections.append(
            Section(
                "by_api", ["api", *cols], by_api,
                chart=Chart.of("bar", by_api, "api", "requests"),
            )
        )  # fmt: skip
        rep.sections.append(self._locations(names))
        rep.sections.append(self._trend())
        rep.sections.append(
            Section("errors", ["code", "status", "count", "api", "detail"], [
                {"code": c, "status": e["status"], "count": e["count"],
                 "api": ",".join(sorted(e["apis"])), "detail": e["detail"]}
                for c, e in sorted(self.errors.items())
            ])
        )  # fmt: skip
        rep.sections.append(
            Section("intercepts", ["kind", "api", "count"], [
                {"kind": k, "api": a, "count": n} for (k, a), n in sorted(self.intercepts.items())
            ])
        )  # fmt: skip
        rep.sections.append(
            Section("probes", ["probe", "passed", "failed", "last_failure"], [
                {"probe": k, **v} for k, v in sorted(self.probes.items())
            ])
        )  # fmt: skip
        rep.sections.append(self._load())
        return rep

    def _locations(self, names: dict[str, str]) -> Section:
        rows = [
            {
                "location": label("unknown", self.lang) if where == "unknown" else where,
                "institution": names.get(inst, inst),
                "requests": n,
            }
            for (where, inst), n in sorted(self.places.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        chart = Chart.of("bar", rows, "location", "requests")
        return Section(
            "locations", ["location", "institution", "requests"], rows, chart=chart,
            map=self._map(),
        )  # fmt: skip

    def _map(self) -> TrafficMap:
        """The traffic map from the per-address counts (each address located once)."""
        builder = TrafficMapBuilder(self.bundle.institutions, self.locator)
        for address in self.addresses.keys() | self.intercepted.keys():
            builder.add_address(address, self.addresses[address], self.intercepted[address])
        return builder.build()

    def _trend(self) -> Section:
        mean = sum(self.hours.values()) / 24
        rows, marks = [], []
        for hour in range(24):
            n = self.hours.get(hour, 0)
            mark = (
                "peak" if mean and n >= PEAK * mean else "off_peak" if n <= OFF_PEAK * mean else ""
            )
            marks.append(mark)
            rows.append(
                {
                    "hour": f"{hour:02d}:00",
                    "requests": n,
                    "period": label(mark or "normal", self.lang),
                }
            )
        chart = Chart.of("line", rows, "hour", "requests", marks)
        return Section("trend", ["hour", "requests", "period"], rows, chart=chart)

    def _load(self) -> Section:
        limits = {a.id: a.rate_per_minute for a in self.bundle.apis}
        rows = []
        for api, load in sorted(self.load.items()):
            day, peak = max(load.days.items(), key=lambda kv: (kv[1], kv[0]))
            limit = limits.get(api)
            use = load.peak_minute / limit if limit else None
            advice = "raise_capacity" if use is not None and use >= RAISE_AT else "ok"
            rows.append({
                "api": api, "daily_peak": peak, "peak_day": _day(day),
                "peak_per_minute": load.peak_minute, "rate_per_minute": limit,
                "utilisation": None if use is None else round(use, 3),
                "advice": label(advice, self.lang),
            })  # fmt: skip
        cols = ["api", "daily_peak", "peak_day", "peak_per_minute", "rate_per_minute"]
        return Section("load", [*cols, "utilisation", "advice"], rows)


def build_api_report(
    ledger: Ledger, bundle: PolicyBundle, since: datetime, until: datetime, lang: str = "zh"
) -> Report:
    builder = ApiReportBuilder(bundle, lang)
    for prefix in ("gateway.", "probe."):
        for batch in ledger.body_batches(
            since=since, until=until, action_prefix=prefix, size=BATCH
        ):
            builder.add_batch(batch)
    return builder.report(since, until)

"""``audit.yaml`` ``logs:``: thresholds of the behaviour detectors that read server logs.

No detector holds a number of its own: windows, counts, working hours, trusted networks and the
programs that count as export all come from here (defaults below, overridden in the bundle).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from medshield.policy.networks import valid_cidrs


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LoginFailurePolicy(_Strict):
    window_seconds: int = Field(default=600, ge=1)
    per_ip: int = Field(default=10, ge=1)  # failures from one address in the window
    per_account: int = Field(default=10, ge=1)  # failures against one account in the window
    success_after: int = Field(default=5, ge=1)  # failures before a success: likely compromise


class RemoteAccessPolicy(_Strict):
    working_hours: tuple[int, int] = (8, 20)  # [start, end) hours, local time
    working_days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)  # Monday is 0
    timezone: str = "Asia/Shanghai"
    trusted_cidrs: tuple[str, ...] = ()  # inside, besides the institutions' networks
    local_cidrs: tuple[str, ...] = ("127.0.0.0/8", "::1/128")  # the server itself: not remote
    baseline_logins: int = Field(default=3, ge=0)  # logins seen before a new source counts

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    def off_hours(self, at: datetime) -> bool:
        """Whether ``at`` (aware) falls outside the working hours and days."""
        local = at.astimezone(ZoneInfo(self.timezone))
        start, end = self.working_hours
        return not start <= local.hour < end or local.weekday() not in self.working_days

    @field_validator("trusted_cidrs", "local_cidrs")
    @classmethod
    def _cidrs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return valid_cidrs(value)


class ExportPolicy(_Strict):
    dump_programs: tuple[str, ...] = (
        "mysqldump",
        "mariadb-dump",
        "pg_dump",
        "pg_dumpall",
        "pg_basebackup",
        "mydumper",
    )
    copy_programs: tuple[str, ...] = ("scp", "rsync", "sftp", "rclone")
    removable_prefixes: tuple[str, ...] = ("/media/", "/mnt/", "/run/media/")
    large_result_rows: int = Field(default=10_000, ge=1)
    batch_rows: int = Field(default=1_000, ge=1)  # rows deleted or changed by one statement
    batch_file_deletes: int = Field(default=100, ge=1)  # files one process deletes in a window
    window_seconds: int = Field(default=60, ge=1)


class QueryBaselinePolicy(_Strict):
    bucket_seconds: int = Field(default=60, ge=1)
    min_history: int = Field(default=10, ge=3)  # buckets of the account's own before judging
    robust_z: float = Field(default=6.0, gt=0)  # modified z-score (median, MAD) to flag
    min_queries: int = Field(default=30, ge=1)  # a bucket below this never counts as a burst
    new_table_share: float = Field(default=0.5, gt=0, le=1)  # of a bucket, on unseen tables


class CorrelationPolicy(_Strict):
    window_seconds: int = Field(default=3600, ge=1)
    min_stages: int = Field(default=2, ge=1)  # distinct stages (ssh, database, file) to report
    max_timeline: int = Field(default=200, ge=10)


class LogAuditPolicy(_Strict):
    login_failures: LoginFailurePolicy = LoginFailurePolicy()
    remote_access: RemoteAccessPolicy = RemoteAccessPolicy()
    export: ExportPolicy = ExportPolicy()
    query_baseline: QueryBaselinePolicy = QueryBaselinePolicy()
    correlation: CorrelationPolicy = CorrelationPolicy()

"""The parts of a data API of ``apis.yaml`` (R23): parameters, response fields, aggregates.

An API is query-backed (a parameterised query over a registered source database) or a proxy to
an upstream URL. It declares its parameters, the data element of every response field and the
scopes a token needs; the gateway's OpenAPI document is generated from these declarations.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

NAME = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ApiParam(_Strict):
    """One request parameter, bound to the query by name (never spliced into its text)."""

    name: str = Field(pattern=NAME)
    where: Literal["path", "query"] = "query"
    type: Literal["string", "integer"] = "string"
    required: bool = True
    pattern: str | None = None  # a regular expression the value must match
    maximum: int | None = None  # for integers
    default: int | str | None = None  # taken when an optional parameter is not given
    patient: bool = False  # the value identifies the one patient of the call


class ApiField(_Strict):
    """One field of each returned record and the data element it holds ('' for none)."""

    name: str = Field(pattern=NAME)
    element: str = ""
    type: Literal["string", "integer", "number", "boolean"] = "string"
    zh: str = ""


class ApiAggregate(_Strict):
    """Aggregate-only release (R22): statistics of ``measures`` per group of ``group_by``."""

    group_by: tuple[str, ...] = ()
    measures: tuple[str, ...] = Field(min_length=1)


class GatewayAnomalies(_Strict):
    """``audit.yaml`` ``gateway:``: when a valid token's allowed calls raise an anomaly alert.

    Off-hours use is judged by ``logs.remote_access`` (working hours, days and time zone): the
    one definition of the institution's working time."""

    window_seconds: int = Field(default=3600, ge=1)  # patients are counted per token and window
    max_patients: int = Field(default=200, ge=1)  # distinct patients a token may touch in it
    off_hours: bool = True  # alert on calls outside the working hours
    address_window_seconds: int = Field(default=600, ge=1)  # a second address within it alerts

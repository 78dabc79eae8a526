"""The one error tree of medshield.

Every error that crosses a package boundary is a ``MedshieldError``. Each class has a stable
``code`` (shown to users as ``error[CODE]``, used in the ledger and in API responses) and the HTTP
status the gateway answers with. ``where`` names the place of the problem: a file and line, a
table and column, a record number.

    MedshieldError                      MS000  500
    ├── ConfigError                     MS100  500  settings, environment
    ├── PolicyError                     MS200  422  policy bundle: malformed, invalid, unknown names
    │   └── PolicyReferenceError        MS201  422  a name in the policy that does not exist
    ├── InputError                      MS300  400  bad user input: arguments, files, values
    │   └── UnknownNameError            MS301  404  an element, level, source or rule not known
    ├── StoreError                      MS400  503  the platform store or a source database
    │   └── ServiceUnavailableError     MS401  503  a required server is down
    ├── LedgerError                     MS500  500  the ledger
    │   ├── LedgerIntegrityError        MS501  409  the chain or a checkpoint does not verify
    │   ├── SensitivePayloadError       MS502  422  an event carries a raw identifier
    │   └── NoReplicaError              MS603  409  a recovery drill with no replica configured
    ├── AccessDeniedError               MS600  403  a decision said no (fail closed)
    │   ├── MaskingRefusedError         MS601  403  the masking gate refused the context
    │   └── ColumnAboveRoleError        MS602  403  a column graded above the role, policy: refuse
    ├── MaskingError                    MS700  422  masking could not be applied or verified
    │   ├── ReleaseRefusedError         MS701  409  k-anonymity or residual check failed
    │   └── InconsistentReleaseError    MS702  409  joins or per-patient dates would break
    └── ClassificationError             MS800  422  scanning or grading failed
"""

from __future__ import annotations

from typing import ClassVar


class MedshieldError(Exception):
    """Root of every medshield error: a stable code, an HTTP status and a place."""

    code: ClassVar[str] = "MS000"
    http_status: ClassVar[int] = 500

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def render(self) -> str:
        """``error[CODE]: message (where)`` as the CLI prints it."""
        place = f" ({self.where})" if self.where else ""
        return f"error[{self.code}]: {self.message}{place}"

    def to_dict(self) -> dict[str, str | int | None]:
        return {
            "code": self.code,
            "status": self.http_status,
            "message": self.message,
            "where": self.where,
        }


class ConfigError(MedshieldError):
    code = "MS100"


class PolicyError(MedshieldError):
    code = "MS200"
    http_status = 422


class PolicyReferenceError(PolicyError):
    code = "MS201"


class InputError(MedshieldError):
    code = "MS300"
    http_status = 400


class UnknownNameError(InputError):
    code = "MS301"
    http_status = 404


class StoreError(MedshieldError):
    code = "MS400"
    http_status = 503


class ServiceUnavailableError(StoreError):
    code = "MS401"


class LedgerError(MedshieldError):
    code = "MS500"


class LedgerIntegrityError(LedgerError):
    code = "MS501"
    http_status = 409


class SensitivePayloadError(LedgerError):
    code = "MS502"
    http_status = 422


class NoReplicaError(LedgerError):
    code = "MS603"
    http_status = 409


class AccessDeniedError(MedshieldError):
    code = "MS600"
    http_status = 403


class MaskingRefusedError(AccessDeniedError):
    code = "MS601"


class ColumnAboveRoleError(AccessDeniedError):
    code = "MS602"


class MaskingError(MedshieldError):
    code = "MS700"
    http_status = 422


class ReleaseRefusedError(MaskingError):
    code = "MS701"
    http_status = 409


class InconsistentReleaseError(MaskingError):
    code = "MS702"
    http_status = 409


class ClassificationError(MedshieldError):
    code = "MS800"
    http_status = 422

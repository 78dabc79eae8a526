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
    │   ├── UnknownNameError            MS301  404  an element, level, source or rule not known
    │   ├── FileAccessError             MS302  400  a file missing, unreadable, or a folder
    │   ├── FileFormatError             MS303  400  a file not in its format: bad CSV, not Parquet
    │   ├── DatabaseUrlError            MS304  400  a malformed database URL, a missing SQLite file
    │   └── FileTooLargeError           MS305  413  a file read whole is over the size limit
    ├── StoreError                      MS400  503  the platform store or a source database
    │   ├── ServiceUnavailableError     MS401  503  a required server is down
    │   ├── StoreCorruptError           MS402  503  the file is not a database, or is damaged
    │   ├── StoreReadOnlyError          MS403  503  the store cannot be written
    │   ├── StoreSchemaError            MS404  503  the store's schema version is not this one's
    │   ├── StoreAuthError              MS405  503  the database refused the credentials
    │   └── StoreTimeoutError           MS406  503  the database did not answer in time
    ├── LedgerError                     MS500  500  the ledger
    │   ├── LedgerIntegrityError        MS501  409  the chain or a checkpoint does not verify
    │   ├── SensitivePayloadError       MS502  422  an event carries a raw identifier
    │   ├── LedgerMissingError          MS503  404  no ledger in the store a read was asked of
    │   └── NoReplicaError              MS603  409  a recovery drill with no replica configured
    ├── AccessDeniedError               MS600  403  a decision said no (fail closed)
    │   ├── MaskingRefusedError         MS601  403  the masking gate refused the context
    │   ├── ColumnAboveRoleError        MS602  403  a column graded above the role, policy: refuse
    │   ├── AuthenticationError         MS610  401  gateway: no, forged, expired or revoked token
    │   ├── SignatureError              MS611  401  gateway: a required request signature is wrong
    │   ├── SourceAddressError          MS612  403  gateway: the caller's address is not allowed
    │   ├── LockedOutError              MS613  429  gateway: too many failed authentications
    │   ├── ScopeError                  MS614  403  gateway: the API is outside the token's scope
    │   ├── ConsentRequiredError        MS615  403  gateway: the patient has not authorised
    │   ├── ConsentCodeError            MS616  403  gateway: a wrong, used or expired SMS code
    │   ├── RateLimitedError            MS617  429  gateway: over the rate limit
    │   ├── NotFoundError               MS618  404  gateway: no such API, or nothing to show
    │   ├── ResponseBlockedError        MS619  502  gateway: the response failed its checks
    │   ├── NotCanaryError              MS983  403  gateway: the probe inbox is for canary tokens only
    │   ├── SignInError                 MS640  401  console: unknown member or wrong password
    │   ├── ConsoleRoleError            MS641  403  console: the member's roles may not open the page
    │   └── CsrfError                   MS642  403  console: a form without its session's CSRF token
    ├── MaskingError                    MS700  422  masking could not be applied or verified
    │   ├── ReleaseRefusedError         MS701  409  k-anonymity or residual check failed
    │   └── InconsistentReleaseError    MS702  409  joins or per-patient dates would break
    ├── ClassificationError             MS800  422  scanning or grading failed
    ├── AuditError                      MS900  422  SQL audit and the ad-hoc query service
    │   ├── QueryDeniedError            MS901  403  the audit's verdict on a statement is deny
    │   ├── QueryTimeoutError           MS902  408  a statement ran past its tier's time limit
    │   │   └── QueryKilledError        MS905  408  ... and the watchdog stopped it, not the server
    │   ├── UnknownDialectError         MS903  400  a SQL dialect or database kind not supported
    │   └── QueryFailedError            MS904  422  the source database refused the statement
    ├── LogSourceError                  MS910  422  a server log could not be read as its source
    │   ├── BinaryLineError             MS911  422  a log line that is not text (binary garbage)
    │   ├── TruncatedLineError          MS912  422  a log line cut short (fields missing)
    │   └── UnknownLineFormatError      MS913  422  a log line in no format the source knows
    ├── GovernanceError                 MS940  409  risk register, approvals, incidents
    │   ├── NotAuthorisedError          MS941  403  the actor's roles do not allow the admin action
    │   ├── ApprovalError               MS942  409  a step out of turn, a wrong role, a second vote
    │   ├── ApprovalExpiredError        MS943  409  the approval request has expired
    │   ├── PolicyNotApprovedError      MS944  409  a policy version that no approval made active
    │   ├── RiskRegisterError           MS945  422  unknown risk, bad score, proposal already decided
    │   └── IncidentError               MS946  409  unknown incident, plan or a closed incident
    ├── ShareError                      MS950  422  encrypted file packages
    │   ├── PackageFormatError          MS951  422  not a package, or a malformed one
    │   ├── PackageKeyError             MS952  403  wrong key: not a recipient of the package
    │   ├── PackageExpiredError         MS953  403  the package has expired
    │   ├── PackageTamperedError        MS954  422  a byte of the package was changed
    │   ├── RemovableMediaError         MS955  403  only encrypted packages go to removable media
    │   └── WatermarkError              MS956  422  no recipient's watermark can be shown
    ├── FederatedError                  MS960  500  federated statistics failed
    │   ├── TemplateRefusedError        MS961  403  a query outside the approved templates
    │   ├── NodeUnavailableError        MS962  503  a node is down or failed mid-query
    │   ├── PrivacyBudgetExhaustedError MS963  403  the requester's epsilon budget is spent
    │   ├── ApprovalMissingError        MS964  403  the owners or the committee have not approved
    │   └── ProtocolError               MS965  409  a malformed, replayed or mismatched message
    └── NotifyError                     MS980  500  alerting: channels, routes, acknowledgements
        ├── DeliveryError               MS981  503  a channel refused an alert or was unreachable
        │   └── SmsProviderError        MS620  502  an SMS provider refused a message or is down
        └── UnknownAlertError           MS982  404  no open alert has that sequence number
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


class FileAccessError(InputError):
    code = "MS302"


class FileFormatError(InputError):
    code = "MS303"


class DatabaseUrlError(InputError):
    code = "MS304"


class FileTooLargeError(InputError):
    code = "MS305"
    http_status = 413


class StoreError(MedshieldError):
    code = "MS400"
    http_status = 503


class ServiceUnavailableError(StoreError):
    code = "MS401"


class StoreCorruptError(StoreError):
    code = "MS402"


class StoreReadOnlyError(StoreError):
    code = "MS403"


class StoreSchemaError(StoreError):
    code = "MS404"


class StoreAuthError(StoreError):
    code = "MS405"


class StoreTimeoutError(StoreError):
    code = "MS406"


class LedgerError(MedshieldError):
    code = "MS500"


class LedgerIntegrityError(LedgerError):
    code = "MS501"
    http_status = 409


class SensitivePayloadError(LedgerError):
    code = "MS502"
    http_status = 422


class LedgerMissingError(LedgerError):
    code = "MS503"
    http_status = 404


class NoReplicaError(LedgerError):
    code = "MS603"
    http_status = 409


class AccessDeniedError(MedshieldError):
    code = "MS600"
    http_status = 403


class AuthenticationError(AccessDeniedError):
    code = "MS610"
    http_status = 401


class SignatureError(AccessDeniedError):
    code = "MS611"
    http_status = 401


class SourceAddressError(AccessDeniedError):
    code = "MS612"


class LockedOutError(AccessDeniedError):
    code = "MS613"
    http_status = 429


class ScopeError(AccessDeniedError):
    code = "MS614"


class ConsentRequiredError(AccessDeniedError):
    code = "MS615"


class ConsentCodeError(AccessDeniedError):
    code = "MS616"


class RateLimitedError(AccessDeniedError):
    code = "MS617"
    http_status = 429


class NotFoundError(AccessDeniedError):
    code = "MS618"
    http_status = 404


class ResponseBlockedError(AccessDeniedError):
    code = "MS619"
    http_status = 502


class NotCanaryError(AccessDeniedError):
    code = "MS983"


class MaskingRefusedError(AccessDeniedError):
    code = "MS601"


class ColumnAboveRoleError(AccessDeniedError):
    code = "MS602"


class SignInError(AccessDeniedError):
    code = "MS640"
    http_status = 401


class ConsoleRoleError(AccessDeniedError):
    code = "MS641"


class CsrfError(AccessDeniedError):
    code = "MS642"


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


class FederatedError(MedshieldError):
    code = "MS960"


class TemplateRefusedError(FederatedError):
    code = "MS961"
    http_status = 403


class NodeUnavailableError(FederatedError):
    code = "MS962"
    http_status = 503


class PrivacyBudgetExhaustedError(FederatedError):
    code = "MS963"
    http_status = 403


class ApprovalMissingError(FederatedError):
    code = "MS964"
    http_status = 403


class ProtocolError(FederatedError):
    code = "MS965"
    http_status = 409


class GovernanceError(MedshieldError):
    code = "MS940"
    http_status = 409


class NotAuthorisedError(GovernanceError):
    code = "MS941"
    http_status = 403


class ApprovalError(GovernanceError):
    code = "MS942"


class ApprovalExpiredError(GovernanceError):
    code = "MS943"


class PolicyNotApprovedError(GovernanceError):
    code = "MS944"


class RiskRegisterError(GovernanceError):
    code = "MS945"
    http_status = 422


class IncidentError(GovernanceError):
    code = "MS946"


class ShareError(MedshieldError):
    code = "MS950"
    http_status = 422


class PackageFormatError(ShareError):
    code = "MS951"


class PackageKeyError(ShareError):
    code = "MS952"
    http_status = 403


class PackageExpiredError(ShareError):
    code = "MS953"
    http_status = 403


class PackageTamperedError(ShareError):
    code = "MS954"


class RemovableMediaError(ShareError):
    code = "MS955"
    http_status = 403


class WatermarkError(ShareError):
    code = "MS956"


class AuditError(MedshieldError):
    code = "MS900"
    http_status = 422


class QueryDeniedError(AuditError):
    code = "MS901"
    http_status = 403


class QueryTimeoutError(AuditError):
    code = "MS902"
    http_status = 408


class UnknownDialectError(AuditError):
    code = "MS903"
    http_status = 400


class QueryFailedError(AuditError):
    code = "MS904"
    http_status = 422


class QueryKilledError(QueryTimeoutError):
    code = "MS905"
    http_status = 408


class LogSourceError(MedshieldError):
    code = "MS910"
    http_status = 422


class BinaryLineError(LogSourceError):
    code = "MS911"


class TruncatedLineError(LogSourceError):
    code = "MS912"


class UnknownLineFormatError(LogSourceError):
    code = "MS913"


class NotifyError(MedshieldError):
    code = "MS980"
    http_status = 500


class DeliveryError(NotifyError):
    code = "MS981"
    http_status = 503


class SmsProviderError(DeliveryError):
    """The SMS provider (Aliyun, Tencent Cloud) answered with an error or could not be reached."""

    code = "MS620"
    http_status = 502


class UnknownAlertError(NotifyError):
    code = "MS982"
    http_status = 404

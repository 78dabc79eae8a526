"""Data destruction with certificates: delete rows or shred their keys, verify, record (R15)."""

from medshield.destroy.certificate import Certificate, key_digest, record
from medshield.destroy.execute import destroy
from medshield.destroy.keys import PatientKeys
from medshield.destroy.retention import retention_rule
from medshield.destroy.selection import Selection, check_where

__all__ = [
    "Certificate",
    "PatientKeys",
    "Selection",
    "check_where",
    "destroy",
    "key_digest",
    "record",
    "retention_rule",
]

"""Encrypted file sharing (R4): packages sealed per recipient (X25519; AES-256-GCM or SM4-GCM),
an expiry, a per-recipient watermark (CSV and XLSX values, PDF pages), every open recorded, removable media
restricted to packages.

from medshield.share import pack_file, open_file, trace_file, export_to_media
"""

from medshield.share.keys import generate_keypair, load_private, load_public
from medshield.share.media import export_to_media
from medshield.share.package import Opened, describe, open_package, pack, read_header
from medshield.share.service import open_file, pack_file, trace_file
from medshield.share.watermark import Verdict, identify, mark_csv, score_candidates

__all__ = [
    "Opened",
    "Verdict",
    "describe",
    "export_to_media",
    "generate_keypair",
    "identify",
    "load_private",
    "load_public",
    "mark_csv",
    "open_file",
    "open_package",
    "pack",
    "pack_file",
    "read_header",
    "score_candidates",
    "trace_file",
]

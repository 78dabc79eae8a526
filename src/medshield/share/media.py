"""Export to removable media: only encrypted packages go (R4), a policy check the command enforces.

``share.removable_media_packages_only`` in the policy (on by default) makes ``export_to_media``
refuse any file that is not a well-formed, untampered package (RemovableMediaError, MS955). Each
export, allowed or refused, is a ``share.exported`` event.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from medshield.atomic import atomic_target
from medshield.datafiles import read_whole
from medshield.errors import RemovableMediaError, ShareError
from medshield.governance import authorize
from medshield.ledger import DataObject, Event, Ledger
from medshield.policy import PolicyBundle
from medshield.share.package import read_header


def export_to_media(
    ledger: Ledger, bundle: PolicyBundle, actor: str, source: Path, media: Path
) -> Path:
    authorize(ledger, bundle, actor, "share.export", target=source.name)
    data = read_whole(source) if source.is_file() else b""
    package = None
    try:
        package = str(read_header(data)[0]["package"])
    except ShareError as exc:
        if bundle.governance.share.removable_media_packages_only:
            ledger.append(Event(action="share.exported", actor=actor, outcome="deny",
                                object=DataObject(path=source.name), reasons=(exc.message,),
                                detail={"media": str(media)}))  # fmt: skip
            raise RemovableMediaError(
                f"only encrypted packages may go to removable media ({exc.message})",
                where=str(source),
            ) from None
    if not media.is_dir():
        raise RemovableMediaError("the media folder does not exist", where=str(media))
    target = media / source.name
    with atomic_target(target) as tmp:
        shutil.copyfile(source, tmp)
    ledger.append(Event(action="share.exported", actor=actor, outcome="allow",
                        object=DataObject(path=source.name),
                        detail={"media": str(media), "package": package}))  # fmt: skip
    return target

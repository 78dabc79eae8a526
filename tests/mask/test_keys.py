from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from medshield.errors import ConfigError
from medshield.mask.keys import KeyRing, key_ring_path, load_key_ring, save_key_ring


def test_created_0600_and_reloaded(tmp_path: Path) -> None:
    ring = load_key_ring(tmp_path)
    path = key_ring_path(tmp_path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert ring.active == "k1" and len(ring.keys["k1"]) == 32
    assert load_key_ring(tmp_path).keys == ring.keys


def test_rotation_keeps_old_keys(tmp_path: Path) -> None:
    ring = load_key_ring(tmp_path)
    ring.rotate("k2")
    save_key_ring(ring, tmp_path)
    again = load_key_ring(tmp_path)
    assert again.active == "k2" and set(again.keys) == {"k1", "k2"}
    with pytest.raises(ConfigError, match="already exists"):
        again.rotate("k1")


def test_malformed_ring_is_a_config_error(tmp_path: Path) -> None:
    path = key_ring_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text('{"active": "zz", "keys": {}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="active key"):
        load_key_ring(tmp_path)
    assert KeyRing().context().active_key is None


def test_key_ids_are_checked() -> None:
    ring = KeyRing()
    with pytest.raises(ConfigError, match="must be 1-32"):
        ring.rotate("bad id!")
    assert ring.rotate().startswith("k")

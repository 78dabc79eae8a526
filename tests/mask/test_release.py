from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medshield.errors import PolicyReferenceError
from medshield.mask.dictionary import starter_dictionary
from medshield.mask.release import release_context
from medshield.policy import default_bundle_path, load_bundle
from medshield.store.db import connect, upgrade


def test_release_context_has_keys_dictionary_and_fresh_ids(tmp_path: Path) -> None:
    bundle = load_bundle()
    one = release_context(bundle, home=tmp_path)
    two = release_context(bundle, home=tmp_path)
    assert one.active_key == "k1" and one.keys == two.keys
    assert one.extras["dictionary"] is starter_dictionary()
    assert one.release_id != two.release_id
    assert release_context(bundle, home=tmp_path, release_id="r-7").release_id == "r-7"


def test_a_pinned_batch_missing_from_the_store_names_the_policy_line(tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    shutil.copytree(default_bundle_path(), folder)
    masking = folder / "masking.yaml"
    text = masking.read_text(encoding="utf-8")
    masking.write_text(
        text.replace("dictionary_batch: null", "dictionary_batch: 7"), encoding="utf-8"
    )
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade(url)
    with pytest.raises(PolicyReferenceError, match="batch 7") as err:
        release_context(load_bundle(folder), home=tmp_path, store=connect(url))
    assert err.value.where is not None and err.value.where.endswith("masking.yaml:4")

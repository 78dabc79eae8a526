from __future__ import annotations

from pathlib import Path

from medshield.mask.dictionary import starter_dictionary
from medshield.mask.release import release_context
from medshield.policy import load_bundle


def test_release_context_has_keys_dictionary_and_fresh_ids(tmp_path: Path) -> None:
    bundle = load_bundle()
    one = release_context(bundle, home=tmp_path)
    two = release_context(bundle, home=tmp_path)
    assert one.active_key == "k1" and one.keys == two.keys
    assert one.extras["dictionary"] is starter_dictionary()
    assert one.release_id != two.release_id
    assert release_context(bundle, home=tmp_path, release_id="r-7").release_id == "r-7"

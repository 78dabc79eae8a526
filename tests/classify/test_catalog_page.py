"""Catalogue pages: every page, deep ones included, is the right slice of the ordered catalogue."""

from __future__ import annotations

import pytest
from tests.web.seed import add_catalogue

from medshield.classify.report import catalog_page
from medshield.errors import InputError
from medshield.store.db import connect, upgrade

FILTERS = [{}, {"level": "controlled"}, {"review_only": True}, {"table": "patient_1"},
           {"source": "hub", "element": "id_card"}, {"table": "no_such_table"}]  # fmt: skip


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "all")
@pytest.mark.parametrize("store_url", ["sqlite_url", "postgres_url"])
def test_pages_slice_the_ordered_catalogue(
    request: pytest.FixtureRequest, store_url: str, filters: dict[str, object]
) -> None:
    url = request.getfixturevalue(store_url)
    upgrade(url)
    store = connect(url)
    add_catalogue(store, tables=4, columns_per_table=7)  # pages of 3 straddle the tables
    everything, total = catalog_page(store, **filters, limit=1000)  # type: ignore[arg-type]
    assert len(everything) == total
    keys = [(r["table"], int(r["column"].removeprefix("col_").replace("id_no", "0")))
            for r in everything]  # fmt: skip
    assert keys == sorted(keys)  # tables by name, columns by position
    for offset in range(0, total + 4):
        page, counted = catalog_page(store, **filters, offset=offset, limit=3)  # type: ignore[arg-type]
        assert counted == total and page == everything[offset : offset + 3], offset
    store.dispose()


def test_counts_of_the_known_catalogue(sqlite_url: str) -> None:
    upgrade(sqlite_url)
    store = connect(sqlite_url)
    add_catalogue(store, tables=4, columns_per_table=7)
    assert catalog_page(store)[1] == 28
    assert catalog_page(store, level="controlled")[1] == 4  # id_no of each table
    assert catalog_page(store, review_only=True)[1] == 4  # col_3 of each table
    last, _ = catalog_page(store, offset=26, limit=50)
    assert [(r["table"], r["column"]) for r in last] == [("public.patient_3", "col_5"),
                                                          ("public.patient_3", "col_6")]  # fmt: skip
    with pytest.raises(InputError):
        catalog_page(store, offset=-1)
    store.dispose()

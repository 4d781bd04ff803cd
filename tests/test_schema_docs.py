"""The schema documentation and the Datasette metadata stay true to the live schema."""

import pytest
from storage_data import story_database

from storage.schema_docs import (
    DOCS_PATH,
    documented_columns,
    live_columns,
    live_schema,
    load_metadata,
    render_markdown,
)


def test_every_table_view_and_column_is_described_and_nothing_else():
    live = live_columns(live_schema())
    documented = documented_columns(load_metadata())
    undocumented = {t: sorted(set(cols) - set(documented.get(t, []))) for t, cols in live.items()}
    stale = {t: sorted(set(cols) - set(live.get(t, []))) for t, cols in documented.items()}
    assert {t: c for t, c in undocumented.items() if c} == {}, \
        "describe these in storage/datasette.json, then run python -m storage.schema_docs"
    assert {t: c for t, c in stale.items() if c} == {}, "these are gone from the schema"
    assert all(load_metadata()["tables"][t]["description"] for t in live)


def test_docs_schema_md_is_up_to_date():
    expected = render_markdown(live_schema(), load_metadata())
    assert DOCS_PATH.read_text(encoding="utf-8") == expected, \
        "docs/schema.md is out of date: run python -m storage.schema_docs"


@pytest.mark.parametrize(("name", "params", "expected"), [
    ("todays_stories", {"day": "2025-11-21"}, 2),
    ("outlet_coverage", {"source": "antaranews"}, 3),
    ("stories_by_term", {"term": "kemenham"}, 3),
])
def test_canned_queries_run_on_a_real_database(tmp_path, name, params, expected):
    db = story_database(tmp_path / "warta.db")
    rows = list(db.query(load_metadata()["queries"][name]["sql"], params))
    assert len(rows) == expected

"""The run ledger: runs, their per-source counts and errors, and what status reads."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from storage.database import open_database
from storage.runs import (
    finish_run,
    last_run_by_outcome,
    last_runs,
    recent_failures,
    record_error,
    running_runs,
    runs_since_new,
    start_run,
)


@pytest.fixture
def db(tmp_path):
    return open_database(tmp_path / "warta.db")


def test_a_run_is_recorded_from_start_to_finish(db):
    run_id = start_run(db, "warta crawl", ["antaranews", "kompas"], 4242)
    assert [r["id"] for r in running_runs(db)] == [run_id]
    finish_run(db, run_id, "partial",
               {"antaranews": {"discovered": 30, "fetched": 12, "new": 5, "failed": 1},
                "kompas": {"fetched": 3, "updated": 3}},
               {("antaranews", "share-links"): 40, ("kompas", "related"): 7},
               {"elapsed": 12.5, "item_scraped_count": 15})
    run = db["crawl_runs"].get(run_id)
    assert run["outcome"] == "partial" and run["finished_at"] and run["pid"] == 4242
    assert json.loads(run["sources"]) == ["antaranews", "kompas"]
    assert json.loads(run["stats"])["elapsed"] == 12.5
    counts = {r["source"]: r for r in db["crawl_run_sources"].rows}
    assert counts["antaranews"]["new"] == 5 and counts["antaranews"]["updated"] == 0
    assert counts["kompas"]["updated"] == 3
    rules = {(r["source"], r["rule"]): r["removed"] for r in db["crawl_run_rules"].rows}
    assert rules == {("antaranews", "share-links"): 40, ("kompas", "related"): 7}
    assert running_runs(db) == []
    (summary,) = last_runs(db)
    totals = (summary["fetched"], summary["new"], summary["updated"], summary["failed"])
    assert totals == (15, 5, 3, 1)


def test_times_in_a_runs_stats_are_stored_as_every_time_is(db):
    run_id = start_run(db, "warta crawl", ["kompas"], 4242)
    wib = timezone(timedelta(hours=7))
    finish_run(db, run_id, "ok", {}, {}, {"start_time": datetime(2025, 11, 20, 8, 30, 5, 123456, UTC),
                                          "finish_time": datetime(2025, 11, 20, 15, 31, tzinfo=wib),
                                          "reason": "finished"})
    stats = json.loads(db["crawl_runs"].get(run_id)["stats"])
    assert stats == {"start_time": "2025-11-20T08:30:05Z", "finish_time": "2025-11-20T08:31:00Z",
                     "reason": "finished"}


def test_finishing_again_replaces_the_counts(db):
    run_id = start_run(db, "warta crawl", ["a"], None)
    finish_run(db, run_id, "interrupted", {"a": {"new": 1}}, {}, {})
    finish_run(db, run_id, "ok", {"a": {"new": 2}}, {}, {})
    assert [r["new"] for r in db["crawl_run_sources"].rows] == [2]
    assert db["crawl_runs"].get(run_id)["outcome"] == "ok"


def test_bad_outcomes_counts_and_runs_are_refused(db):
    run_id = start_run(db, "warta crawl", ["a"], None)
    with pytest.raises(ValueError, match="outcome must be one of ok, partial"):
        finish_run(db, run_id, "great", {}, {}, {})
    with pytest.raises(ValueError, match="unknown count 'fetchd'"):
        finish_run(db, run_id, "ok", {"a": {"fetchd": 1}}, {}, {})
    with pytest.raises(ValueError, match="no run with id 99"):
        finish_run(db, 99, "ok", {}, {}, {})
    assert db["crawl_runs"].get(run_id)["outcome"] == "running"


def test_errors_and_what_status_reads(db):
    runs = []
    for outcome, new in [("ok", {"a": 2, "b": 1}), ("failed", {"a": 0, "b": 1}),
                         ("ok", {"a": 0, "b": 0})]:
        run_id = start_run(db, "warta crawl", ["a", "b"], None)
        finish_run(db, run_id, outcome, {s: {"new": n} for s, n in new.items()}, {}, {})
        runs.append(run_id)
    record_error(db, runs[1], "fetch", "timeout", url="https://a/1", source="a")
    record_error(db, runs[2], "fetch", "HTTP 503", url="https://a/2", source="a")
    record_error(db, runs[2], "feed", "not XML", url="https://b/rss", source="b",
                 detail="<html>")
    assert [r["id"] for r in last_runs(db, limit=2)] == [runs[2], runs[1]]
    assert last_runs(db)[0]["errors"] == 2
    by_outcome = last_run_by_outcome(db)
    assert by_outcome["ok"]["id"] == runs[2] and by_outcome["failed"]["id"] == runs[1]
    failures = {(r["source"], r["stage"]): r for r in recent_failures(db, "2000-01-01T00:00:00Z")}
    assert failures[("a", "fetch")]["count"] == 2
    assert failures[("a", "fetch")]["last_reason"] == "HTTP 503"
    assert failures[("b", "feed")]["count"] == 1
    assert recent_failures(db, "2999-01-01T00:00:00Z") == []
    quiet = {r["source"]: r for r in runs_since_new(db)}
    assert quiet["a"]["runs_without_new"] == 2 and quiet["a"]["last_new_run_id"] == runs[0]
    assert quiet["b"]["runs_without_new"] == 1 and quiet["b"]["last_new_run_id"] == runs[1]

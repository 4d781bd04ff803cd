"""Crawling the bundled newsroom over real HTTP on 127.0.0.x, in real `warta crawl`
processes: every article once, under its canonical URL, with faults recorded, and
nothing fetched again on the next run."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.urls import canonical_url
from storage.database import open_database
from storage.locks import LockHeld, file_lock


def crawl(config, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "warta", "crawl", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def rows(db_path, sql, *params):
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def article_paths(newsroom, gold) -> set[tuple[str, str]]:
    """(site, path?query) of every URL that serves a gold article."""
    site_of = {urlsplit(base).netloc: site for site, base in newsroom.base_urls.items()}
    paths = set()
    for record in gold:
        for url in [record["url"], *record["variants"], *record.get("pages", ())]:
            parts = urlsplit(url)
            paths.add(
                (site_of[parts.netloc], parts.path + (f"?{parts.query}" if parts.query else ""))
            )
    return paths


@pytest.fixture(scope="module")
def two_runs(newsroom, tmp_path_factory):
    """One crawl of the newsroom into a fresh database, then a second, unchanged one."""
    tmp = tmp_path_factory.mktemp("crawl")
    config = newsroom.write_config(tmp / "warta.toml", tmp / "warta.db", timeout=1.0)
    start = len(newsroom.requests)
    first = crawl(config)
    middle = len(newsroom.requests)
    second = crawl(config)
    gold = newsroom.gold_records()
    return {
        "db": tmp / "warta.db",
        "first": first,
        "second": second,
        "first_requests": list(newsroom.requests)[start:middle],
        "second_requests": list(newsroom.requests)[middle:],
        "gold": gold,
        "article_paths": article_paths(newsroom, gold),
        "faults": {f["kind"]: f for f in newsroom.faults()},
    }


def stored_gold(gold):
    return [g for g in gold if not g.get("slow")]  # the slow page times out by design


def test_every_article_is_stored_once_under_its_canonical_url(two_runs):
    assert two_runs["first"].returncode == 0, two_runs["first"].stderr[-2000:]
    urls = [r["url"] for r in rows(two_runs["db"], "SELECT url FROM articles")]
    assert len(urls) == len(set(urls))
    expected = {canonical_url(g["url"]) for g in stored_gold(two_runs["gold"])}
    assert set(urls) == expected


def test_variant_urls_lead_to_their_article(two_runs):
    by_url = {canonical_url(g["url"]): g for g in two_runs["gold"]}
    aliases = rows(
        two_runs["db"],
        "SELECT u.url AS alias, a.url FROM url_aliases u JOIN articles a ON a.id = u.article_id",
    )
    assert aliases, "tracking, AMP, mobile and search variants should be recorded"
    for row in aliases:
        gold = by_url[row["url"]]
        known = {canonical_url(u) for u in [gold["url"], *gold["variants"]]}
        assert canonical_url(row["alias"]) in known or row["alias"] in gold["variants"], row


def test_relevance_matches_the_gold_exactly(two_runs):
    gold = {canonical_url(g["url"]): g["relevant"] for g in two_runs["gold"]}
    stored = {
        r["url"]: bool(r["relevant"])
        for r in rows(two_runs["db"], "SELECT url, relevant FROM articles")
    }
    true_pos = sum(stored[u] and gold[u] for u in stored)
    precision = true_pos / max(1, sum(stored.values()))
    recall = true_pos / max(1, sum(gold[u] for u in stored))
    assert (precision, recall) == (1.0, 1.0), [u for u in stored if stored[u] != gold[u]]


def test_scores_and_matched_terms_are_stored(two_runs):
    relevant = rows(
        two_runs["db"], "SELECT relevance_score, matched_terms FROM articles WHERE relevant = 1"
    )
    assert relevant and all(
        r["relevance_score"] > 0 and json.loads(r["matched_terms"]) for r in relevant
    )


def test_document_frequencies_count_each_clustered_article_once(two_runs):
    """The crawl writes the frequencies once per batch of articles; they must equal a count
    over the stored articles' own terms."""
    db = two_runs["db"]
    language = "json_extract(s.features, '$.language')"
    counted = {(r["language"], r["term"]): r["df"] for r in rows(
        db, f"SELECT {language} AS language, j.key AS term, count(*) AS df FROM signatures s, "
            "json_each(s.features, '$.terms') j GROUP BY 1, 2")}
    assert len(counted) > 1000
    stored = rows(db, "SELECT language, term, df FROM cluster_terms")
    assert {(r["language"], r["term"]): r["df"] for r in stored} == counted
    documents = {r["language"]: r["documents"] for r in rows(db, "SELECT * FROM cluster_languages")}
    assert documents == {r["language"]: r["n"] for r in rows(
        db, f"SELECT {language} AS language, count(*) AS n FROM signatures s GROUP BY 1")}
    assert "id" in documents


def test_second_run_fetches_no_article_page(two_runs):
    assert two_runs["second"].returncode == 0, two_runs["second"].stderr[-2000:]
    slow = {urlsplit(f["url"]).path for f in two_runs["faults"].values() if f["kind"] == "slow"}
    pages = {
        (s, p) for s, p in two_runs["article_paths"] if p not in slow
    }  # it timed out: tried again
    article_fetches = [(s, p) for s, p, _ in two_runs["second_requests"] if (s, p) in pages]
    assert article_fetches == []
    first, second = [
        rows(
            two_runs["db"],
            "SELECT sum(fetched) AS fetched, sum(new) AS new, sum(skipped_seen) AS seen "
            "FROM crawl_run_sources WHERE run_id = ?",
            run["id"],
        )[0]
        for run in rows(two_runs["db"], "SELECT id FROM crawl_runs ORDER BY id")
    ]
    assert first["fetched"] >= len(stored_gold(two_runs["gold"]))
    assert second["fetched"] == 0 and second["new"] == 0 and second["seen"] >= first["fetched"]


def test_multi_page_article_is_stored_whole(two_runs):
    multi = [g for g in two_runs["gold"] if g.get("pages")]
    assert multi
    for gold in multi:
        (text,) = [
            r["text"]
            for r in rows(
                two_runs["db"],
                "SELECT text FROM articles WHERE url = ?",
                canonical_url(gold["url"]),
            )
        ]
        paragraphs = gold["text"].split("\n")
        assert paragraphs[0][:60] in text and paragraphs[-1][:60] in text


def test_windows_1252_page_is_decoded(two_runs):
    fault = two_runs["faults"]["windows_1252"]
    (gold,) = [
        g for g in two_runs["gold"] if canonical_url(g["url"]) == canonical_url(fault["url"])
    ]
    (text,) = [
        r["text"]
        for r in rows(
            two_runs["db"], "SELECT text FROM articles WHERE url = ?", canonical_url(fault["url"])
        )
    ]
    special = [p for p in gold["text"].split("\n") if any(c in p for c in "“”–é")]
    assert special and all(p in text for p in special)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("not_found", "HTTP 404"),
        ("server_error", "HTTP 500"),
        ("slow", "Timeout"),
        ("empty", "empty body"),
        ("broken_feed", "malformed XML"),
        ("not_html", "not an HTML page"),
    ],
)
def test_faults_are_recorded_with_a_reason(two_runs, kind, reason):
    fault = two_runs["faults"][kind]
    errors = rows(
        two_runs["db"],
        "SELECT reason, stage, run_id FROM errors WHERE url = ?",
        canonical_url(fault["url"], article=kind != "broken_feed"),
    )
    assert errors and any(reason.lower() in e["reason"].lower() for e in errors), errors


def test_search_results_are_read_through_not_followed(newsroom, tmp_path):
    config = newsroom.write_config(tmp_path / "warta.toml", tmp_path / "warta.db", timeout=1.0)
    asked = len(newsroom.requests)
    done = subprocess.run([sys.executable, "-m", "warta", "crawl", "--config", str(config),
                           "--source", "caritahu"], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    paths = [path for _, path, _ in newsroom.requests[asked:]]
    assert not [p for p in paths if p.startswith(("/klik", "/baca/"))]  # unwrapped, or skipped
    behind_clicks = {canonical_url(g["url"]) for g in newsroom.gold_records()
                     if any("/klik?url=" in v for v in g["variants"])}
    assert behind_clicks
    aliased = {r["url"] for r in rows(tmp_path / "warta.db", "SELECT a.url FROM url_aliases u "
                                                             "JOIN articles a ON a.id = u.article_id "
                                                             "WHERE u.url LIKE '%/klik?url=%'")}
    assert aliased == behind_clicks  # stored under their outlets, the click link an alias
    own_page = next(f for f in newsroom.faults() if f["kind"] == "search_own_page")
    errors = rows(tmp_path / "warta.db", "SELECT reason FROM errors WHERE url = ?",
                  own_page["listed_in"])
    assert not any("not to the articles" in e["reason"] for e in errors), errors  # a note only


def test_a_malformed_link_costs_its_item_only(two_runs):
    fault = two_runs["faults"]["malformed_link"]
    errors = rows(two_runs["db"], "SELECT reason FROM errors WHERE url = ?", fault["listed_in"])
    assert any("malformed link" in e["reason"] and fault["url"] in e["reason"] for e in errors)
    tempora = {canonical_url(g["url"]) for g in stored_gold(two_runs["gold"])
               if g["source"] == "tempora"}
    stored = {r["url"] for r in rows(two_runs["db"],
                                     "SELECT url FROM articles WHERE source = 'tempora'")}
    assert tempora and tempora <= stored


def test_robots_txt_is_obeyed_and_counted(two_runs):
    for _, path, _ in two_runs["first_requests"] + two_runs["second_requests"]:
        assert not path.startswith(("/cari/", "/admin/", "/cetak/")), path
    first = rows(two_runs["db"], "SELECT min(id) AS id FROM crawl_runs")[0]["id"]
    denied = rows(two_runs["db"], "SELECT source, robots_denied FROM crawl_run_sources "
                                  "WHERE run_id = ? AND robots_denied > 0", first)
    assert [r["source"] for r in denied] == ["suaradaerah"]  # its print page, listed in a feed


def test_run_ledger(two_runs):
    first = rows(two_runs["db"], "SELECT * FROM crawl_runs ORDER BY id")[0]
    assert first["outcome"] == "partial" and first["finished_at"]  # the faults make it partial
    assert first["command"].startswith("warta crawl --config ")  # run as python -m warta
    per_source = rows(
        two_runs["db"], "SELECT * FROM crawl_run_sources WHERE run_id = ?", first["id"]
    )
    assert sum(r["new"] for r in per_source) == len(
        [g for g in stored_gold(two_runs["gold"]) if g["relevant"]]
    )
    assert sum(r["irrelevant"] for r in per_source) == len(
        [g for g in stored_gold(two_runs["gold"]) if not g["relevant"]]
    )
    copies = len([g for g in stored_gold(two_runs["gold"]) if g["wire_of"] and g["relevant"]])
    assert sum(r["duplicates"] for r in per_source) == copies
    assert "run " in two_runs["first"].stdout and "total" in two_runs["first"].stdout


def test_oversized_pages_are_refused_and_recorded(newsroom, tmp_path):
    config = with_crawl_setting(
        newsroom.write_config(tmp_path / "warta.toml", tmp_path / "warta.db", timeout=1.0),
        "max_page_bytes",
        52_000,  # the newsroom's article pages weigh 47-56 KB: some pass, some do not
    )
    done = crawl(config)
    assert done.returncode == 0, done.stderr[-2000:]
    errors = rows(tmp_path / "warta.db", "SELECT reason FROM errors WHERE stage = 'fetch'")
    too_large = [e for e in errors if "too large" in e["reason"]]
    assert too_large, errors
    stored = rows(tmp_path / "warta.db", "SELECT count(*) AS n FROM articles")[0]["n"]
    assert stored < len(stored_gold(newsroom.gold_records()))  # refused pages are not stored


def with_crawl_setting(config, key: str, value):
    """``config`` with ``key`` of its [crawl] table set to ``value``."""
    lines = [
        line
        for line in config.read_text(encoding="utf-8").splitlines()
        if not line.startswith(f"{key} =")
    ]
    lines.insert(lines.index("[crawl]") + 1, f"{key} = {value}")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def per_source(db_path, run_index: int) -> dict[str, dict]:
    run_id = rows(db_path, "SELECT id FROM crawl_runs ORDER BY id")[run_index]["id"]
    return {
        r["source"]: r
        for r in rows(db_path, "SELECT * FROM crawl_run_sources WHERE run_id = ?", run_id)
    }


def test_per_source_page_cap_and_the_rest_next_run(newsroom, tmp_path):
    config = with_crawl_setting(
        newsroom.write_config(tmp_path / "warta.toml", tmp_path / "warta.db", timeout=1.0),
        "max_pages",
        3,
    )
    for _ in range(2):
        assert crawl(config).returncode == 0
    first, second = per_source(tmp_path / "warta.db", 0), per_source(tmp_path / "warta.db", 1)
    assert all(counts["fetched"] <= 3 for counts in first.values()), first
    assert all(c["skipped_cap"] > 0 for c in first.values() if c["discovered"] > 3), first
    assert all(c["skipped_cap"] + c["fetched"] <= c["discovered"] for c in first.values()), first
    assert (
        sum(c["new"] + c["irrelevant"] for c in second.values()) > 0
    )  # the next articles, not the same


def test_recheck_window_fetches_stored_articles_again_as_updates(newsroom, tmp_path):
    config = with_crawl_setting(  # every article is inside the window
        newsroom.write_config(tmp_path / "warta.toml", tmp_path / "warta.db", timeout=1.0),
        "recheck_hours",
        87_600,  # ten years, the most allowed
    )
    for _ in range(2):
        assert crawl(config).returncode == 0
    second = per_source(tmp_path / "warta.db", 1)
    assert sum(c["fetched"] for c in second.values()) > 0
    assert sum(c["new"] + c["updated"] for c in second.values()) == 0  # nothing changed
    assert sum(c["duplicates"] for c in second.values()) == 0  # copies are counted once
    urls = [r["url"] for r in rows(tmp_path / "warta.db", "SELECT url FROM articles")]
    assert len(urls) == len(set(urls))


def scrapy_crawl(config: Path, source: str) -> subprocess.CompletedProcess:
    """``scrapy crawl news -a source=SOURCE`` from the project root."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"source={source}",
         "-s", f"WARTA_CONFIG={config}", "-s", "LOG_LEVEL=WARNING"],
        cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, timeout=120,
        check=False,
    )


def test_scrapy_crawl_from_the_project_root_stores_the_same_articles(newsroom, tmp_path):
    config = newsroom.write_config(tmp_path / "warta.toml", tmp_path / "warta.db", timeout=1.0)
    done = scrapy_crawl(config, "tempora")
    assert done.returncode == 0, done.stderr[-2000:]
    stored = {r["url"] for r in rows(tmp_path / "warta.db", "SELECT url FROM articles")}
    expected = {
        canonical_url(g["url"]) for g in newsroom.gold_records() if g["source"] == "tempora"
    }
    assert stored == expected


def test_scrapy_crawl_does_not_start_while_another_crawl_holds_the_database(newsroom, tmp_path):
    config = newsroom.write_config(tmp_path / "warta.toml", tmp_path / "warta.db", timeout=1.0)
    asked = len(newsroom.requests)
    with file_lock(tmp_path / "warta.db"):  # what a running crawl holds
        done = scrapy_crawl(config, "tempora")
    assert done.returncode == LockHeld.exit_code
    assert "is in use by pid" in done.stderr and "Traceback" not in done.stderr
    assert len(newsroom.requests) == asked  # not one request


def test_scrapy_crawl_with_a_bad_config_says_what_is_wrong_in_one_line(tmp_path):
    config = tmp_path / "warta.toml"
    config.write_text('[[sources]]\nname = "x"\nfeeds = ["http://127.0.0.1:9/x.xml"]\n'
                      '[watch]\nterms = []\n', encoding="utf-8")
    done = scrapy_crawl(config, "x")
    assert done.returncode == 1
    assert "invalid configuration:" in done.stderr and "watch.terms" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_run_the_database_will_not_record_fails(newsroom, tmp_path):
    config = newsroom.write_config(tmp_path / "warta.toml", tmp_path / "warta.db", timeout=1.0)
    open_database(tmp_path / "warta.db").close()
    with sqlite3.connect(tmp_path / "warta.db") as conn:  # the database refuses the run's row
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON crawl_runs "
                     "BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END")
    done = subprocess.run([sys.executable, "-m", "warta", "crawl", "--config", str(config),
                           "--source", "caritahu"], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 1, done.stdout
    assert "run (not recorded): failed" in done.stdout
    assert "readonly database" in done.stdout + done.stderr
    assert rows(tmp_path / "warta.db", "SELECT count(*) AS n FROM articles") == [{"n": 0}]


def test_a_crawl_stopped_at_its_time_limit_exits_0_and_says_why(newsroom, tmp_path):
    config = newsroom.write_config(tmp_path / "warta.toml", tmp_path / "warta.db", timeout=1.0)
    paced = (config.read_text(encoding="utf-8").replace("delay = 0\n", "delay = 1.0\n")
             .replace("concurrency = 32\n", "concurrency = 2\n"))
    config.write_text(paced, encoding="utf-8")  # outlives a 6-second limit, stops soon after
    done = subprocess.run(
        [sys.executable, "-m", "warta", "crawl", "--config", str(config), "--time-limit", "0.1"],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "timeout (the time limit was reached)" in done.stdout
    (run,) = rows(tmp_path / "warta.db", "SELECT outcome FROM crawl_runs")
    assert run["outcome"] == "timeout"


def test_ctrl_c_while_a_crawl_starts_is_an_interrupted_run_not_a_failure(newsroom, tmp_path):
    from twisted.python.failure import Failure

    from crawler.runner import _failed_start
    from warta.config import load_config

    config = load_config(newsroom.write_config(tmp_path / "warta.toml", tmp_path / "warta.db"))
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt:
        result = _failed_start(config, ("nusa",), Failure())
    assert (result.outcome, result.reason) == ("interrupted", "stopped while starting")
    (run,) = rows(tmp_path / "warta.db", "SELECT id, outcome FROM crawl_runs")
    assert run["outcome"] == "interrupted"
    assert rows(tmp_path / "warta.db", "SELECT * FROM errors") == []

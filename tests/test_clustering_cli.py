"""`warta cluster`, `warta explain` and `warta evaluate` from the command line."""

from __future__ import annotations

import functools
import json

import pytest
from click.testing import CliRunner
from clustering_data import GOLD, WIRE_COPY, corpus, crawled, iso, store

from pipelines.clustering.batch import run_batch
from pipelines.clustering.clusterer import Clusterer
from pipelines.clustering.params import ClusterParams
from storage.database import open_database
from storage.locks import file_lock
from warta.cli import main
from warta.commands import stories


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def docs_file(tmp_path):
    path = tmp_path / "docs.jsonl"
    lines = [json.dumps({"id": d.key, "title": d.title, "text": d.text, "source": d.source,
                         "published": iso(d.published)}) for d in corpus()]
    lines[3:3] = ['{"id": "broken", "text": ', '{"id": "z" "text": "t"}', "[1, 2]", '{"id": "x", "text": 5}',
                  '{"id": "y", "text": "t", "published": "kemarin"}',
                  '{"id": "z", "text": "t", "published": " "}', '{"id": "cut',
                  '{"id": "e", "text": "t", "published": 1763600000}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def story_db(tmp_path):
    path = tmp_path / "warta.db"
    db = open_database(path)
    clusterer = Clusterer()
    for doc in crawled(corpus()):
        store(db, clusterer, doc)
    db.close()
    return path


def test_cluster_writes_one_line_per_article_and_reports_bad_lines(tmp_path, docs_file):
    out = tmp_path / "out.jsonl"
    result = run("cluster", "--input", docs_file, "--output", out)
    assert result.exit_code == 0, result.output
    for number, reason in [(4, "not valid JSON (Expecting value at the end of the line)"),
                           (10, "not valid JSON (Unterminated string starting at character 8)"),
                           (5, "not valid JSON (Expecting ',' delimiter at character 12)"),
                           (6, "expected a JSON object"), (7, "'text' must be a string"),
                           (8, "'published' is not an ISO-8601 time: 'kemarin'; clustered as"),
                           (11, "'published' is not an ISO-8601 time: 1763600000; clustered as")]:
        assert f"line {number}: {reason}" in result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    keys = [d.key for d in corpus()]
    assert [line["id"] for line in lines] == [*keys[:3], "y", "z", "e", *keys[3:]]
    assert "line 9" not in result.stderr  # a blank time is no time
    assert {"id", "cluster", "duplicate_of"} <= set(lines[0])
    by_id = {line["id"]: line for line in lines}
    assert by_id[WIRE_COPY.key]["duplicate_of"] == "k1-nusa"
    assert by_id["k3-kabar6"]["cluster"] == by_id["k1-nusa"]["cluster"]
    assert "5 bad lines" in result.stderr


def test_a_long_clustering_run_reports_its_progress(tmp_path, docs_file, monkeypatch):
    monkeypatch.setattr("warta.commands.stories.PROGRESS_SECONDS", 0.0)
    result = run("cluster", "--input", docs_file, "--output", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.output
    counts = [int(line.split()[1].replace(",", "")) for line in result.stderr.splitlines()
              if "articles clustered" in line]
    assert counts == list(range(1, len(corpus()) + 4))  # and the three undated lines


def test_cluster_needs_input_or_a_subcommand():
    result = run("cluster")
    assert result.exit_code == 2 and "--input" in result.output


def test_evaluate_prints_scores_against_the_gold(tmp_path, docs_file):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(
        json.dumps({"id": key, "event": event,
                    "wire_of": "k1-nusa" if key == WIRE_COPY.key else None}) + "\n"
        for key, event in GOLD.items()), encoding="utf-8")
    result = run("evaluate", "--input", docs_file, "--gold", gold)
    assert result.exit_code == 0, result.output
    assert "bcubed    precision 1.0000  recall 1.0000" in result.stdout
    assert "near-duplicate pairs: 1 found, 1 expected, 1 correct" in result.stdout
    figures = json.loads(run("evaluate", "--input", docs_file, "--gold", gold, "--json").stdout)
    assert figures["clusters"] == {"predicted": 8, "gold": 8}
    assert figures["pairwise"]["f1"] == 1.0
    assert "split over" not in result.stdout and "split" not in figures
    wrong = tmp_path / "wrong.jsonl"  # b1 said to be of the Cambodia event, m2 of another
    relabel = {**GOLD, "b1": "cambodia", "m2-detak": "other"}
    wrong.write_text("".join(json.dumps({"id": key, "event": event}) + "\n"
                             for key, event in relabel.items()), encoding="utf-8")
    result = run("evaluate", "--input", docs_file, "--gold", wrong, "--errors")
    assert "gold events split over several stories: 1\n  event cambodia: story" in result.stdout
    assert "stories holding several gold events: 1" in result.stdout
    figures = json.loads(run("evaluate", "--input", docs_file, "--gold", wrong, "--errors",
                             "--json").stdout)
    assert figures["split"][0]["event"] == "cambodia"
    assert sorted(map(sorted, figures["split"][0]["stories"].values())) == [
        ["b1"], ["k1-nusa", "k2-detak", "k3-kabar6", "k4-suaradaerah"]]
    assert figures["merged"][0]["events"] == {"myanmar": ["m1-nusa"], "other": ["m2-detak"]}


def test_explain_merge_and_split_on_a_stored_database(story_db):
    result = run("explain", "k2-detak", "--db", story_db)
    assert result.exit_code == 0, result.output
    assert "joined with score" in result.stdout and "names:" in result.stdout
    report = json.loads(run("explain", "k2-detak", "--db", story_db, "--json").stdout)
    story, other = report["cluster"], None
    db = open_database(story_db)
    other = db.execute("SELECT cluster_id FROM articles WHERE url = 'm1-nusa'").fetchone()[0]
    db.close()
    result = run("cluster", "merge", story, other, "--db", story_db)
    assert result.exit_code == 0
    assert f"story {other} merged into story {story}: story {story} holds both" in result.output
    merged = json.loads(run("explain", "m1-nusa", "--db", story_db, "--json").stdout)
    assert merged["cluster"] == story and merged["overrides"][0]["kind"] == "merge"
    assert merged["founded"] == [other]
    assert f"founded story {other}, since merged into this one" in \
        run("explain", "m1-nusa", "--db", story_db).stdout
    result = run("cluster", "split", "m1-nusa", "--db", story_db, "--note", "other event")
    assert result.exit_code == 0 and "is now story" in result.output
    alone = json.loads(run("explain", "m1-nusa", "--db", story_db, "--json").stdout)["cluster"]
    assert alone != story
    third = run("cluster", "merge", alone, other, "--db", story_db)  # `other` lives on in `story`
    assert f"story {other} (merged into story {story} before) merged into story {alone}" in \
        third.output


def test_corrections_use_the_database_named_before_the_subcommand(tmp_path, story_db,
                                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)  # no warta.toml here: without --db there is nothing to open
    config = tmp_path / "other.toml"
    config.write_text(f'database = "{story_db}"\n[watch]\nterms = ["HAM"]\n', encoding="utf-8")
    for article, options in (("m1-nusa", ["--db", story_db]), ("k2-detak", ["--config", config])):
        before = json.loads(run("explain", article, "--db", story_db, "--json").stdout)
        result = run("cluster", *options, "split", article)
        assert result.exit_code == 0, result.output
        after = json.loads(run("explain", article, "--db", story_db, "--json").stdout)
        assert after["cluster"] != before["cluster"]
    wrong = run("cluster", "--input", "docs.jsonl", "split", "m1-nusa")
    assert wrong.exit_code == 2 and "--input is not used by `cluster split`" in wrong.output


def test_corrections_wait_for_a_running_crawl(story_db):
    before = json.loads(run("explain", "m1-nusa", "--db", story_db, "--json").stdout)["cluster"]
    with file_lock(story_db):  # what a running crawl holds
        refused = run("cluster", "split", "m1-nusa", "--db", story_db)
        merge = run("cluster", "merge", before, before + 1, "--db", story_db, "--wait", "0.2")
    assert refused.exit_code == merge.exit_code == 75
    assert "corrected between crawls" in refused.output and "pid" in refused.output
    assert json.loads(run("explain", "m1-nusa", "--db", story_db, "--json").stdout)[
        "cluster"] == before  # untouched


def test_corrections_give_clear_errors(tmp_path, story_db):
    missing = run("cluster", "merge", "1", "2", "--db", tmp_path / "none.db")
    assert missing.exit_code == 1 and "no database" in missing.output
    unknown = run("explain", "no-such-article", "--db", story_db)
    assert unknown.exit_code == 1 and "no article" in unknown.output
    same = run("cluster", "merge", "7", "7", "--db", story_db)
    assert same.exit_code == 1 and "already one story" in same.output
    gone = run("cluster", "--input", tmp_path / "absent.jsonl")
    assert gone.exit_code == 1 and "cannot read" in gone.output


def test_odd_input_lines_are_read_or_reported_never_fatal(tmp_path):
    """A byte order mark, unpaired surrogate escapes and a publication time centuries ahead."""
    first, copy = corpus()[0], corpus()[0]
    lines = [
        {"id": "a", "title": first.title, "text": first.text, "published": iso(first.published)},
        {"id": "typo", "title": "Lain", "text": "Berita lain \ud800 sama sekali.",
         "published": "2205-11-20T01:00:00+07:00"},
        {"id": "b", "title": copy.title, "text": copy.text, "published": iso(copy.published)},
        {"id": "bad\udc00id", "text": "x"},
    ]
    source = tmp_path / "docs.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + "\n".join(json.dumps(line) for line in lines).encode())
    out = tmp_path / "out.jsonl"
    result = run("cluster", "--input", source, "--output", out)
    assert result.exit_code == 0, result.output
    by_id = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert set(by_id) == {"a", "typo", "b"}  # the first line is read despite the mark
    assert by_id["b"]["duplicate_of"] == "a"  # the 2205 article did not empty the window
    assert "line 2: 'published' '2205-11-20T01:00:00+07:00' is in the future" in result.stderr
    assert "line 4: 'id' holds an unpaired surrogate" in result.stderr
    assert "1 bad line\n" in result.stderr


def test_lines_no_reader_can_hold_and_times_before_any_news_are_reported(tmp_path):
    first = corpus()[0]
    lines = [
        "[" * 100_000 + "]" * 100_000,
        '{"id": 1' + "0" * 5000 + ', "text": "x"}',
        json.dumps({"id": "a", "title": first.title, "text": first.text,
                    "published": "1025-11-18T08:42:00+00:00"}),
        json.dumps({"id": "b", "title": first.title, "text": first.text,
                    "published": iso(first.published)}),
    ]
    source = tmp_path / "docs.jsonl"
    source.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("cluster", "--input", source, "--output", out)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "line 1: not an article: JSON nested too deeply to read (skipped)" in result.stderr
    assert "line 2: not an article: a number too long to read (skipped)" in result.stderr
    assert "line 3: 'published' '1025-11-18T08:42:00+00:00' is before 1900" in result.stderr
    by_id = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert by_id["a"]["duplicate_of"] == "b"  # undated now: the dated report heads the family


def test_a_file_that_is_no_json_lines_is_reported_in_a_few_lines(tmp_path):
    source = tmp_path / "warta.db"
    source.write_text("\n".join(f"not json {i}" for i in range(500)), encoding="utf-8")
    result = run("cluster", "--input", source)
    reported = [line for line in result.stderr.splitlines() if ": line " in line]
    assert len(reported) == 20 and "480 more lines with problems not shown" in result.stderr


def test_bytes_that_are_not_utf8_are_reported_and_the_article_kept(tmp_path):
    first = corpus()[0]
    good = json.dumps({"id": "a", "title": first.title, "text": first.text,
                       "published": iso(first.published)}, ensure_ascii=False).encode()
    latin1 = json.dumps({"id": "b", "title": first.title, "text": first.text + " Café.",
                         "published": iso(first.published)}, ensure_ascii=False).encode("latin-1")
    source = tmp_path / "docs.jsonl"
    source.write_bytes(good + b"\n" + latin1 + b"\n")
    out = tmp_path / "out.jsonl"
    result = run("cluster", "--input", source, "--output", out)
    assert result.exit_code == 0, result.output
    byte = latin1.index("é".encode("latin-1")) + 1
    assert f"line 2: not UTF-8 (byte {byte});" in result.stderr
    assert "(skipped)" not in result.stderr and "0 bad lines" in result.stderr
    by_id = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert by_id["b"]["duplicate_of"] == "a"


def test_an_input_with_no_readable_article_fails(tmp_path):
    source = tmp_path / "docs.jsonl"
    source.write_text("not json\n[1]\n", encoding="utf-8")
    result = run("cluster", "--input", source, "--output", tmp_path / "out.jsonl")
    assert result.exit_code == 1
    assert "0 articles, 0 stories, 0 copies, 2 bad lines" in result.stderr
    assert "no article could be read from" in result.output


def test_an_unwritable_output_fails_before_clustering(tmp_path, docs_file):
    result = run("cluster", "--input", docs_file, "--output", tmp_path / "no" / "out.jsonl")
    assert result.exit_code == 1 and "cannot write" in result.output
    assert "articles clustered" not in result.output and "stories" not in result.output


def test_evaluate_checks_the_gold_file(tmp_path, docs_file):
    keys = list(GOLD)
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join([
        json.dumps({"id": keys[0], "event": ["a"]}),
        json.dumps({"id": 1.0, "event": "e"}),
        json.dumps({"id": keys[1], "event": GOLD[keys[1]], "relevant": "false"}),
        *(json.dumps({"id": key, "event": event}) for key, event in GOLD.items()),
        json.dumps({"id": keys[2], "event": "other"}),
    ]), encoding="utf-8")
    result = run("evaluate", "--input", docs_file, "--gold", gold)
    assert result.exit_code == 0, result.output
    assert "line 1: 'event' must be a non-empty string" in result.stderr
    assert "line 2: 'id' must be a non-empty string" in result.stderr
    assert "line 3: 'relevant' must be true or false" in result.stderr
    assert f"line {len(GOLD) + 4}: id '{keys[2]}' already given" in result.stderr
    assert "bcubed    precision 1.0000  recall 1.0000" in result.stdout
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "nobody", "event": "e"}) + "\n", encoding="utf-8")
    unmatched = run("evaluate", "--input", docs_file, "--gold", other)
    assert unmatched.exit_code == 1 and "no article of" in unmatched.output


def test_evaluate_says_when_the_input_holds_only_part_of_the_gold(tmp_path, docs_file):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps({"id": key, "event": event}) + "\n"
                            for key, event in GOLD.items()), encoding="utf-8")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    nothing = run("evaluate", "--input", empty, "--gold", gold)
    assert nothing.exit_code == 1 and "nothing to score" in nothing.output
    part = tmp_path / "part.jsonl"
    part.write_text("".join(docs_file.read_text(encoding="utf-8").splitlines(keepends=True)[:2]),
                    encoding="utf-8")
    result = run("evaluate", "--input", part, "--gold", gold, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["missing"] == len(GOLD) - 2
    assert f"warning: {len(GOLD) - 2} relevant articles of {gold} are not in {part}" in result.stderr


def test_clustering_out_of_time_order_says_how_many_articles_came_too_late(tmp_path, monkeypatch):
    dated = sorted((d for d in corpus() if d.published), key=lambda d: d.published)
    later = {"id": "later", "title": "x", "text": "Berita lain sama sekali.", "source": "nusa",
             "published": iso(dated[-1].published + 10 * 86400)}
    lines = [json.dumps({"id": key, "title": d.title, "text": d.text, "source": d.source,
                         "published": iso(d.published)})
             for key, d in [(d.key, d) for d in dated]]
    again = [line.replace('"id": "', '"id": "again-', 1) for line in lines]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join([*lines, json.dumps(later), *again]) + "\n", encoding="utf-8")
    assert "left the story index" not in run("cluster", "--input", path).stderr
    # keeping one article beyond the time window, all the others leave when "later" comes
    monkeypatch.setattr(stories, "run_batch",
                        functools.partial(run_batch, params=ClusterParams(window_articles=1)))
    result = run("cluster", "--input", path)
    assert f"warta: {len(dated) - 1} articles came after others of their time had left the " \
           "story index" in result.stderr


def test_a_line_longer_than_any_article_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr("pipelines.clustering.batch.MAX_LINE_CHARS", 300)
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "Kemenham " * 10}) + "\n"
                    + json.dumps({"id": "b", "text": "Kemenham " * 100}) + "\n", encoding="utf-8")
    result = run("cluster", "--input", path)
    assert result.exit_code == 0, result.output
    assert "line 2: 0.0 million characters, more than an article's 0.0003 million" in result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a"]

"""The scheduler: jobs from the config, crawl processes under a lock and a budget,
restarts that run what was missed, graceful stops, logs with run ids.

Jobs are triggered directly, or a scheduler's stored run times are moved into the
past; no test waits for a schedule. Most crawls are ``tests/slow_crawl.py`` (the
real lock and ledger, a crawl as long as the test needs); one is a real
``warta crawl`` of the bundled newsroom.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

import scheduler
from storage.database import open_database
from storage.locks import file_lock
from storage.periods import WIB
from storage.runs import finish_run, start_run
from storage.scheduling import next_run_times
from warta.child_process import Children, ChildResult, run_child
from warta.config import ConfigError, load_config
from warta.digest.daily import digest_day
from warta.logs import setup_logging

SLOW_CRAWL = [sys.executable, str(Path(__file__).with_name("slow_crawl.py"))]
SERVE = ("import sys, scheduler; from warta.config import load_config; "
         "from warta.logs import setup_logging; setup_logging(None); "
         "scheduler.serve(load_config(sys.argv[1]), sys.argv[2], command=sys.argv[3:])")

CONFIG = """\
database = "{tmp}/warta.db"
[watch]
terms = ["Kemenham"]
[[sources]]
name = "nusa"
feeds = ["http://127.0.0.9:9/nusa.xml"]
group = "fast"
[[sources]]
name = "kabar"
feeds = ["http://127.0.0.9:9/kabar.xml"]
group = "fast"
[[sources]]
name = "lambat"
feeds = ["http://127.0.0.9:9/lambat.xml"]
[schedule]
log_file = "{tmp}/logs/warta.log"
misfire_grace_seconds = 600
[[schedule.crawls]]
id = "fast"
groups = ["fast"]
interval_minutes = 30
budget_minutes = 5
[[schedule.crawls]]
id = "everything"
cron = "0 */6 * * *"
[digest]
out_dir = "{tmp}/digests"
"""


@pytest.fixture
def setup(tmp_path):
    path = tmp_path / "warta.toml"
    path.write_text(CONFIG.format(tmp=tmp_path), encoding="utf-8")
    config = load_config(path)
    return config, tmp_path / "warta.scheduler.db"


@pytest.fixture
def root_logging():
    """Undo the handlers `warta schedule` installs on the root logger."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def job_runs(jobstore) -> list[dict]:
    """The job runs a scheduler recorded; empty while it has not set up its store."""
    return _rows(jobstore, "SELECT * FROM job_runs ORDER BY id")


def crawl_runs(database) -> list[dict]:
    """The crawl ledger; empty while the database is not there or not set up yet."""
    return _rows(database, "SELECT * FROM crawl_runs ORDER BY id")


def _rows(path, sql: str) -> list[dict]:
    if not Path(path).exists():
        return []
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute(sql)]
        except sqlite3.OperationalError:  # its tables are being created
            return []


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def crawl(config, jobstore, job_id="fast"):
    return scheduler.crawl_job(config.path, config.database, str(jobstore), job_id, SLOW_CRAWL)


# --- jobs from the config ---------------------------------------------------------------


def test_the_config_gives_crawl_digest_and_maintenance_jobs(setup):
    config, jobstore = setup
    specs = {spec.id: spec for spec in scheduler.plan_jobs(config, jobstore)}
    assert list(specs) == ["fast", "everything", "digest", "maintenance"]
    assert isinstance(specs["fast"].trigger, IntervalTrigger)
    assert specs["fast"].trigger.interval == timedelta(minutes=30)
    assert isinstance(specs["everything"].trigger, CronTrigger)
    assert str(specs["digest"].trigger.timezone) == "Asia/Jakarta"
    assert "hour='7'" in str(specs["digest"].trigger) and "minute='0'" in str(specs["digest"].trigger)
    assert specs["fast"].func == "scheduler:crawl_job"  # kept by name, never a lambda
    assert specs["fast"].kwargs["database"] == str(Path(config.database).resolve())
    assert scheduler.sources_of(config, config.schedule.crawls[0]) == ["nusa", "kabar"]
    assert scheduler.sources_of(config, config.schedule.crawls[1]) == []  # every source


@pytest.mark.parametrize(("change", "key"), [
    (('groups = ["fast"]', 'groups = ["nothing"]'), "schedule.crawls[0].groups"),
    (('cron = "0 */6 * * *"', 'cron = "every six hours"'), "schedule.crawls[1].cron"),
    (('cron = "0 */6 * * *"', 'cron = "0 0 30 2 *"'), "schedule.crawls[1].cron"),  # 30 February
    (("[schedule]", '[schedule]\ntimezone = "Mars/Olympus"'), "schedule.timezone"),
    (('id = "everything"', 'id = "digest"'), "schedule.crawls"),
    (('cron = "0 */6 * * *"', 'cron = "0 */6 * * *"\nbudget_minutes = 400'),
     "schedule.crawls[1].budget_minutes"),  # six hours between runs
    (('cron = "0 */6 * * *"', 'cron = "0 */6 * * *"\nbudget_minutes = 360'),
     "schedule.crawls[1].budget_minutes"),  # all of them: every other run would be skipped
])
def test_a_schedule_that_cannot_run_stops_with_the_key(setup, change, key):
    config, jobstore = setup
    path = Path(config.path)
    path.write_text(path.read_text().replace(*change), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        scheduler.plan_jobs(load_config(path), jobstore)
    assert error.value.key == key


def test_a_schedule_with_no_sources_is_refused(tmp_path):
    path = tmp_path / "warta.toml"
    path.write_text('[watch]\nterms = ["Kementerian HAM"]\n'
                    '[[schedule.crawls]]\nid = "all"\ninterval_minutes = 60\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        scheduler.plan_jobs(load_config(path), tmp_path / "jobs.db")
    assert error.value.key == "sources"


# --- crawl jobs, triggered directly -----------------------------------------------------


def test_a_crawl_job_runs_the_group_in_a_process_and_records_the_run(setup, monkeypatch):
    config, jobstore = setup
    monkeypatch.setenv("SLOW_CRAWL_SECONDS", "0.1")
    assert crawl(config, jobstore) == "ok"
    (run,) = crawl_runs(config.database)
    assert run["outcome"] == "ok"
    assert "--source nusa --source kabar" in run["command"] and "--time-limit 5" in run["command"]
    (job,) = job_runs(jobstore)
    assert (job["job_id"], job["outcome"], job["crawl_run_id"], job["pid"]) == \
        ("fast", "ok", run["id"], run["pid"])
    assert "new 2" in job["detail"]


def test_a_crawl_job_is_skipped_while_another_crawl_holds_the_database(setup):
    config, jobstore = setup
    with file_lock(config.database):
        assert crawl(config, jobstore) == "skipped"
    (job,) = job_runs(jobstore)
    assert f"pid {os.getpid()}" in job["detail"]
    assert not Path(config.database).exists() or crawl_runs(config.database) == []


def test_concurrent_crawl_jobs_never_crawl_at_once(setup, monkeypatch, tmp_path):
    config, jobstore = setup
    log = tmp_path / "crawls.log"
    monkeypatch.setenv("SLOW_CRAWL_SECONDS", "0.8")
    monkeypatch.setenv("SLOW_CRAWL_LOG", str(log))
    open_database(config.database).close()
    outcomes = []
    threads = [threading.Thread(target=lambda j=j: outcomes.append(crawl(config, jobstore, j)))
               for j in ("fast", "everything", "fast")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    spans = sorted(tuple(map(float, line.split()[:2])) for line in log.read_text().splitlines())
    assert len(spans) == outcomes.count("ok") >= 1
    assert outcomes.count("skipped") == 3 - len(spans)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert start >= end


def test_crawl_jobs_due_at_once_run_one_after_the_other(setup, monkeypatch, tmp_path):
    config, jobstore = setup
    path = Path(config.path)  # the second waits longer than the grace: it is no misfire
    path.write_text(path.read_text().replace("misfire_grace_seconds = 600",
                                             "misfire_grace_seconds = 1"), encoding="utf-8")
    config = load_config(path)
    log = tmp_path / "crawls.log"
    monkeypatch.setenv("SLOW_CRAWL_SECONDS", "2")
    monkeypatch.setenv("SLOW_CRAWL_LOG", str(log))
    running = scheduler.build_scheduler(config, jobstore, scheduler_class=BackgroundScheduler,
                                        command=SLOW_CRAWL)
    running.start(paused=True)
    now = datetime.now(running.timezone)
    for job_id in ("fast", "everything"):  # both come due this very moment
        running.modify_job(job_id, next_run_time=now)
    running.resume()
    try:
        runs = wait_for(lambda: len([r for r in job_runs(jobstore)
                                     if r["outcome"] not in ("running", "started")]) == 2
                        and job_runs(jobstore))
    finally:
        running.shutdown()
    assert {r["job_id"]: r["outcome"] for r in runs} == {"fast": "ok", "everything": "ok"}
    spans = sorted(tuple(map(float, line.split()[:2])) for line in log.read_text().splitlines())
    assert len(spans) == 2 and spans[1][0] >= spans[0][1]  # never at once


def test_a_crawl_past_its_budget_is_stopped_and_recorded_as_timeout(setup, monkeypatch):
    config, _ = setup
    monkeypatch.setenv("SLOW_CRAWL_SECONDS", "30")
    argv = [*SLOW_CRAWL, "crawl", "--config", config.path, "--db", config.database]
    since = "2000-01-01T00:00:00Z"
    result = run_child(argv, Children(), budget=0.5, grace=0.3, logger=logging.getLogger("t"))
    assert result.overran and not result.killed and result.elapsed < 10
    outcome, detail, extra = scheduler.crawl_outcome(config.database, result, since, 0.5)
    assert outcome == "timeout" and "budget" in detail
    (run,) = crawl_runs(config.database)
    assert run["outcome"] == "timeout" and json.loads(run["stats"])["sigint_received"] == 1
    assert extra["crawl_run_id"] == run["id"]


def test_a_crawl_that_stopped_at_its_time_limit_is_a_good_run(setup):
    config, _ = setup
    db = open_database(config.database)
    run_id = start_run(db, "warta crawl", ["nusa"], 4242)
    finish_run(db, run_id, "timeout", {"nusa": {"fetched": 5, "new": 5}}, {}, {})
    db.close()
    result = ChildResult(pid=4242, returncode=0, elapsed=300.0, overran=False, killed=False,
                         last_line="")
    outcome, detail, _ = scheduler.crawl_outcome(config.database, result, "2000-01-01T00:00:00Z", 5)
    assert outcome == "ok" and "stopped at its budget" in detail


def test_a_stuck_crawl_is_killed_and_its_run_closed(setup, monkeypatch):
    config, _ = setup
    monkeypatch.setenv("SLOW_CRAWL_SECONDS", "30")
    monkeypatch.setenv("SLOW_CRAWL_IGNORE_SIGINT", "1")
    argv = [*SLOW_CRAWL, "crawl", "--config", config.path, "--db", config.database]
    result = run_child(argv, Children(), budget=0.5, grace=0.3, logger=logging.getLogger("t"))
    assert result.killed and result.returncode == -signal.SIGKILL
    outcome, _, _ = scheduler.crawl_outcome(config.database, result, "2000-01-01T00:00:00Z", 0.5)
    assert outcome == "timeout"
    assert [r["outcome"] for r in crawl_runs(config.database)] == ["timeout"]


def test_a_crawl_killed_mid_run_is_closed_as_interrupted(setup, monkeypatch):
    config, jobstore = setup
    monkeypatch.setenv("SLOW_CRAWL_SECONDS", "30")
    outcome = []
    job = threading.Thread(target=lambda: outcome.append(crawl(config, jobstore)))
    job.start()
    run = wait_for(lambda: crawl_runs(config.database))[0]
    os.kill(run["pid"], signal.SIGKILL)
    job.join()
    assert outcome == ["interrupted"]
    assert crawl_runs(config.database)[0]["outcome"] == "interrupted"
    assert "SIGKILL" in job_runs(jobstore)[0]["detail"]


def test_a_run_left_running_by_a_killed_crawl_is_closed_by_the_next_crawl(setup, monkeypatch):
    config, jobstore = setup
    monkeypatch.setenv("SLOW_CRAWL_SECONDS", "0.1")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    db = open_database(config.database)
    stale = start_run(db, "warta crawl", ["nusa"], int(gone.stdout))
    reused = start_run(db, "warta crawl", ["nusa"], os.getpid())  # its pid given out again
    db.close()
    assert crawl(config, jobstore) == "ok"
    outcomes = {r["id"]: r["outcome"] for r in crawl_runs(config.database)}
    assert outcomes[stale] == outcomes[reused] == "interrupted"


# --- the digest and maintenance jobs ----------------------------------------------------


WEBHOOK_POSTS: list[dict] = []


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        WEBHOOK_POSTS.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format, *args):
        pass


def test_the_digest_job_delivers_the_day_and_records_it(setup):
    config, jobstore = setup
    open_database(config.database).close()
    due = scheduler.digest_due(load_config(config.path), datetime.now(WIB))
    written = Path(config.database).parent / "digests" / f"digest-{digest_day(due)}.md"
    # nowhere to send it to: the file is the digest, and the job is done
    assert scheduler.digest_job(config.path, config.database, str(jobstore)) == "ok"
    assert written.exists()
    first = job_runs(jobstore)[0]["detail"]
    assert f"file done ({written})" in first and "not sent: no [digest.smtp]" in first
    written.unlink()

    server = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    path = Path(config.path)
    path.write_text(path.read_text() + f'[digest.webhook]\nurl = "http://127.0.0.1:{server.server_port}/"\n')
    try:
        assert scheduler.digest_job(config.path, config.database, str(jobstore)) == "ok"
    finally:
        server.shutdown()
    assert len(WEBHOOK_POSTS) == 1
    assert "webhook done" in job_runs(jobstore)[1]["detail"]
    assert f"of {digest_day(due)}:" in job_runs(jobstore)[1]["detail"]
    assert written.exists()


@pytest.mark.parametrize(("wib", "day"), [
    ("2025-11-20T07:00", "2025-11-19"),  # on time
    ("2025-11-20T15:30", "2025-11-19"),  # run late, after noon: still the day it was due for
    ("2025-11-20T06:59", "2025-11-18"),  # before today's digest is due: yesterday's run
])
def test_a_late_digest_reports_the_day_it_was_due_for(setup, wib, day):
    config, _ = setup  # the digest is due daily at 07:00 in its time zone
    now = datetime.fromisoformat(wib).replace(tzinfo=WIB)
    assert digest_day(scheduler.digest_due(config, now)).isoformat() == day


@pytest.mark.parametrize(("wib", "day"), [
    ("2025-11-20T07:00", "2025-11-19"),  # a morning digest: the day before
    ("2025-11-20T00:30", "2025-11-19"),
    ("2025-11-20T18:00", "2025-11-20"),  # an evening digest: the day itself
])
def test_the_digest_reports_the_last_whole_day_in_the_morning(wib, day):
    moment = datetime.fromisoformat(wib).replace(tzinfo=WIB)
    assert digest_day(moment).isoformat() == day
    assert digest_day(moment.astimezone(UTC)).isoformat() == day


def test_maintenance_waits_for_the_crawl_lock_then_skips(setup, monkeypatch):
    config, jobstore = setup
    open_database(config.database).close()
    assert scheduler.maintenance_job(config.database, str(jobstore)) == "ok"
    assert all(step in job_runs(jobstore)[0]["detail"] for step in ("fts_optimize", "vacuum"))
    monkeypatch.setattr(scheduler, "MAINTENANCE_LOCK_WAIT", 0.3)
    with file_lock(config.database):
        assert scheduler.maintenance_job(config.database, str(jobstore)) == "skipped"


# --- restarts ---------------------------------------------------------------------------


def test_a_restarted_scheduler_runs_what_it_missed_and_records_what_is_too_late(setup, monkeypatch):
    config, jobstore = setup
    # "everything" runs daily 2-3 hours from now here: with the config's six-hourly cron, a
    # test run just after one of its fire times would rightly run it within the grace.
    path = Path(config.path)
    hour = (datetime.now(scheduler.schedule_timezone(config)) + timedelta(hours=3)).hour
    path.write_text(path.read_text().replace('cron = "0 */6 * * *"', f'cron = "0 {hour} * * *"'),
                    encoding="utf-8")
    config = load_config(path)
    monkeypatch.setenv("SLOW_CRAWL_SECONDS", "0.1")
    first = scheduler.build_scheduler(config, jobstore, scheduler_class=BackgroundScheduler,
                                      command=SLOW_CRAWL)
    first.start(paused=True)
    now = datetime.now(first.timezone)
    # The scheduler was down: "fast" came due 5 min ago (within the 10 min grace),
    # "everything" 2 hours ago (beyond it).
    first.modify_job("fast", next_run_time=now - timedelta(minutes=5))
    first.modify_job("everything", next_run_time=now - timedelta(hours=2))
    digest_next = first.get_job("digest").next_run_time
    first.shutdown()

    second = scheduler.build_scheduler(config, jobstore, scheduler_class=BackgroundScheduler,
                                       command=SLOW_CRAWL)
    second.start()
    try:
        runs = wait_for(lambda: len([r for r in job_runs(jobstore) if r["outcome"] != "running"]) == 2
                        and job_runs(jobstore))
    finally:
        second.shutdown()
    assert {r["job_id"]: r["outcome"] for r in runs} == {"fast": "ok", "everything": "missed"}
    times = next_run_times(jobstore)
    assert times["fast"] > now and times["everything"] > now
    assert times["digest"] == digest_next  # unchanged triggers keep their schedule
    assert len(crawl_runs(config.database)) == 1  # missed runs coalesce into one


def test_a_digest_due_while_the_scheduler_was_down_goes_out_when_it_starts(setup, monkeypatch):
    config, jobstore = setup
    open_database(config.database).close()
    first = scheduler.build_scheduler(config, jobstore, scheduler_class=BackgroundScheduler,
                                      command=SLOW_CRAWL)
    first.start(paused=True)
    now = datetime.now(first.timezone)
    first.modify_job("digest", next_run_time=now - timedelta(hours=5))  # beyond the grace
    for job_id in ("fast", "everything"):
        first.modify_job(job_id, next_run_time=now + timedelta(hours=1))
    first.shutdown()
    second = scheduler.build_scheduler(config, jobstore, scheduler_class=BackgroundScheduler,
                                       command=SLOW_CRAWL)
    second.start()
    try:
        runs = wait_for(lambda: [r for r in job_runs(jobstore)
                                 if r["job_id"] == "digest" and r["outcome"] != "running"])
    finally:
        second.shutdown()
    assert runs[0]["outcome"] != "missed"
    assert list(Path(config.digest.out_dir).glob("digest-*.md"))  # made, though none to send to


def test_a_job_removed_from_the_config_leaves_the_schedule(setup):
    config, jobstore = setup
    first = scheduler.build_scheduler(config, jobstore, scheduler_class=BackgroundScheduler)
    first.start(paused=True)
    first.shutdown()
    path = Path(config.path)
    text = path.read_text()
    path.write_text(text[:text.index("[[schedule.crawls]]\nid = \"everything\"")] +
                    text[text.index("[digest]"):], encoding="utf-8")
    second = scheduler.build_scheduler(load_config(path), jobstore, scheduler_class=BackgroundScheduler)
    second.start(paused=True)
    second.shutdown()
    assert set(next_run_times(jobstore)) == {"fast", "digest", "maintenance"}


def start_scheduler(config, jobstore, env, log):
    return subprocess.Popen([sys.executable, "-c", SERVE, config.path, str(jobstore), *SLOW_CRAWL],
                            env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)


def test_a_crawl_killed_with_its_scheduler_is_rerun_when_the_scheduler_restarts(setup, tmp_path):
    config, jobstore = setup
    with open(tmp_path / "scheduler.log", "ab") as log:
        first = start_scheduler(config, jobstore, {"SLOW_CRAWL_SECONDS": "60"}, log)
        run = wait_for(lambda: crawl_runs(config.database))[0]
        first.kill()  # power loss: the scheduler and its crawl die at once
        os.kill(run["pid"], signal.SIGKILL)
        first.wait()
        assert job_runs(jobstore)[0]["outcome"] == "running"

        second = start_scheduler(config, jobstore, {"SLOW_CRAWL_SECONDS": "0.1"}, log)
        try:
            wait_for(lambda: [r["outcome"] for r in job_runs(jobstore)] == ["interrupted", "ok"])
        finally:
            second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=60) == 0
    assert [r["outcome"] for r in crawl_runs(config.database)] == ["interrupted", "ok"]


def test_sigterm_lets_the_running_crawl_finish_its_article_and_record_itself(setup, tmp_path):
    config, jobstore = setup
    with open(tmp_path / "scheduler.log", "ab") as log:
        process = start_scheduler(config, jobstore, {"SLOW_CRAWL_SECONDS": "60"}, log)
        wait_for(lambda: crawl_runs(config.database))
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    (run,) = crawl_runs(config.database)
    assert run["outcome"] == "interrupted" and run["finished_at"]
    assert json.loads(run["stats"])["sigint_received"] == 1  # passed on once, not twice
    assert [r["outcome"] for r in job_runs(jobstore)] == ["interrupted"]
    assert "SIGTERM: stopping" in (tmp_path / "scheduler.log").read_text()


def test_two_schedulers_on_one_database_never_crawl_at_once(setup, tmp_path):
    config, _ = setup
    stores = [tmp_path / "a.scheduler.db", tmp_path / "b.scheduler.db"]
    open_database(config.database).close()
    with open(tmp_path / "scheduler.log", "ab") as log:
        processes = [start_scheduler(config, store, {"SLOW_CRAWL_SECONDS": "60"}, log)
                     for store in stores]
        try:
            # Whichever starts its crawl second finds the database in use.
            skipped = wait_for(lambda: [r for s in stores for r in job_runs(s) if r["outcome"] == "skipped"])
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
        codes = [p.wait(timeout=60) for p in processes]
    assert codes == [0, 0]
    (run,) = crawl_runs(config.database)
    assert run["outcome"] == "interrupted"
    assert f"in use by pid {run['pid']}" in skipped[0]["detail"]
    assert sorted(r["outcome"] for s in stores for r in job_runs(s)) == ["interrupted", "skipped"]


def test_a_second_scheduler_on_the_same_job_store_refuses_to_start(setup, root_logging):
    from click.testing import CliRunner

    from warta.cli import main

    config, jobstore = setup
    with file_lock(jobstore):
        result = CliRunner().invoke(main, ["schedule", "--config", config.path])
    assert result.exit_code == 1
    assert "another scheduler is running" in result.output and f"pid {os.getpid()}" in result.output


def test_a_log_file_that_cannot_be_written_is_a_clear_error(setup, root_logging):
    from click.testing import CliRunner

    from warta.cli import main

    config, _ = setup
    blocker = Path(config.path).parent / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    path = Path(config.path)
    path.write_text(path.read_text(encoding="utf-8").replace(
        config.schedule.log_file, f"{blocker}/warta.log"), encoding="utf-8")
    result = CliRunner().invoke(main, ["schedule", "--config", config.path])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"schedule.log_file {blocker}/warta.log: cannot write the log there" in result.output


# --- logs -------------------------------------------------------------------------------


def test_every_log_line_of_a_job_carries_its_run_id(setup, monkeypatch, tmp_path, root_logging):
    config, jobstore = setup
    monkeypatch.setenv("SLOW_CRAWL_SECONDS", "0.1")
    log_file = tmp_path / "logs" / "warta.log"
    setup_logging(log_file, json_lines=True)
    crawl(config, jobstore)
    crawl(config, jobstore)
    lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    relayed = [line for line in lines if line["logger"] == "warta.crawl"]
    assert {line["run_id"] for line in relayed} == {"fast#1", "fast#2"}
    assert any(line["message"] == "run 2: ok" and line["run_id"] == "fast#2" for line in relayed)


def test_text_log_lines_say_the_zone_of_their_time(tmp_path, root_logging):
    log_file = tmp_path / "warta.log"
    setup_logging(log_file)
    logging.getLogger("warta.test").warning("disk almost full")
    (line,) = log_file.read_text(encoding="utf-8").splitlines()
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d{4} WARNING ", line), line


# --- a real crawl -----------------------------------------------------------------------


def test_a_scheduled_real_crawl_of_the_newsroom(newsroom_config, tmp_path):
    config = load_config(newsroom_config)
    jobstore = tmp_path / "warta.scheduler.db"
    db = open_database(config.database)
    stale = start_run(db, "warta crawl", [], 2**22 + 12345)  # a pid no process has
    db.close()
    job_id = config.schedule.crawls[0].id
    outcome = scheduler.crawl_job(config.path, config.database, str(jobstore), job_id)
    assert outcome in ("ok", "partial")
    (job,) = job_runs(jobstore)
    runs = {r["id"]: r for r in crawl_runs(config.database)}
    assert runs[stale]["outcome"] == "interrupted"
    assert runs[job["crawl_run_id"]]["outcome"] == outcome
    new = int(job["detail"].split("new ")[1].split(",")[0])
    assert new > 0


def test_a_real_crawl_refuses_to_start_while_another_holds_the_database(newsroom_config):
    config = load_config(newsroom_config)
    with file_lock(config.database):
        result = subprocess.run([*scheduler.warta_command(), "crawl", "--config", str(newsroom_config)],
                                check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 75
    assert "in use by" in result.stderr and f"pid {os.getpid()}" in result.stderr


def test_a_crawls_warnings_and_errors_keep_their_level_in_the_schedulers_log(caplog):
    script = ("print('[     3s] discovered 12'); print('2026-11-22 10:00:00 [scrapy.core.scraper] "
              "ERROR: Error processing'); print('2026-11-22 10:00:01 [warta] WARNING: robots.txt "
              "unreadable'); print('Error: cannot crawl: the database is in use')")
    with caplog.at_level(logging.INFO, logger="t"):
        run_child([sys.executable, "-c", script], Children(), budget=30, grace=1,
                  logger=logging.getLogger("t"))
    levels = [(r.levelname, r.getMessage().split()[-1]) for r in caplog.records if r.name == "t"]
    assert levels == [("INFO", "12"), ("ERROR", "processing"), ("WARNING", "unreadable"),
                      ("ERROR", "use")]

"""A database holding one busy WIB day (2025-11-20) for the digest tests.

Stories on that day, by coverage:
- ``wide``: four outlets, all that day;
- ``release``: started by the ministry's press release at 12:30 WIB, picked up by
  three outlets, plus a regional site's wire copy of the wire agency's report;
- ``double``: two outlets, one of them with two reports;
- ``continuing``: first reported on 19 November, two outlets that day;
- ``script``: one outlet, a headline holding markup.
Plus ``old``, a story of 18 November only. Crawls that day: one ok run, one
partial run in which kabar6 had failed URLs and suaradaerah's feed failed; a
failure on another day must not show.
"""

from __future__ import annotations

from storage_data import add_story, article

from storage.articles import save_article, sync_sources
from storage.database import open_database, transaction
from storage.runs import finish_run, record_error, start_run

DAY = "2025-11-20"
OUTLETS = {"nusa": "Kantor Berita Nusa", "harian": "Harian Rakyat", "detak": "Detak Berita",
           "kabar6": "Kabar6", "suaradaerah": "Suara Daerah", "kemenham": "Kementerian HAM"}

_WIDE_TEXT = (
    "Jakarta (Nusa) - Menteri HAM Natalius Pigai bertemu Menteri Kehakiman Kamboja Chea "
    "Sovandara di Phnom Penh pada Kamis untuk membahas perlindungan korban penipuan daring.\n"
    "Kedua pihak sepakat membentuk mekanisme identifikasi korban bersama dalam waktu 30 hari.\n"
    "Pigai mengatakan 87 WNI masih berada di pusat penahanan imigrasi Phnom Penh.\n"
    "Cek Berita dan Artikel yang lain di Google News"
)


def _wib(day: str, hhmm: str) -> str:
    """A WIB wall-clock time on ``day`` as a stored UTC time."""
    hours, minutes = map(int, hhmm.split(":"))
    total = hours * 60 + minutes - 7 * 60
    if total < 0:
        previous = f"{day[:8]}{int(day[8:]) - 1:02d}"
        return f"{previous}T{(total + 1440) // 60:02d}:{total % 60:02d}:00Z"
    return f"{day}T{total // 60:02d}:{total % 60:02d}:00Z"


def report(source: str, slug: str, when: str, title: str, day: str = DAY, **fields) -> dict:
    return article(f"https://{source}.example/{slug}", source=source, site_name=OUTLETS[source],
                   published_at=_wib(day, when), fetched_at=_wib(day, when), title=title,
                   **fields)


def copy_of(db, original_id: int, record: dict) -> int:
    """Store ``record`` as a wire copy of article ``original_id``, in that article's story."""
    cluster_id = db.execute("SELECT cluster_id FROM articles WHERE id = ?",
                            [original_id]).fetchone()[0]
    with transaction(db):
        return save_article(db, {**record, "cluster_id": cluster_id,
                                 "duplicate_of": original_id, "similarity": 0.93}, None)


def run_crawl_on(db, day: str, hhmm: str, outcome: str, counts: dict) -> int:
    run_id = start_run(db, "crawl", list(counts), pid=None)
    db.execute("UPDATE crawl_runs SET started_at = ? WHERE id = ?", [_wib(day, hhmm), run_id])
    finish_run(db, run_id, outcome, counts, {}, {})
    return run_id


def digest_database(path):
    """The database described above; returns ``(db, story ids by name, article ids)``."""
    db = open_database(path)
    sync_sources(db, [(name, name == "kemenham") for name in OUTLETS])
    ids: dict[str, int] = {}
    ids["wide"] = add_story(db, "Pigai dan Menteri Kehakiman Kamboja sepakati mekanisme korban", [
        report("nusa", "w1", "09:10", "Pigai temui Menkeh Kamboja", text=_WIDE_TEXT,
               matched_terms=["Menteri HAM", "Natalius Pigai"]),
        report("harian", "w2", "10:00", "Indonesia-Kamboja bentuk mekanisme identifikasi korban",
               text=_WIDE_TEXT.replace("Jakarta (Nusa) - ", ""), matched_terms=["Menteri HAM"]),
        report("detak", "w3", "11:30", "87 WNI masih ditahan di Phnom Penh",
               matched_terms=["Natalius Pigai"]),
        report("kabar6", "w4", "12:45", "Menham bahas korban online scam di Kamboja",
               matched_terms=["Menham"]),
    ])
    ids["release"] = add_story(db, "KemenHAM dan KP2MI teken nota kesepahaman", [
        report("kemenham", "r0", "12:30", "Siaran Pers: KemenHAM dan KP2MI Tandatangani MoU",
               matched_terms=["KemenHAM"]),
        report("detak", "r1", "13:15", "Kemenham-KP2MI teken MoU pelindungan PMI"),
        report("nusa", "r2", "14:00", "KemenHAM dan KP2MI jalin kerja sama"),
        report("harian", "r3", "16:00", "Nota kesepahaman KemenHAM-KP2MI diteken"),
    ])
    nusa_release = db.execute("SELECT id FROM articles WHERE url = ?",
                              ["https://nusa.example/r2"]).fetchone()[0]
    copy_of(db, nusa_release, report("suaradaerah", "r2-copy", "19:00",
                                     "KemenHAM Gandeng KP2MI Lindungi Pekerja Migran"))
    ids["double"] = add_story(db, "Wamenham kunjungi Rutan Medan", [
        report("harian", "d1", "08:00", "Wamenham sidak Rutan Medan"),
        report("harian", "d2", "15:30", "Lima petugas rutan dinonaktifkan"),
        report("kabar6", "d3", "17:00", "Mugiyanto temukan pungli di rutan"),
    ])
    ids["continuing"] = add_story(db, "Desa Sadar HAM diresmikan di Sleman", [
        report("harian", "c0", "20:00", "Desa Sadar HAM diresmikan", day="2025-11-19"),
        report("detak", "c1", "07:15", "Sleman punya Desa Sadar HAM"),
        report("kabar6", "c2", "09:45", "Warga sambut Desa Sadar HAM"),
    ])
    ids["script"] = add_story(db, "<script>alert('x')</script> Menteri HAM & <b>Komnas</b>", [
        report("detak", "s1?a=1&b=<2>", "21:00", "<img src=x onerror=alert(1)> Menteri HAM"),
    ])
    ids["old"] = add_story(db, "Kunjungan lapas Nusakambangan", [
        report("nusa", "o1", "10:00", "Pigai kunjungi Nusakambangan", day="2025-11-18"),
    ])
    run_crawl_on(db, DAY, "06:00", "ok", {name: {"fetched": 5, "new": 2} for name in OUTLETS})
    partial = run_crawl_on(db, DAY, "12:00", "partial", {"kabar6": {"fetched": 4, "failed": 3},
                                                 "nusa": {"fetched": 6}})
    for n in range(3):
        record_error(db, partial, "fetch", "HTTP 503 Service Unavailable",
                     url=f"https://kabar6.example/p{n}", source="kabar6")
    record_error(db, partial, "feed", "feed timed out after 30s",
                 url="https://suaradaerah.example/rss", source="suaradaerah")
    other = run_crawl_on(db, "2025-11-21", "06:00", "failed", {"harian": {"failed": 9}})
    record_error(db, other, "fetch", "connection refused", source="harian")
    return db, ids

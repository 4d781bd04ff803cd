"""Real crawls of loopback sites whose article addresses answer with something other
than the article: an error page served as a success, a page of another article, a
login page redirected to (with or without a return address), a consent page. Nothing
of them is stored, and a stored article keeps its text."""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler
from test_crawl_listings import HTML, crawl, feed_of, listing

from crawler.items import ArticleItem
from crawler.redirects import redirect_wall, script_redirect
from pipelines.extraction.rules import load_rules
from pipelines.walls import WallPipeline, error_title, interstitial

RECHECK = "obey_robots = false\nrecheck_hours = 6"  # a new article is fetched again
_REPORT = ("Kementerian Hak Asasi Manusia (Kemenham) meninjau lembaga pemasyarakatan di Nabire "
           "pada Kamis dan menemukan kamar hunian yang jauh melebihi kapasitasnya. Kepala kantor "
           "wilayah menyebut 412 warga binaan menempati blok yang dibangun untuk 180 orang.")
_SOFT_404 = ("<div class='error'><h1>Halaman Tidak Ditemukan</h1><p>Maaf, halaman yang Anda cari "
             "tidak tersedia, telah dipindahkan, atau telah dihapus oleh redaksi.</p></div>")


def _page(title: str, body: str, head: str = "") -> bytes:
    return (f"<html><head><title>{title} - Situs</title>{head}</head><body><main>{body}"
            "</main></body></html>").encode()


def _article(title: str, *paragraphs: str) -> bytes:
    return _page(title, f"<article><h1>{title}</h1>"
                 + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article>")


def _rows(db) -> tuple[list, list, dict]:
    with db:
        articles = db.execute("SELECT url, title, text, revised_at FROM articles").fetchall()
        errors = db.execute("SELECT url, stage, reason FROM errors WHERE run_id = "
                            "(SELECT max(id) FROM crawl_runs)").fetchall()
        seen = dict(db.execute("SELECT url, status FROM seen_urls"))
    db.close()
    return articles, errors, seen


def test_an_error_page_served_as_a_success_is_gone_and_never_replaces_the_stored_article(
        serve, tmp_path):
    kept, removed = "/berita/d-7712345/kemenham-tinjau-lapas", "/berita/d-7712399/dihapus"
    error_page = lambda host: (200, HTML, _page("Halaman Tidak Ditemukan", _SOFT_404))
    pages = {"/rss.xml": listing(feed_of(kept, removed)), removed: error_page,
             kept: lambda host: (200, HTML, _article("Kemenham Tinjau Lapas Nabire", _REPORT))}
    base, _ = serve("127.0.0.48", pages)
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]', RECHECK)
    articles, errors, seen = _rows(db)
    assert done.returncode == 0
    assert [a[0] for a in articles] == [f"{base}{kept}"]
    assert [url for url, stage, reason in errors if stage == "fetch" and "error page" in reason] \
        == [f"{base}{removed}"]
    assert seen[f"{base}{removed}"] == "gone"

    pages[kept] = error_page  # the article is taken down; its address answers 200
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]', RECHECK)
    articles, errors, seen = _rows(db)
    assert done.returncode == 0
    assert articles == [(f"{base}{kept}", "Kemenham Tinjau Lapas Nabire", _REPORT, None)]
    assert f"{base}{kept}" in [url for url, stage, reason in errors
                               if stage == "fetch" and "error page" in reason]


_OTHER = ("Wakil Menteri Mugiyanto membuka festival film dokumenter di Yogyakarta yang menampilkan "
          "dua puluh karya sineas muda dari Papua, Aceh dan Nusa Tenggara Timur; Kemenham "
          "menyediakan beasiswa produksi bagi tiga pemenang.")


def test_another_page_at_a_stored_articles_address_is_refused_and_an_update_is_a_revision(
        serve, tmp_path):
    path = "/berita/kemenham-tinjau-lapas-nabire"
    pages = {"/rss.xml": listing(feed_of(path)),
             path: lambda host: (200, HTML, _article("Kemenham Tinjau Lapas Nabire", _REPORT))}
    base, _ = serve("127.0.0.50", pages)
    crawl(tmp_path, f'feeds = ["{base}/rss.xml"]', RECHECK)[1].close()
    pages[path] = lambda host: (200, HTML, _article("Festival Film HAM Dibuka", _OTHER))
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]', RECHECK)
    articles, errors, seen = _rows(db)
    assert done.returncode == 0
    assert articles == [(f"{base}{path}", "Kemenham Tinjau Lapas Nabire", _REPORT, None)]
    assert [(url, stage) for url, stage, _ in errors] == [(f"{base}{path}", "fetch")]
    assert "another text" in errors[0][2] and seen[f"{base}{path}"] == "stored"

    update = _REPORT.replace("412 warga binaan", "430 warga binaan") + \
        " Kemenham meminta pemerintah daerah menyiapkan lahan untuk blok baru."
    pages[path] = lambda host: (200, HTML, _article("Lapas Nabire Kelebihan Kapasitas", update))
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]', RECHECK)
    articles, errors, _ = _rows(db)
    assert done.returncode == 0 and errors == []
    (_, title, text, revised), = articles
    assert (title, text) == ("Lapas Nabire Kelebihan Kapasitas", update) and revised is not None


def test_a_consent_page_at_the_articles_address_is_not_stored_and_asked_for_again(
        serve, tmp_path):
    path = "/berita/d-7712400/kemenham-dorong-ruu-masyarakat-adat"
    head = ('<meta property="og:title" content="Kemenham Dorong RUU Masyarakat Adat Segera '
            'Disahkan">')
    consent = ("<div class='consent'><h2>Kami menghargai privasi Anda</h2><p>Situs dan mitra "
               "kami menggunakan kuki dan teknologi serupa untuk menyimpan dan mengakses "
               "informasi di perangkat Anda serta menampilkan iklan yang dipersonalisasi.</p>"
               "<p>Anda dapat mengubah pilihan kapan saja melalui tautan Pengaturan Privasi.</p>"
               "<button>Setuju</button></div>")
    base, requests = serve("127.0.0.49", {
        "/rss.xml": listing(feed_of(path)),
        path: lambda host: (200, HTML, _page("Kemenham Dorong RUU Masyarakat Adat", consent, head))})
    for _ in range(2):
        done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
        articles, errors, seen = _rows(db)
        assert done.returncode == 0 and articles == []
        assert [(url, stage) for url, stage, _ in errors] == [(f"{base}{path}", "fetch")]
        assert "consent or login" in errors[0][2] and seen[f"{base}{path}"] == "failed"
    assert requests[path] == 2


@pytest.mark.parametrize(("title", "site", "error"), [
    ("Halaman Tidak Ditemukan", None, True),
    ("Oops! Halaman tidak ditemukan | Kabar Nusa", "Kabar Nusa", True),
    ("404 Not Found", None, True),
    ("Error 404 - Artikel Tidak Tersedia", None, True),
    ("Pendaki Asal Bandung Tidak Ditemukan", None, False),  # news, not an error page
    ("404 Warga Mengungsi", None, False),
    ("Kemenham Tinjau Lapas Nabire", None, False),
])
def test_an_error_title_is_an_error_phrase_with_hardly_another_word(title, site, error):
    assert error_title(title, site, load_rules().walls) is error


@pytest.mark.parametrize(("text", "headlines", "wall"), [
    ("Kami menggunakan kuki untuk menampilkan iklan. Setuju?", ["Kemenham Dorong RUU Adat"], True),
    ("Kami menggunakan kuki untuk menampilkan iklan. Setuju?", [], True),
    ("Kominfo menyebut banyak situs menggunakan kuki tanpa persetujuan pengguna.",
     ["Kominfo Atur Kuki di Situs Berita"], False),  # a short report on cookies
    ("Kemenham meninjau lapas di Nabire.", ["Kemenham Tinjau Lapas"], False),
])
def test_an_interstitial_holds_a_consent_phrase_and_nothing_of_its_headline(text, headlines, wall):
    assert interstitial(text, headlines, load_rules().walls) is wall


def test_articles_redirected_to_a_login_page_without_a_return_address_are_not_stored(
        serve, tmp_path):
    locked = ["/eksklusif/read/2026/11/23/512323/investigasi-perekrut-pmi",
              "/eksklusif/read/2026/11/23/512324/laporan-khusus-tppo"]
    moved = {"/read/512325": "/read/512325/kemenham-terima-aduan-pekerja-migran",
             "/berita/kemenham-tinjau-lapas": "/berita/kemenham-tinjau-lapas-nabire"}
    login = _page("Masuk ke Akun", "<form><h1>Masuk ke Akun</h1><p>Masuk atau daftar untuk "
                  "membaca laporan eksklusif redaksi kami.</p><input name='email'></form>")
    pages = {"/rss.xml": listing(feed_of(*locked, *moved)),
             "/login": lambda host: (200, HTML, login),
             locked[0]: lambda host: (302, {"Location": f"http://{host}/login"}, b""),
             locked[1]: lambda host: (302, {"Location": "/login"}, b"")}
    for n, (old, new) in enumerate(moved.items()):
        pages[old] = lambda host, new=new: (302, {"Location": new}, b"")
        pages[new] = lambda host, n=n: (200, HTML, _article(f"Kemenham {n}", _REPORT + f" ({n})",
                                                               _OTHER.replace("dua", str(n))))
    base, requests = serve("127.0.0.51", pages)
    for run in (1, 2):
        done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
        articles, errors, seen = _rows(db)
        assert done.returncode == 0
        assert sorted(a[0] for a in articles) == sorted(f"{base}{p}" for p in moved.values())
        assert sorted(url for url, _, _ in errors) == [f"{base}{p}" for p in locked]
        assert {stage for _, stage, _ in errors} == {"fetch"}
        assert all(reason.startswith("redirected to /login, which keeps nothing of the article's "
                                     "address") for _, _, reason in errors)
        assert [seen[f"{base}{p}"] for p in locked] == ["refused", "refused"]
        assert [requests[p] for p in locked] == [run, run]  # tried again next run


_SITE = "https://www.contoh.id"
_READ = f"{_SITE}/read/2026/11/23/512323/investigasi-perekrut-pmi"


@pytest.mark.parametrize(("requested", "landed", "wall"), [
    (_READ, f"{_SITE}/login", True),
    (_READ, f"{_SITE}/akun/masuk-akun", True),
    (f"{_SITE}/berita/kemenham-tinjau-lapas.html", f"{_SITE}/masuk.html", True),
    (f"{_SITE}/berita/d-7712345/kemenham-tinjau-lapas", f"{_SITE}/berita", True),  # its section
    (_READ.replace("https", "http"), _READ, False),
    (_READ.replace("www.", "m."), _READ, False),
    (f"{_SITE}/amp/berita/kemenham-tinjau-lapas", f"{_SITE}/berita/kemenham-tinjau-lapas", False),
    (f"{_SITE}/read/512323", f"{_SITE}/read/512323/investigasi", False),
    (_READ, _READ.replace("investigasi-perekrut-pmi", "perekrut-pmi-ditangkap"), False),
    (f"{_SITE}/berita/lama", f"{_SITE}/berita/1", False),
    (f"{_SITE}/lama/2", f"{_SITE}/kemenham-terima-aduan-warga", False),
    # one script naming every page by its query
    (f"{_SITE}/index.php?id=7712", f"{_SITE}/index.php?page=login", True),
    (f"{_SITE}/index.php?id=7712", f"{_SITE}/index.php?id=7712&lang=id", False),
    (f"{_SITE}/index.php?id=7712", f"{_SITE}/index.php?page=read&id=7712", False),
    (f"{_SITE}/berita/kemenham-tinjau-lapas?utm_source=x", f"{_SITE}/berita/kemenham-tinjau-lapas", False),
])
def test_a_redirect_keeping_nothing_of_the_address_to_one_naming_no_article_is_a_wall(
        requested, landed, wall):
    assert (redirect_wall([requested], landed) is not None) is wall


@pytest.mark.parametrize(("page", "target"), [
    (b'<script>window.location.replace("/berita/1/baru")</script>', "/berita/1/baru"),
    (b"<script>location.href = 'https://a.id/b/2';</script>", "https://a.id/b/2"),
    (b'<script>document.location="/x/3"</script>', "/x/3"),
    (b'<script>window.location.assign( "/y/4" )</script>', "/y/4"),
    (b"<script>if (a) { x = location.pathname; }</script>", None),
    # an article page is longer: its scripts send nobody anywhere
    (b"<p>" + b"Kementerian HAM " * 2000 + b'</p><script>location.href="/lain"</script>', None),
    # a short article's button handlers and attributes, and an article of a few hundred words
    (b"<p>Kementerian HAM menerima aduan warga.</p><a onclick=\"location.href='/'\">Beranda</a>",
     None),
    (b'<div data-location="Jakarta">Jakarta</div>', None),
    (b"<p>" + b"Kementerian HAM menerima aduan warga. " * 20 + b"</p>"
     b'<script>function back() { window.location.href = "/"; }</script>', None),
])
def test_a_short_page_sending_the_browser_on_by_script_names_where(page, target):
    assert script_redirect(page) == target


@pytest.mark.parametrize(("prompt", "teaser"), [
    ("Konten ini khusus pelanggan. Berlangganan untuk membaca selengkapnya.", True),
    ("Sign in to read the full story.", True),
    ("Warga berharap pemerintah segera menindaklanjuti laporan itu.", False),
])
def test_an_articles_free_part_behind_a_subscription_is_stored_with_a_note(prompt, teaser):
    item = ArticleItem(url="https://a.id/berita/7", source="a", html="<html></html>",
                       fetched_at="2025-11-20T03:00:00Z", title="Kemenham Bantu Korban Penipuan",
                       text=f"Kemenham membantu korban penipuan kerja di Kamboja pulang. {prompt}",
                       status=200)
    stored = WallPipeline(get_crawler()).process_item(item)
    assert stored is item
    assert ("may be a teaser" in (item.extraction_note or "")) is teaser

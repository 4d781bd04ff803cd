"""A small hand-written corpus for the clustering tests.

Two confusable events of one week (the minister on scam victims held in Cambodia; the
deputy minister on scam victims returning from Myanmar), each reported by outlets in
their own words, one wire copy, one undated report, and background coverage of other
ministry events that shares the beat's vocabulary.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from pipelines.clustering.state import Doc
from storage.articles import save_article
from storage.clusters import apply_decision
from storage.database import transaction

FETCHED = "2025-11-22T00:00:00Z"
SEEN = datetime.fromisoformat(FETCHED).timestamp()

CAMBODIA = [
    Doc(
        key="k1-nusa", source="nusa", published=1763455320.0,  # 2025-11-18 08:42 UTC
        title="Menham minta Kamboja perlakukan WNI korban penipuan daring sebagai korban",
        text=(
            "Jakarta (Nusa) - Menteri Hak Asasi Manusia Natalius Pigai bertemu Menteri "
            "Kehakiman Kamboja Chea Sovandara di Phnom Penh, Selasa, untuk membahas nasib 87 "
            "warga negara Indonesia yang ditahan di pusat imigrasi setelah terjerat sindikat "
            "penipuan daring.\nPigai meminta agar para WNI itu diperlakukan sebagai korban "
            "perdagangan orang, bukan pelaku kejahatan. Menurut data kementerian, 1.243 WNI "
            "ditangani dalam kasus serupa sepanjang tahun ini, sebagian besar di Sihanoukville.\n"
            "Kedua menteri sepakat membentuk tim identifikasi korban bersama dalam 30 hari. "
            "Sovandara mengatakan pemerintahnya akan mempertimbangkan penghapusan denda izin "
            "tinggal bagi warga Indonesia yang terbukti menjadi korban."
        ),
    ),
    Doc(
        key="k2-detak", source="detakberita", published=1763458200.0,  # 09:30 UTC
        title="Kamboja Buka Peluang Hapus Denda 87 WNI Korban Online Scam",
        text=(
            "Jakarta - Pemerintah Kamboja membuka kemungkinan menghapus denda overstay bagi "
            "WNI korban online scam. Kabar itu datang dari Phnom Penh usai Menteri Kehakiman "
            "Chea Sovandara menerima kunjungan Menteri HAM Natalius Pigai.\n\"Mereka ini korban, "
            "bukan penjahat. Negara wajib hadir,\" tegas Pigai kepada wartawan. Ia menyebut 87 "
            "WNI masih mendekam di tahanan imigrasi Kamboja.\nTim gabungan untuk memverifikasi "
            "status korban dijadwalkan terbentuk paling lambat 30 hari ke depan. Sihanoukville "
            "disebut sebagai lokasi sebagian besar kompleks penipuan tempat para WNI bekerja."
        ),
    ),
    Doc(
        key="k3-kabar6", source="kabar6", published=None,
        title="Dari Phnom Penh, Pigai Perjuangkan Status Korban bagi WNI",
        text=(
            "Kabar6.com, Jakarta - Diplomasi Menteri HAM Natalius Pigai di Phnom Penh "
            "membuahkan komitmen: Kamboja berjanji menimbang penghapusan denda bagi WNI yang "
            "dipaksa bekerja di kompleks penipuan daring.\nDalam pertemuan dengan Chea "
            "Sovandara, Pigai menekankan prinsip non-punishment. Sebanyak 87 orang Indonesia "
            "kini ditahan imigrasi Kamboja, kebanyakan dari Sihanoukville.\nIdentifikasi korban "
            "akan dilakukan tim bersama kedua negara dalam waktu 30 hari, kata Pigai."
        ),
    ),
]

# A regional site republishes the wire story: new headline, the middle paragraph trimmed.
WIRE_COPY = Doc(
    key="k4-suaradaerah", source="suaradaerah", published=1763470000.0,
    title="Pigai Desak Kamboja Tak Pidanakan WNI Korban Online Scam",
    text=(
        "Jakarta (Nusa) - Menteri Hak Asasi Manusia Natalius Pigai bertemu Menteri "
        "Kehakiman Kamboja Chea Sovandara di Phnom Penh, Selasa, untuk membahas nasib 87 "
        "warga negara Indonesia yang ditahan di pusat imigrasi setelah terjerat sindikat "
        "penipuan daring.\nPigai meminta agar para WNI itu diperlakukan sebagai korban "
        "perdagangan orang, bukan pelaku kejahatan.\n"
        "Kedua menteri sepakat membentuk tim identifikasi korban bersama dalam 30 hari. "
        "Sovandara mengatakan pemerintahnya akan mempertimbangkan penghapusan denda izin "
        "tinggal bagi warga Indonesia yang terbukti menjadi korban."
    ),
)

MYANMAR = [
    Doc(
        key="m1-nusa", source="nusa", published=1763621400.0,  # 2025-11-20 06:50 UTC
        title="Wamenham bahas pemulangan 312 WNI korban penipuan di Myawaddy",
        text=(
            "Jakarta (Nusa) - Wakil Menteri HAM Mugiyanto membahas pemulangan 312 WNI korban "
            "penipuan daring dari Myawaddy, Myanmar, bersama otoritas Thailand di Bangkok, "
            "Kamis.\nPara korban akan diseberangkan lewat Mae Sot sebelum diterbangkan ke "
            "Jakarta. Mugiyanto meminta mereka diperlakukan sebagai korban perdagangan orang.\n"
            "Kloter pertama sebanyak 120 orang dijadwalkan tiba Senin, sementara sisanya "
            "menunggu pemeriksaan kesehatan di Tak."
        ),
    ),
    Doc(
        key="m2-detak", source="detakberita", published=1763625000.0,
        title="312 WNI dari Myawaddy Dipulangkan Bertahap lewat Mae Sot",
        text=(
            "Jakarta - Sebanyak 312 WNI yang terjebak di kompleks penipuan Myawaddy akan "
            "dipulangkan secara bertahap. Wamen HAM Mugiyanto menyampaikan hal itu usai "
            "bertemu pejabat Thailand di Bangkok.\nRombongan pertama, 120 orang, diperkirakan "
            "mendarat di Jakarta pada Senin. Mereka menyeberang dari Myanmar melalui Mae Sot.\n"
            "\"Status mereka korban TPPO,\" ujar Mugiyanto. Provinsi Tak menjadi tempat "
            "pemeriksaan kesehatan sebelum keberangkatan."
        ),
    ),
]

BACKGROUND = [
    Doc(key="b1", source="nusa", published=1763370000.0,
        title="Menham tinjau Lapas Karang Tengah di Nusakambangan",
        text=("Jakarta (Nusa) - Menteri HAM Natalius Pigai meninjau Lapas Karang Tengah di "
              "Nusakambangan, Cilacap, Senin. Kementerian HAM mencatat hunian lapas itu "
              "melebihi kapasitas hingga 180 persen. Pigai meminta pemenuhan hak warga binaan "
              "atas layanan kesehatan dan air bersih.")),
    Doc(key="b2", source="tempora", published=1763544600.0,
        title="Menanam HAM dari Desa Tembakau",
        text=("TEMPORA.CO, Jakarta - Kementerian HAM meluncurkan program Desa Sadar HAM di "
              "Temanggung, Jawa Tengah. Menteri HAM Natalius Pigai mengatakan hak asasi manusia "
              "harus terasa di balai desa. Sebanyak 24 kader paralegal dilatih menerima "
              "pengaduan warga.")),
    Doc(key="b3", source="kabar6", published=1763708700.0,
        title="Lumajang Raih Nilai Tertinggi Peduli HAM se-Jatim",
        text=("Kabar6.com, Jakarta - Kementerian HAM menganugerahkan predikat Kabupaten/Kota "
              "Peduli HAM kepada 21 daerah di Jawa Timur. Lumajang meraih nilai tertinggi "
              "berkat layanan keliling bagi penyandang disabilitas, kata Menteri HAM Natalius "
              "Pigai.")),
    Doc(key="b4", source="harianrakyat", published=1763625600.0,
        title="Kemenham dan KP2MI Teken Nota Kesepahaman Pelindungan Pekerja Migran",
        text=("JAKARTA, RAKYAT - Kementerian HAM dan Kementerian Pelindungan Pekerja Migran "
              "Indonesia menandatangani nota kesepahaman tentang pelindungan hak pekerja "
              "migran. Menteri HAM Natalius Pigai menyebut korban penempatan ilegal harus "
              "diperlakukan sebagai korban.")),
    Doc(key="b5", source="nusa", published=1763537400.0,
        title="Kemenham mediasi sengketa lahan marga Mbaraka di Merauke",
        text=("Jakarta (Nusa) - Kementerian HAM memediasi sengketa lahan antara marga Mbaraka "
              "dan perusahaan lumbung pangan di Merauke, Papua Selatan. Wakil Menteri HAM "
              "Mugiyanto meminta hak masyarakat adat atas tanah ulayat dihormati.")),
    Doc(key="b6", source="detakberita", published=1763713800.0,
        title="Pigai Paparkan Satu Data HAM di Komisi XIII DPR",
        text=("Jakarta - Menteri HAM Natalius Pigai memaparkan program Satu Data HAM dan "
              "anggaran 2026 dalam rapat kerja dengan Komisi XIII DPR. Kementerian HAM meminta "
              "tambahan anggaran untuk layanan pengaduan korban pelanggaran hak asasi manusia.")),
]


def corpus() -> list[Doc]:
    """Background first, then both events interleaved, the wire copy, the undated report."""
    c1, c2, c3 = CAMBODIA
    m1, m2 = MYANMAR
    return [*BACKGROUND, c1, m1, c2, WIRE_COPY, m2, c3]


GOLD = {**{d.key: d.key for d in BACKGROUND},
        **{d.key: "cambodia" for d in [*CAMBODIA, WIRE_COPY]},
        **{d.key: "myanmar" for d in MYANMAR}}


def iso(epoch: float | None) -> str | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def crawled(docs: list[Doc]) -> list[Doc]:
    """The docs as a crawl sees them: with their fetch time."""
    return [dataclasses.replace(doc, seen=SEEN) for doc in docs]


def store(db, clusterer, doc: Doc):
    """What a crawl does with one article: decide, then write the article and the
    decision in one transaction. Returns the decision."""
    decision = clusterer.assign(doc)
    record = {"url": doc.key, "source": doc.source or "unknown", "fetched_at": FETCHED,
              "title": doc.title, "text": doc.text, "published_at": iso(doc.published),
              "relevant": True, "cluster_id": decision.cluster_id,
              "text_hash": decision.text_hash, "cluster_score": decision.score}
    with transaction(db):
        article_id = save_article(db, record, None)
        # an undated article counts from when it was stored: when fetched, as in a crawl
        db.execute("UPDATE articles SET stored_at = fetched_at WHERE id = ? AND published_at IS NULL",
                   (article_id,))
        apply_decision(db, article_id, decision.to_record())
    return decision

"""Extraction quality on real pages (../shared/realpages) and on the newsroom's gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.extraction.evaluation import line_score, newsroom_pages, ngram_scores
from pipelines.extraction.extract import extract_page

REALPAGES = Path(__file__).resolve().parents[2] / "shared" / "realpages"
needs_realpages = pytest.mark.skipif(
    not (REALPAGES / "expected.json").exists(), reason=f"no real pages at {REALPAGES}"
)


@needs_realpages
def test_realpages_word_4gram_f1():
    expected = json.loads((REALPAGES / "expected.json").read_text(encoding="utf-8"))
    scores = [ngram_scores(extract_page((REALPAGES / name).read_bytes()).text, text)
              for name, text in expected.items()]
    precision = sum(s[0] for s in scores) / len(scores)
    recall = sum(s[1] for s in scores) / len(scores)
    assert 2 * precision * recall / (precision + recall) >= 0.97
    assert min(s[2] for s in scores) >= 0.85  # no page given up for the average


@needs_realpages
def test_kompas_2025_without_read_also_or_promo_and_body_intact():
    result = extract_page((REALPAGES / "kompas-2025.html").read_bytes())
    assert "baca juga" not in result.text.casefold()
    assert "whatsapp" not in result.text.casefold()
    assert [r["rule"] for r in result.removed if r["rule"] in ("read-also", "channel-promo")] == [
        "read-also", "read-also", "channel-promo"]
    lines = result.text.splitlines()
    assert lines[0].startswith("JAKARTA, KOMPAS.com - Jaksa penuntut umum")
    assert lines[-1].startswith("Pengurusan suap ini akhirnya berhasil")
    assert len(lines) == 10
    assert (result.published, result.published_source) == ("2025-05-28T06:30:07Z", "meta")
    # its JSON-LD names the editor as the author; its own metadata and credits say who wrote it
    assert result.author == "Irfan Kamil"


@needs_realpages
def test_mediaindonesia_2026_ends_with_its_story():
    result = extract_page((REALPAGES / "mediaindonesia-2026.html").read_bytes())
    assert result.text.startswith("INTERNATIONAL Golden Institute")
    assert result.text.endswith("sejak awal berdirinya IGI School of Economics Jakarta.")
    assert "Google News" not in result.text and "Copyright" not in result.text


def test_newsroom_gold_no_boilerplate_left_and_content_kept(newsroom):
    left, kept, total = [], 0, 0
    for record, page, more in newsroom_pages(newsroom):
        result = extract_page(page, record["url"], more_pages=more)
        score = line_score(result.text, record["text"])
        left += [(record["id"], line) for line in score.left]
        kept += score.kept
        total += score.total
    assert left == []
    assert kept / total >= 0.99

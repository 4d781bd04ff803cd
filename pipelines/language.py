"""The language of an article: Indonesian, Malay or English by stopwords, else what the page declares.

warta reads Indonesian outlets and the few that publish in English; the question
is "id, en or something else", which the share of each language's commonest
words answers in microseconds. A general language identifier would add a model
load per worker and milliseconds per page for answers warta has no use for. The
page's own ``lang`` attribute is often a template default (``en`` on Indonesian
and Malaysian pages), so the text wins when it is clear; the declaration decides
otherwise. Malay shares Indonesian's stopwords: the two are told apart by the
words each spells or names its own way; where those are too few, a declared
``ms`` or ``id`` stands.
"""

from __future__ import annotations

import re

__all__ = ["FUNCTION_WORDS", "detect_language", "language_group"]

STOPWORDS = {
    "id": frozenset(
        ["yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "dalam", "tidak", "akan", "pada", "juga", "ke", "karena", "oleh", "ada", "adalah", "sebagai", "kata", "telah", "bahwa", "para", "mereka", "atau", "saat", "lebih", "kami", "sudah", "menjadi", "bisa", "dia", "ia", "tersebut", "secara", "hal", "agar", "namun", "serta", "masih", "belum", "hingga", "kepada", "setelah", "jika", "sejak", "antara", "tak", "bagi", "pun", "lain", "harus", "tahun", "sebelumnya", "yakni"]
        # and Malay's own: the pair is one family here, told apart by VARIANTS
        + ["daripada", "ialah", "iaitu", "kerana", "bahawa", "selepas", "sahaja", "beliau", "katanya"]
    ),
    "en": frozenset(
        ["the", "and", "of", "to", "in", "is", "that", "for", "it", "with", "was", "on", "as", "by", "are", "be", "this", "at", "from", "has", "have", "an", "not", "but", "which", "were", "will", "their", "its", "they", "he", "she", "said", "been", "had", "who", "after", "also", "would", "there", "more", "than", "about", "into"]
    ),
}
# The function words of every language: words that mark no article.
FUNCTION_WORDS = frozenset().union(*STOPWORDS.values())
# Languages a declaration may name where the stopwords point to the first one.
RELATED = {"id": {"id", "ms"}, "en": {"en"}}
# Malay and Indonesian share their function words; they part in spelling (bahawa /
# bahwa, kerana / karena, wang / uang) and in everyday words of news (kerajaan /
# pemerintah, mangsa / korban, polis / polisi, kes / kasus). Words used alike in
# both (boleh, daripada, berkata, kenyataan) are left out.
VARIANTS = {
    "ms": frozenset(
        ["bahawa", "kerana", "iaitu", "sahaja", "wang", "selepas", "mahu", "kerajaan", "mangsa", "polis", "kes", "sempadan", "mesyuarat", "terbabit", "talian", "manakala", "sebarang", "jawatankuasa", "pejabat", "bersetuju", "menubuhkan", "menerusi", "seramai", "pelancongan", "kenderaan"]
    ),
    "id": frozenset(
        ["bahwa", "karena", "yaitu", "saja", "uang", "setelah", "mau", "pemerintah", "korban", "polisi", "kasus", "perbatasan", "rapat", "terlibat", "daring", "sembarang", "panitia", "kantor", "setuju", "pariwisata", "kendaraan", "bisa"]
    ),
}
MIN_VARIANT_WORDS = 2  # and twice as many as of the other language
MIN_SHARE = 0.12  # share of stopwords in real text: ~0.25-0.35 in either language
GROUP_MIN_SHARE = 0.04  # terse news (a flash, a photo caption) still has 0.10 or more
GROUP_LEAD = 3  # and that many times the share of the next language's
SAMPLE_WORDS = 400
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of ``text``'s language; ``declared`` is the page's ``lang``
    (e.g. ``id-ID``), used when the text does not settle it."""
    declared_code = (declared or "").strip().replace("_", "-").split("-")[0].casefold() or None
    words = [w.casefold() for w in _WORD.findall(text[: SAMPLE_WORDS * 12])][:SAMPLE_WORDS]
    best = _by_stopwords(words)
    if best is None:
        return declared_code
    variant = _variant(words) if best == "id" else None
    if variant is not None:
        return variant
    if declared_code in RELATED[best]:
        return declared_code
    return best


def language_group(words: list[str]) -> str:
    """The language of case-folded ``words`` for counting term statistics apart: "id"
    (Malay with it: they share their commonest words), "en", or "" for any other.
    Looser than :func:`detect_language`: terse news has fewer function words, and a
    language is taken when its own make a clear majority of those found."""
    shares = _shares(words[:SAMPLE_WORDS])
    ranked = sorted(shares, key=shares.get, reverse=True)
    best, runner_up = shares[ranked[0]], shares[ranked[1]]
    return ranked[0] if best >= GROUP_MIN_SHARE and best >= GROUP_LEAD * runner_up else ""


def _shares(words: list[str]) -> dict[str, float]:
    """The share of each language's stopwords in ``words``."""
    total = max(1, len(words))
    return {lang: sum(map(stop.__contains__, words)) / total for lang, stop in STOPWORDS.items()}


def _by_stopwords(words: list[str]) -> str | None:
    """The language whose stopwords make the largest share of ``words``, if a clear one."""
    shares = _shares(words)
    best = max(shares, key=shares.get)
    return best if shares[best] >= MIN_SHARE else None


def _variant(words: list[str]) -> str | None:
    """``ms`` or ``id`` when the words that tell Malay from Indonesian clearly say
    which, else None."""
    counts = {lang: sum(w in marks for w in words) for lang, marks in VARIANTS.items()}
    for lang, other in (("ms", "id"), ("id", "ms")):
        if counts[lang] >= MIN_VARIANT_WORDS and counts[lang] >= 2 * counts[other]:
            return lang
    return None

"""Line rules: what is dropped from trafilatura's text, line by line.

Each line is tried against, in order: a list label and the title-like lines
after it (``trailing-list``; not a label the DOM found over a list of the
article's own), the headline repeated (``headline``), a bare date stamp
(``timestamp``; two or more between the story's paragraphs head its sections and
stay), a line without words (``no-words``; a table row of figures is
content), the phrase rules of rules.toml (``read-also``, ``teaser``,
``channel-promo``, ``blog-promo``, ``share``, ``byline``, ``contact``, ``tags``,
``controls``, ``credit``), ad text
(``ad``) and the site's learned template lines (``learned``). Lines that open
with a dateline and lines longer than a paragraph limit are never dropped.
Then short lines ending with a colon that close the text are cut
(``dangling-label``: they introduce what the page did not give as text, a video or
a gallery), and a closing paragraph signed with agency and outlet codes, which the
credit rule takes for a caption ("... sepihak. (antara/jpnn)"), is kept when nothing
after it is. A line or two before the story's dateline are cut (``before-dateline``: a
caption pasted as the first paragraph) and a dateline alone on its line joins the
paragraph it opens. Last, a press release's closing section about its issuer ("Tentang Kementerian
...", ``about``), editor codes at the end of the story ("(sfr/isn)", "(E-2)";
``editor-initials``) and a closing line of reporters' names in capitals ("DINI
TEJA"; ``signoff``) are cut.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from pipelines.extraction.dates import is_timestamp_line
from pipelines.extraction.rules import Rules, fold, removal, spaced
from pipelines.extraction.templates import line_key

__all__ = ["clean_lines"]

_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_END = re.compile(r"[.:;][\"”’')\]]?$|[\"”]$")
_NOT_WORD = re.compile(r"[\W_]+")
# A table row of figures as trafilatura writes it ("| 2024 | 1.020 | 790 |"): content.
_FIGURES_ROW = re.compile(r"^\|.*\d.*\|$")
PARAGRAPH_WORDS = 12  # a line this long is a paragraph of the story
ABOUT_NAME_WITHIN = 12  # words at the start of an about-section where it names its issuer
MAX_BEFORE_DATELINE = 2  # lines before a dateline that are no part of the story
_OUTLET_DATELINE = re.compile(r"[(.]")  # "Jakarta (ANTARA) -", "KOMPAS.com -"
_SHOUTED_DATELINE = re.compile(r"^[A-Z]{3,}\b")  # "JAKARTA -", or an acronym: "DPR -"
# A dash closing an aside before the sentence ends: "DPR — melalui Komisi XIII — meminta"
_ASIDE_CLOSED = re.compile(r"^[^.!?]*?\s[-–—]{1,2}\s")


def _list_item(line: str, rules: Rules) -> bool:
    """A title, a tag or a date in a list of links, not a sentence of the story."""
    return len(line.split()) <= rules.max_list_item_words and not _SENTENCE_END.search(line)


def _is_headline(folded: str, title_key: str) -> bool:
    """The headline again, alone or as a caption with a picture credit after it."""
    if not title_key or len(folded) > 2 * len(title_key) + 80:
        return False  # far longer than the headline: a paragraph
    key = _NOT_WORD.sub("", folded)
    if key == title_key:
        return True
    return key.startswith(title_key) and len(key) - len(title_key) <= 60 and folded.endswith(")")


def _dated_sections(texts: list[str]) -> frozenset[int]:
    """The date lines that head sections of the story: two or more between its first and
    last paragraphs (a chronology's "Senin, 3 November 2025"), not the page's date stamp."""
    long = [i for i, text in enumerate(texts) if len(text.split()) >= PARAGRAPH_WORDS]
    if not long:
        return frozenset()
    inside = [i for i in range(long[0] + 1, long[-1]) if is_timestamp_line(texts[i])]
    return frozenset(inside) if len(inside) >= 2 else frozenset()


def _is_ad(folded: str, rules: Rules) -> bool:
    return len(folded) <= rules.ad_max_chars and bool(rules.ad_words.match(folded))


def _rule_for(text: str, folded: str, rules: Rules, title_key: str, learned: frozenset[str]) -> str | None:
    if not _LETTER.search(folded) and not _FIGURES_ROW.match(folded):
        return "no-words"
    if _is_headline(folded, title_key):
        return "headline"
    if is_timestamp_line(text):
        return "timestamp"
    for rule in rules.lines:
        if rule.matches(folded, text):
            return rule.name
    if _is_ad(folded, rules):
        return "ad"
    if learned and line_key(text) in learned:
        return "learned"
    return None


def clean_lines(
    lines: Iterable[str],
    rules: Rules,
    *,
    title: str | None = None,
    learned: frozenset[str] = frozenset(),
    body_labels: Iterable[str] = (),
) -> tuple[list[str], list[dict]]:
    """The lines to keep and the removals (``{"line", "rule"}``), in text order.
    ``body_labels`` are list labels the page shows over a list of the article's
    own (``dom.Pruned.body_labels``): each occurrence listed opens no trailing list."""
    own_lists = Counter(fold(label) for label in body_labels)
    title_key = _NOT_WORD.sub("", fold(title or ""))
    texts = [spaced(line) for line in lines]
    texts = [t for t in texts if t]
    sections = _dated_sections(texts)
    kept: list[str] = []
    removed: list[dict] = []
    closing = None  # where a paragraph signed with codes was taken for a caption
    index = 0
    while index < len(texts):
        text = texts[index]
        index += 1
        folded = fold(text)
        if (rules.dateline.match(text) and not _is_ad(folded, rules)) or \
                len(folded) > rules.max_line_chars or index - 1 in sections:
            kept.append(text)  # "Advertisement - Scroll to continue" has a dateline's shape
            continue
        if own_lists[folded] > 0:
            own_lists[folded] -= 1
            kept.append(text)
            continue
        if rules.list_labels.match(folded):
            removed.append(removal(text, "trailing-list"))
            while index < len(texts) and _list_item(texts[index], rules):
                removed.append(removal(texts[index], "trailing-list"))
                index += 1
            continue
        rule = _rule_for(text, folded, rules, title_key, learned)
        if rule is None:
            kept.append(text)
        else:
            if rule == "credit" and _signed_paragraph(text, rules):
                closing = (len(kept), len(removed))
            removed.append(removal(text, rule))
    after = closing[0] if closing is not None else 0  # the labels it may close with
    while len(kept) > after and len(kept[-1].split()) < PARAGRAPH_WORDS and \
            kept[-1].endswith((":", "：")):
        removed.append(removal(kept.pop(), "dangling-label"))
    if closing is not None and closing[0] == len(kept):  # nothing kept after it
        kept.append(removed.pop(closing[1])["line"])
    _open_at_dateline(kept, removed, rules)
    _cut_about(kept, removed, rules)
    _cut_editor_initials(kept, removed, rules)
    if len(kept) > 1 and rules.signoff.match(kept[-1]):
        removed.append(removal(kept.pop(), "signoff"))
    return kept, removed


def _signed_paragraph(text: str, rules: Rules) -> bool:
    """Whether a line the credit rule took for a captioned picture may be the story's
    closing paragraph signed with agency and outlet codes ("... sepihak. (antara/jpnn)"):
    a paragraph's worth of words ending a sentence before the codes. Kept when nothing
    after it is kept, its codes then cut as editor initials."""
    codes = rules.editor_initials.search(text)
    rest = text[:codes.start()].rstrip() if codes else ""
    return len(rest.split()) >= PARAGRAPH_WORDS and rest[-1:] in ".!?\"”’"


def _open_at_dateline(kept: list[str], removed: list[dict], rules: Rules) -> None:
    """The story opens at its dateline: a line or two before one that names the outlet
    or shouts the place ("Jakarta (ANTARA) -", "KOMPAS.com -", "JAKARTA -"; a name
    before a dash inside a sentence does neither) are cut (``before-dateline``: a photo
    caption pasted as the first paragraph, a teaser), and a dateline on a line of its
    own ("Mangupura, (Metrobali.com)-") joins the paragraph it opens."""
    for at, text in enumerate(kept[:MAX_BEFORE_DATELINE + 1]):
        match = rules.dateline.match(text + " ")
        if match is None:
            continue
        if at and _opens_story(match, kept, at) and \
                all(len(line) <= rules.max_line_chars for line in kept[:at]):
            removed.extend(removal(line, "before-dateline") for line in kept[:at])
            del kept[:at]
            at = 0
        if match.end() > len(kept[at]) and at + 1 < len(kept):
            kept[at:at + 2] = [f"{kept[at]} {kept[at + 1]}"]
        return


def _opens_story(match: re.Match, kept: list[str], at: int) -> bool:
    """Whether a dateline match names the outlet or shouts the place, so that what comes
    before it is no part of the story. An acronym opening a sentence looks like a
    shouted place ("DPR — melalui Komisi XIII — meminta ...", "UNODC — the United
    Nations Office ... —"): a shouted place is followed by a new sentence, capitalized,
    with no aside closing before its end."""
    head = match.group()
    if _OUTLET_DATELINE.search(head):
        return True
    if not _SHOUTED_DATELINE.match(head):
        return False
    rest = kept[at][match.end():].lstrip()
    if not rest and at + 1 < len(kept):  # the dateline alone on its line
        rest = kept[at + 1]
    first = rest.lstrip("\"“'‘")[:1]
    return (first.isupper() or first.isdigit()) and not _ASIDE_CLOSED.match(rest)


def _cut_about(kept: list[str], removed: list[dict], rules: Rules) -> None:
    """Cut a closing "Tentang <issuer>" heading and the few lines after it, the first
    of which names the issuer in its opening words ("Kementerian Hak Asasi Manusia
    dibentuk ...")."""
    first = max(len(kept) // 2, len(kept) - rules.about_lines - 1, 1)
    for at in range(first, len(kept) - 1):
        heading = kept[at].casefold()
        label = rules.about_label.match(heading)
        if (label is None or len(heading.split()) > rules.about_label_words
                or _SENTENCE_END.search(heading)):
            continue
        name = " ".join(heading[label.end():].split()[:2])
        opening = " ".join(kept[at + 1].casefold().split()[:ABOUT_NAME_WITHIN])
        if name and name in opening:
            removed.extend(removal(line, "about") for line in kept[at:])
            del kept[at:]
            return


def _cut_editor_initials(kept: list[str], removed: list[dict], rules: Rules) -> None:
    if not kept:
        return
    match = rules.editor_initials.search(kept[-1])
    if match is None:
        return
    removed.append(removal(match.group().strip(), "editor-initials"))
    rest = kept[-1][: match.start()].rstrip()
    if rest:
        kept[-1] = rest
    else:
        kept.pop()

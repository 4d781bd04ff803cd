"""The boilerplate and metadata rules of ``rules.toml``, compiled once per process.

Everything a site may change (phrases, widget class names, meta tag names) is
data in ``rules.toml``; this module turns it into regular expressions and XPaths
and refuses a malformed file with a message naming the key.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from lxml.etree import XPath, XPathError

__all__ = [
    "RULES_FILE",
    "DomRules",
    "LineRule",
    "Rules",
    "WallRules",
    "Widget",
    "fold",
    "load_rules",
    "phrase_pattern",
    "removal",
    "spaced",
]

RULES_FILE = Path(__file__).with_name("rules.toml")
MAX_REPORTED_CHARS = 300  # a removed widget is reported by its first characters

# Whitespace as pages write it: ordinary and non-breaking spaces, and the
# zero-width characters some editors leave between words.
_SPACE = r"[\s\u200b\u200c\u200d\u2060\ufeff]"
_SPACES = re.compile(_SPACE + "+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# What may stand before a phrase at the start of a line: bullets, emphasis marks.
_LEAD = r"^[\s*_•·»>|\[(\-–—\u200b\ufeff]{0,4}"
# What must follow a phrase written with a trailing colon: a separator, else the end
# of the line. A dash before the phrase's last word again is no separator but the
# reduplication of a plural ("Foto-foto korban", "Sumber - sumber di kepolisian").
_SEPARATOR = _SPACE + r"*(?:[:：|»]|[-–—](?!{space}*{word})|$)"


def spaced(text: str) -> str:
    """``text`` composed (NFC: an accent and its letter as one character) with every run
    of spaces (non-breaking, zero-width) as one space. Compatibility characters stay as
    written ("m²", "½", "…"): this is the text that is stored."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _ZERO_WIDTH.search(text):
        return _SPACES.sub(" ", text).strip()
    return " ".join(text.split())  # str.split knows the Unicode spaces, faster than a regex


def fold(text: str) -> str:
    """The form lines are matched in: spaces folded, compatibility characters as their
    plain forms (NFKC: full-width letters, ligatures), typographic apostrophes as
    plain ones ("editor’s picks") and lower case."""
    text = spaced(text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.translate(_APOSTROPHES).casefold()


_APOSTROPHES = str.maketrans("‘’ʼ", "'" * 3)


def removal(text: str, rule: str) -> dict[str, str]:
    """The record of one removal as extraction reports it: the text and the rule."""
    text = spaced(text)
    if len(text) > MAX_REPORTED_CHARS:
        text = text[: MAX_REPORTED_CHARS - 1] + "…"
    return {"line": text, "rule": rule}


def phrase_pattern(phrases: list[str], *, anchored: bool = True) -> re.Pattern | None:
    """One case-insensitive regex for ``phrases`` (see the header of rules.toml)."""
    parts = []
    for phrase in phrases:
        words = phrase.casefold().split()
        label = words[-1].endswith(":")
        if label:
            words[-1] = words[-1][:-1]
        body = (_SPACE + "+").join(re.escape(w) for w in words if w)
        if label:
            body += _SEPARATOR.format(space=_SPACE, word=re.escape(words[-1]))
        elif body and (body[-1].isalnum() or body[-1] == "_"):
            body += r"(?![\w-])"  # a whole word: "follow", not "follow-up"
        parts.append(body)
    if not parts:
        return None
    lead = _LEAD if anchored else r"(?<!\w)"
    return re.compile(lead + "(?:" + "|".join(parts) + ")", re.IGNORECASE)


def _words_pattern(words: list[str]) -> re.Pattern | None:
    """Matches a line made only of ``words`` (and punctuation between them)."""
    if not words:
        return None
    alternation = "|".join(
        (_SPACE + "+").join(map(re.escape, w.casefold().split())) for w in words
    )
    return re.compile(rf"^(?:\W*(?:{alternation})(?!\w))+\W*$", re.IGNORECASE)


@dataclass(frozen=True)
class LineRule:
    """A named line rule: a line matches when its start, its content or its
    pattern says so (``combine="all"``: when all the given ones do)."""

    name: str
    starts: re.Pattern | None = None
    contains: tuple[str, ...] = ()  # substrings of the folded line
    pattern: re.Pattern | None = None
    combine: str = "any"
    max_chars: int = 400
    unless: re.Pattern | None = None  # a line this finds is never the rule's

    def _checks(self, folded: str, text: str):
        if self.starts is not None:
            yield self.starts.match(folded) is not None
        if self.contains:
            yield any(phrase in folded for phrase in self.contains)
        if self.pattern is not None:
            yield self.pattern.search(text) is not None

    def matches(self, folded: str, text: str) -> bool:
        if len(folded) > self.max_chars or (self.unless is not None and self.unless.search(text)):
            return False
        checks = self._checks(folded, text)  # lazily: all() and any() stop at the deciding one
        return all(checks) if self.combine == "all" else any(checks)


@dataclass(frozen=True)
class Widget:
    """A known in-body widget: its rule, the class or id names that mark it, the
    longest text it may hold before it is taken for markup gone wrong, and whether
    it always follows the article's opening (so one that holds it is a wrapper)."""

    rule: str
    names: re.Pattern
    max_chars: int
    after_article: bool = False


@dataclass(frozen=True)
class DomRules:
    headline: XPath
    widget_phrases: dict[str, re.Pattern]  # rule -> phrases that open a link box
    list_labels: re.Pattern  # a whole label that opens a list of links
    plain_list_labels: re.Pattern  # ... or of plain items (credits, tags)
    widgets: tuple[Widget, ...]  # known widgets by class or id
    max_widget_chars: int
    max_list_chars: int
    caption_credit: re.Pattern  # a picture credit closing a caption


@dataclass(frozen=True)
class WallRules:
    """What tells a page standing at an article's address from the article."""

    max_words: int  # a longer text is an article's, whatever it says
    error_title: re.Pattern  # a phrase that names an error page
    error_title_other_words: int  # words of a title beside such phrases and the site's name
    interstitial: tuple[str, ...]  # substrings of the folded text of a consent or login page
    teaser: tuple[str, ...]  # ... of an article's free part, the rest behind a login


@dataclass(frozen=True)
class Rules:
    dom: DomRules
    lines: tuple[LineRule, ...]
    max_line_chars: int
    dateline: re.Pattern
    list_labels: re.Pattern
    max_list_item_words: int
    ad_words: re.Pattern
    ad_max_chars: int
    editor_initials: re.Pattern
    signoff: re.Pattern
    about_label: re.Pattern
    about_label_words: int
    about_lines: int
    published_meta: tuple[str, ...]
    published_text: XPath
    update_label: re.Pattern
    update_class: re.Pattern
    author_ignore: re.Pattern
    author_paths: frozenset[str]
    author_label: re.Pattern
    author_role: re.Pattern  # an element's whole text is a role label ("Jurnalis")
    writer_byline: re.Pattern  # "Penulis: <name>", a writer's label and a colon
    other_role: re.Pattern  # "Editor: <name>", the label of one who did not write the story
    author_end: re.Pattern
    author_honorific: re.Pattern  # a title before a name ("Dr.", "Hj.")
    walls: WallRules


# Line rules in the order they are tried; the first that matches names the removal.
_LINE_RULES = ("read-also", "teaser", "channel-promo", "blog-promo", "share", "byline", "contact",
               "tags", "controls", "credit")
_LINE_RULE_KEYS = {"starts", "contains", "pattern", "max_chars", "unless"}
_WIDGET_KEYS = {"rule", "class_contains", "class_tokens", "class_pattern", "max_chars", "after_article"}


def _class_pattern(spec: dict, where: str) -> re.Pattern:
    """Matches the "class id" string of an element that is one of these widgets."""
    parts = [re.escape(fragment) for fragment in spec.get("class_contains", [])]
    parts += [rf"(?<![\w-]){re.escape(token)}(?![\w-])" for token in spec.get("class_tokens", [])]
    if "class_pattern" in spec:
        parts.append(f"(?:{spec['class_pattern']})")
    if not parts:
        raise ValueError(f"{where}: give class_contains, class_tokens or class_pattern")
    return re.compile("|".join(parts))


def _widget(spec: dict, where: str, default_max: int) -> Widget:
    unknown = set(spec) - _WIDGET_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    return Widget(spec["rule"], _class_pattern(spec, where), spec.get("max_chars", default_max),
                  spec.get("after_article", False))


def _label_pattern(labels: list[str]) -> re.Pattern:
    """Matches a line that is one of ``labels`` alone (punctuation around it)."""
    return re.compile(
        r"^\W*(?:"
        + "|".join((_SPACE + "+").join(map(re.escape, label.split())) for label in labels)
        + r")\W*$",
        re.IGNORECASE,
    )


def _line_rule(name: str, spec: dict, default_max: int) -> LineRule:
    unknown = set(spec) - _LINE_RULE_KEYS
    if unknown:
        raise ValueError(f"lines.{name}: unknown keys {sorted(unknown)}")
    return LineRule(
        name=name,
        starts=phrase_pattern(spec.get("starts", [])),
        contains=tuple(fold(phrase) for phrase in spec.get("contains", [])),
        pattern=re.compile(spec["pattern"]) if "pattern" in spec else None,
        unless=re.compile(spec["unless"]) if "unless" in spec else None,
        # a promo is a call to the reader *and* a channel; other rules need one sign
        combine="all" if name == "channel-promo" else "any",
        max_chars=spec.get("max_chars", default_max),
    )


def _compile(data: dict) -> Rules:
    dom, lines = data["dom"], data["lines"]
    max_line = lines["max_chars"]
    label_pattern = _label_pattern(lines["trailing-list"]["labels"])
    widget_phrases = {}
    for rule in ("read-also", "teaser"):
        pattern = phrase_pattern(lines[rule]["starts"])
        if pattern is not None:
            widget_phrases[rule] = pattern
    dom_rules = DomRules(
        headline=XPath(dom["headline_xpath"]),
        widget_phrases=widget_phrases,
        list_labels=label_pattern,
        plain_list_labels=_label_pattern(lines["trailing-list"].get("plain_list_labels", [])),
        widgets=tuple(
            _widget(w, f"dom.widgets[{i}]", dom["max_list_chars"]) for i, w in enumerate(dom["widgets"])
        ),
        max_widget_chars=dom["max_widget_chars"],
        max_list_chars=dom["max_list_chars"],
        caption_credit=re.compile(dom["caption_credit"]),
    )
    walls = data["walls"]
    ignore = data["author"]["ignore_words"]
    labels = "|".join(re.escape(label) for label in sorted(data["author"]["labels"], key=len, reverse=True))
    return Rules(
        dom=dom_rules,
        lines=tuple(_line_rule(name, lines[name], max_line) for name in _LINE_RULES),
        max_line_chars=max_line,
        dateline=re.compile(lines["dateline"]),
        list_labels=label_pattern,
        max_list_item_words=lines["trailing-list"]["max_item_words"],
        ad_words=_words_pattern(lines["ad"]["words"]),
        ad_max_chars=lines["ad"]["max_chars"],
        editor_initials=re.compile(lines["editor-initials"]["pattern"]),
        signoff=re.compile(lines["signoff"]["pattern"]),
        about_label=phrase_pattern(lines["about"]["labels"]),
        about_label_words=lines["about"]["max_label_words"],
        about_lines=lines["about"]["max_lines"],
        published_meta=tuple(name.casefold() for name in data["published"]["meta"]),
        published_text=XPath(data["published"]["text_xpath"].strip()),
        update_label=phrase_pattern(data["published"]["update_labels"], anchored=False),
        update_class=re.compile("|".join(map(re.escape, data["published"]["update_classes"])),
                                re.IGNORECASE),
        author_ignore=phrase_pattern(ignore, anchored=False),
        author_paths=frozenset(fold(path) for path in data["author"]["link_paths"]),
        author_label=re.compile(rf"(?:{labels})(?:\s*:\s*|\s+)", re.IGNORECASE),
        author_role=_label_pattern(data["author"]["labels"]),
        writer_byline=re.compile(
            r"^(?:" + "|".join(map(re.escape, data["author"]["writer_labels"])) + r")\s*:\s*\S",
            re.IGNORECASE),
        other_role=re.compile(
            r"^(?:" + "|".join(map(re.escape, data["author"]["other_roles"])) + r")(?:\s*:\s*|\s+)",
            re.IGNORECASE),
        # a name ends at the next role, or at a mark no name holds (a bullet, a bar, a digit)
        author_end=re.compile(rf"\s+(?:{labels})(?:\s*:|\s)|\s*[●•·|]|\s+[-–—/]\s|\d",
                              re.IGNORECASE),
        author_honorific=re.compile(
            r"(?:" + "|".join(map(re.escape, data["author"]["honorifics"])) + r")\.?", re.IGNORECASE),
        walls=WallRules(
            max_words=walls["max_words"],
            # the longest first: "404 not found" is one phrase, not "404" and two other words
            error_title=phrase_pattern(sorted(walls["error_titles"], key=len, reverse=True),
                                       anchored=False),
            error_title_other_words=walls["error_title_other_words"],
            interstitial=tuple(fold(phrase) for phrase in walls["interstitial"] + walls["teaser"]),
            teaser=tuple(fold(phrase) for phrase in walls["teaser"]),
        ),
    )


@functools.cache
def load_rules(path: Path = RULES_FILE) -> Rules:
    """The compiled rules of ``path``; a malformed file raises ``ValueError``
    naming the file and the key."""
    try:
        with open(path, "rb") as handle:
            return _compile(tomllib.load(handle))
    except KeyError as exc:
        raise ValueError(f"{path}: missing key {exc}") from exc
    except (tomllib.TOMLDecodeError, re.error, XPathError, ValueError) as exc:
        raise ValueError(f"{path}: {exc}") from exc

"""A synthetic news stream for clustering benchmarks, with its gold stories and copies.

Each event has a topic (events of one topic are the confusable "same kind, same week"
pairs: they share the topic's vocabulary), two well-known names, its own people and
places, figures and specific words, and a start time within a few days. Each report of an event is written
independently from the same distributions, so two reports share the event's specifics
and the language's common words but almost no word sequences (paraphrase-like); some
reports are republished near-verbatim by another outlet (new headline, one paragraph
dropped, a word changed). Lengths follow a log-normal around 450 words (150-1500).
Words are pseudo-words; Zipf-shaped frequencies give realistic common and rare terms.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

__all__ = ["SyntheticNews"]

START = datetime(2025, 11, 17, tzinfo=UTC).timestamp()
OUTLETS = [f"outlet{i:02d}" for i in range(40)]
# share of a report's words drawn from each pool
MIX = {"common": 0.58, "beat": 0.18, "topic": 0.10, "event": 0.10, "rare": 0.04}
SYLLABLES = ["ka", "ri", "ma", "pa", "tu", "se", "lo", "ban", "da", "ni", "wa", "ng", "ar",
             "me", "ju", "ta", "su", "ra", "bi", "ge", "ol", "an", "ku", "ha", "ti", "de"]


@dataclass(frozen=True)
class Report:
    id: str
    title: str
    text: str
    published: str
    source: str
    event: str
    wire_of: str | None


def _zipf(n: int, exponent: float = 1.05) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** exponent
    return np.cumsum(weights / weights.sum())


class SyntheticNews:
    """``reports(n)`` yields ``n`` reports in arrival order (publication time, jittered)."""

    def __init__(self, seed: int = 7, days: float = 5.0, copy_share: float = 0.08) -> None:
        self.rng = np.random.default_rng(seed)
        self.days, self.copy_share = days, copy_share
        words = np.array(self._words(260_000), dtype=object)
        self.pools = {"common": words[:400], "beat": words[400:4_400],
                      "rare": words[4_400:160_000]}
        self.names = np.array([w.capitalize() for w in words[160_000:162_000]], dtype=object)
        self.cdf = {name: _zipf(len(pool)) for name, pool in self.pools.items()}
        self.name_cdf = _zipf(len(self.names), 0.9)
        self.topics = [self.rng.choice(self.pools["beat"], 80) for _ in range(400)]

    def _words(self, n: int) -> list[str]:
        lengths = self.rng.integers(2, 5, 2 * n)
        parts = self.rng.integers(0, len(SYLLABLES), int(lengths.sum()))
        ends = np.cumsum(lengths)
        words = dict.fromkeys("".join(SYLLABLES[p] for p in parts[e - k:e])
                              for e, k in zip(ends.tolist(), lengths.tolist()))
        return list(words)[:n]

    def _draw(self, pool: str, count: int) -> np.ndarray:
        return self.pools[pool][np.searchsorted(self.cdf[pool], self.rng.random(count))]

    def _event(self, number: int) -> dict:
        rng = self.rng
        # two well-known names (officials, cities) and four of this event's own people
        # and places: named entities keep coming, as in real news
        known = self.names[np.searchsorted(self.name_cdf, rng.random(2))]
        own = np.array([_name(number * 4 + i) for i in range(4)], dtype=object)
        names = np.concatenate([known, own])
        figures = np.array([str(x) for x in rng.integers(2, 100_000, 4)], dtype=object)
        specific = rng.choice(self.pools["rare"], 12)
        return {"id": f"ev{number}", "topic": self.topics[rng.integers(len(self.topics))],
                "specific": np.concatenate([names, figures, specific]),
                "start": START + rng.random() * self.days * 86400,
                "reports": 1 + rng.geometric(0.4) - 1}

    def _text(self, event: dict, words: int) -> str:
        rng = self.rng
        kinds = rng.choice(len(MIX), size=words, p=list(MIX.values()))
        out = np.empty(words, dtype=object)
        for k, kind in enumerate(MIX):
            where = np.flatnonzero(kinds == k)
            if kind in ("topic", "event"):
                pool = event["topic"] if kind == "topic" else event["specific"]
                out[where] = pool[rng.integers(0, len(pool), len(where))]
            else:
                out[where] = self._draw(kind, len(where))
        tokens = out.tolist()
        sentences = [" ".join(tokens[i:i + 16]).capitalize() + "." for i in range(0, words, 16)]
        return "\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))

    def _title(self, event: dict) -> str:
        words = [*self.rng.choice(event["specific"][:6], 3), *self._draw("beat", 5)]
        return " ".join(str(w) for w in words).capitalize()

    def reports(self, n: int) -> Iterator[Report]:
        """``n`` reports, their gold event and the original of each copy."""
        pending: list[tuple[float, Report]] = []
        made, events = 0, 0
        while made < n:
            event = self._event(events)
            events += 1
            originals: list[Report] = []
            for r in range(event["reports"]):
                if made >= n:
                    break
                when = event["start"] + self.rng.random() * 36 * 3600
                if originals and self.rng.random() < self.copy_share * 2.5:
                    report = self._copy(originals[0], f"{event['id']}-{r}")
                else:
                    length = int(np.clip(self.rng.lognormal(np.log(450), 0.4), 150, 1500))
                    report = Report(f"{event['id']}-{r}", self._title(event),
                                    self._text(event, length), _iso(when),
                                    OUTLETS[self.rng.integers(len(OUTLETS))], event["id"], None)
                    originals.append(report)
                pending.append((_time(report.published) + self.rng.random() * 3600, report))
                made += 1
            if len(pending) > 2000 or made >= n:
                pending.sort(key=lambda p: p[0])
                keep = pending[len(pending) // 2:] if made < n else []
                for _, report in pending[:len(pending) - len(keep)]:
                    yield report
                pending = keep

    def _copy(self, original: Report, key: str) -> Report:
        paragraphs = original.text.split("\n")
        if len(paragraphs) > 2:
            del paragraphs[self.rng.integers(1, len(paragraphs))]
        text = "\n".join(paragraphs).replace(" ", " baru ", 1)
        when = _time(original.published) + (1 + self.rng.random() * 7) * 3600
        head = np.array(original.title.split()[:6], dtype=object)
        return Report(key, self._title({"specific": head}), text,
                      _iso(when), "suaradaerah", original.event, original.id)


def _name(number: int) -> str:
    """A distinct capitalized pseudo-name for each number."""
    parts = []
    number += 1
    while number:
        number, digit = divmod(number, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    return "".join(parts).capitalize() + "o"


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _time(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()

"""Answer a free-text question with the guidance topic it most likely asks about, or with none.

Rules:
- A phrasing is worth how much of it (by term weight) the message contains, a little more when
  it also explains most of the message. A topic is worth its best phrasing plus a share of its
  second best (two phrasings agreeing is more evidence than one), scaled by how much of the
  message the topic's words explain at all. So a topic needs one phrasing largely present in
  the message; words it merely shares with the message weigh little on their own.
- Scores are calibrated so that DEFAULT_THRESHOLD (62, the bot's MATCH_THRESHOLD) separates
  answers from guesses on the evaluation questions and some small talk; under `threshold` the
  topic is None and the bot says it did not understand and offers the menu, instead of
  answering a question nobody asked.
- Short Burmese that might be Zawgyi is matched in both readings, and the better one is kept.
- Phrasings of the message's own language count fully and those of other languages a little less:
  they still catch loanwords typed in Latin (MOU, visa) and Vietnamese typed without accents.
- Words of scripts written without spaces are also found as substrings of the message, so a
  different word split by ICU never hides a keyword (see _substring_hits for the limits).
- Urgency is decided separately (urgency.py); an urgent message still gets its best topic, or the
  emergency topic when nothing else matches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.matching.detect import detect_language
from bot.matching.index import (
    STOPWORD_FACTOR,
    UNKNOWN_WEIGHT,
    Index,
    build_index,
    is_latin,
    script_of,
    terms,
)
from bot.matching.normalize import zawgyi_reading
from bot.matching.urgency import is_urgent

DEFAULT_THRESHOLD = 62.0
EMERGENCY_TOPIC = "emergency"
LATIN_LANGS = frozenset({"en", "vi"})
CROSS_LANGUAGE = 0.9
FUZZY_CUTOFF = 85.0  # fuzz.ratio: a missing or extra letter, not "charge" for "change"
PART_WORD = 0.75  # strength of a keyword found at one edge of a longer word
PHRASE_FLOOR = 0.7  # a phrasing found whole is worth this much even in a long message
SECOND_SHARE = 0.3  # weight of a topic's second-best phrasing
TOPIC_FLOOR = 0.2  # a topic explaining none of the rest of the message keeps this share
# Raw score that maps to THRESHOLD: the best cut between answers and guesses on the questions
# of bench/matching.py plus off-topic small talk; above it, raw 1.0 (a phrasing that is the
# whole message) maps to 100.
RAW_AT_THRESHOLD = 0.40


@dataclass(frozen=True)
class Match:
    """The matcher's answer: the topic (or None), its score, the language used and urgency.

    `alternatives` are the three best topics with their scores, best first, even under threshold,
    so the bot can offer them as "did you mean".
    """

    topic: str | None
    score: float
    lang: str | None
    urgent: bool
    alternatives: tuple[tuple[str, float], ...] = ()


Hits = dict[str, tuple[float, set[int]]]
AddHit = Callable[[str, float, set[int]], None]


def calibrate(raw: float) -> float:
    """Map a raw score onto 0-100 with RAW_AT_THRESHOLD at DEFAULT_THRESHOLD."""
    if raw <= RAW_AT_THRESHOLD:
        return DEFAULT_THRESHOLD * raw / RAW_AT_THRESHOLD
    above = (raw - RAW_AT_THRESHOLD) / (1 - RAW_AT_THRESHOLD)
    return min(100.0, DEFAULT_THRESHOLD + (100 - DEFAULT_THRESHOLD) * above)


def _min_substring_len(term: str) -> int:
    # One Han character is a word; one Thai, Lao, Khmer or Burmese code point rarely is.
    return 1 if "\u3400" <= term[0] <= "\u9fff" else 2


class Matcher:
    """Keyword matcher over the topics' phrasings; build it once, call match() per message."""

    def __init__(
        self,
        keywords: Mapping[str, Mapping[str, Iterable[str]]],
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.index: Index = build_index(keywords)
        self.threshold = threshold

    @classmethod
    def from_keywords(
        cls,
        keywords: Mapping[str, Mapping[str, Iterable[str]]],
        threshold: float = DEFAULT_THRESHOLD,
    ) -> Matcher:
        """A matcher over {topic: {lang: [phrasings]}}."""
        return cls(keywords, threshold)

    @classmethod
    def from_content_dir(
        cls, root: Path | None = None, threshold: float = DEFAULT_THRESHOLD
    ) -> Matcher:
        """A matcher over the keywords of the topic files in bot/content (or `root`)."""
        from bot.content.files import CONTENT_DIR, load_keywords

        return cls(load_keywords(root or CONTENT_DIR), threshold)

    def match(self, text: str, lang: str | None = None) -> Match:
        """Return the best topic for the message; `lang` is the conversation's language, a hint."""
        used = self._language(text, lang)
        urgent = is_urgent(text, used)
        ranked = self.scores(text, used)
        zawgyi = zawgyi_reading(text)
        if zawgyi is not None:
            other = self.scores(zawgyi, used)
            if other and (not ranked or other[0][1] > ranked[0][1]):
                ranked = other
        topic, score = ranked[0] if ranked else (None, 0.0)
        if score < self.threshold:
            topic = None
        if urgent and topic is None and EMERGENCY_TOPIC in self.index.topics:
            topic = EMERGENCY_TOPIC
        return Match(topic, score, used, urgent, tuple(ranked[:3]))

    def _language(self, text: str, hint: str | None) -> str | None:
        detected = detect_language(text)
        if detected is None:
            return hint
        # Unaccented Vietnamese can pass for English; the conversation's language knows better.
        if hint in LATIN_LANGS and detected in LATIN_LANGS:
            return hint
        return detected

    def scores(self, text: str, lang: str | None) -> list[tuple[str, float]]:
        """Every topic with evidence in the message and its calibrated score, best first."""
        qterms = terms(text, lang)
        if not qterms or all(term in self.index.stopwords for term in qterms):
            # Greetings and small talk alone ("xin chào", "ສະບາຍດີ") are not a question.
            return []
        hits = self._hits(qterms)
        qweights = self._query_weights(qterms, hits)
        values, covers = self._phrase_values(hits, qweights, lang)
        total = sum(qweights)
        raw: list[tuple[float, str]] = []
        for topic, found in values.items():
            best, second = [*sorted(found, reverse=True), 0.0][:2]
            explained = sum(qweights[i] for i in covers[topic]) / total
            evidence = best + SECOND_SHARE * second
            raw.append((evidence * (TOPIC_FLOOR + (1 - TOPIC_FLOOR) * explained), topic))
        raw.sort(key=lambda item: (-item[0], item[1]))
        return [(topic, round(calibrate(value), 1)) for value, topic in raw]

    def _phrase_values(
        self, hits: Hits, qweights: list[float], lang: str | None
    ) -> tuple[dict[str, list[float]], dict[str, set[int]]]:
        """Values of the phrasings with a hit, by topic, and the words each topic explains."""
        earned: dict[int, float] = defaultdict(float)
        covers: dict[int, set[int]] = defaultdict(set)
        for term, (strength, covered) in hits.items():
            for pid in self.index.postings.get(term, ()):
                earned[pid] += self.index.weights[term] * strength
                covers[pid] |= covered
        total = sum(qweights)
        values: dict[str, list[float]] = defaultdict(list)
        topic_cover: dict[str, set[int]] = defaultdict(set)
        for pid, gain in earned.items():
            phrase = self.index.phrases[pid]
            if phrase.content and not phrase.content & hits.keys():
                continue  # function words alone ("not", "my") are no evidence of a topic
            explained = sum(qweights[i] for i in covers[pid]) / total
            found = min(gain / phrase.weight, 1.0)
            value = found * (PHRASE_FLOOR + (1 - PHRASE_FLOOR) * explained)
            if lang is not None and phrase.lang != lang:
                value *= CROSS_LANGUAGE
            values[phrase.topic].append(value)
            topic_cover[phrase.topic] |= covers[pid]
        return values, topic_cover

    def _query_weights(self, qterms: list[str], hits: Hits) -> list[float]:
        """Weight of each word of the message: its own, else the best keyword found in it."""
        weights = self.index.weights
        qweights = [weights.get(term, 0.0) for term in qterms]
        for term, (_strength, covered) in hits.items():
            for i in covered:
                if qterms[i] not in weights:
                    qweights[i] = max(qweights[i], weights[term])
        return [
            w or UNKNOWN_WEIGHT * (STOPWORD_FACTOR if term in self.index.stopwords else 1.0)
            for w, term in zip(qweights, qterms, strict=True)
        ]

    def _hits(self, qterms: list[str]) -> Hits:
        """Vocabulary terms found in the message: exactly, with a typo, or inside unspaced text."""
        hits: Hits = {}

        def add(term: str, strength: float, covered: set[int]) -> None:
            old_strength, old_covered = hits.get(term, (0.0, set()))
            hits[term] = (max(old_strength, strength), old_covered | covered)

        for i, q in enumerate(qterms):
            if q in self.index.weights:
                add(q, 1.0, {i})
            elif is_latin(q) and len(q) >= 4:
                for term, similarity, _ in process.extract(
                    q,
                    self.index.latin_vocab,
                    scorer=fuzz.ratio,
                    score_cutoff=FUZZY_CUTOFF,
                    limit=3,
                ):
                    add(term, similarity / 100.0, {i})
        self._substring_hits(qterms, add)
        return hits

    def _splits(self, compact: str, span: tuple[int, int], start: int, end: int) -> bool:
        """Whether a hit from start to end may cut the word at span."""
        a, b = span
        if compact[a:b] not in self.index.weights:
            return True
        left, right = compact[a:start] if start > a else "", compact[end:b] if end < b else ""
        return all(not rest or rest in self.index.weights for rest in (left, right))

    def _substring_hits(self, qterms: list[str], add: AddHit) -> None:
        spans: list[tuple[int, int]] = []
        position = 0
        for term in qterms:
            spans.append((position, position + len(term)))
            position += len(term)
        compact = "".join(qterms)
        starts = {a for a, _ in spans}
        ends = {b for _, b in spans}
        scripts = {script_of(term) for term in qterms if not is_latin(term)}
        for script in scripts:
            for term in self.index.script_vocab.get(script, ()):
                if len(term) < _min_substring_len(term):
                    continue
                start = compact.find(term)
                while start != -1:
                    end = start + len(term)
                    covered = {i for i, (a, b) in enumerate(spans) if a < end and start < b}
                    aligned = (start in starts) + (end in ends)
                    # A hit must begin or end where a word does (天天 is not in 今天天气), and
                    # a known word is taken apart only into known words: ຈ່າຍເງິນ holds ຈ່າຍ
                    # (pay) and ເງິນ (money), but ດ່ານ (border) does not hold ດ່າ (scold).
                    if aligned and all(
                        self._splits(compact, spans[i], start, end) for i in covered
                    ):
                        add(term, 1.0 if aligned == 2 else PART_WORD, covered)
                    start = compact.find(term, start + 1)

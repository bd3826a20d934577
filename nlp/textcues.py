"""Cheap cues in the wording of a text: does it teach, explain, report news or sell?

Regular expressions over the main text only (no model): how often it addresses the reader,
gives instructions or definitions, asks questions, reports what someone "said", or talks
about prices. Rates are per 1,000 words so long and short texts compare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wordfreq import zipf_frequency

__all__ = [
    "DATED_START",
    "REPORTED_SPEECH_START",
    "SAMPLE_CHARS",
    "TextCues",
    "read_cues",
    "sample_lines",
]

_WORD = re.compile(r"\w+")
# The cues read a text's first this many characters (rates per 1,000 of its words there).
SAMPLE_CHARS = 60_000
# Per 1,000 words: from here a text reads as a report (said, told, officials) or as dated news.
REPORTED_SPEECH_START = 4.0
DATED_START = 3.0
_PLAIN_WORD = re.compile(r"(?<![\w.])[a-z]{4,}(?![\w.])")
_RARE_ZIPF = 3.3  # rarer than about 2 per million words of general English
_YOU = re.compile(r"\b(you|your|you'll|you're|let's|we'll)\b", re.I)
_IMPERATIVE = re.compile(
    r"(?m)^\s*(?:\d+[.)]\s*|step \d+[:.]?\s*|[-*•]\s*)?(?:install|run|add|click|open|create|use|"
    r"select|enter|choose|remove|preheat|heat|mix|stir|combine|bake|fold|drain|"
    r"cook|configure|download|copy|paste|import|define|save|navigate|replace|edit|pour|"
    r"whisk|serve|measure|apply|insert|press|drag|boil|simmer|season|chop|slice|grease)\b",
    re.I,
)
_STEP = re.compile(r"(?im)^\s*step\s+\d+\b")
_DEFINITION = re.compile(
    r"\b(?:is|are) (?:a|an|the) (?:\w+ ){0,4}(?:that|which|where|used|for|of)\b|"
    r"\b(?:is|are) defined as\b|\brefers? to\b|\bis known as\b|\bin other words\b|"
    r"\bfor example\b|\bfor instance\b|\be\.g\.|\bi\.e\.",
    re.I,
)
_TEACH = re.compile(
    r"\b(?:how to|how do|tutorial|guide|learn(?:ing|ed)?|lesson|lecture|course|explain(?:s|ed)?|"
    r"introduction to|understand(?:ing)?|overview|example|exercise|theorem|proof|algorithm|"
    r"function|method|concept|documentation|reference|tips?)\b",
    re.I,
)
_QUESTION = re.compile(r"\?(?:\s|$)")
_SAID = re.compile(
    r"\b(?:said|says|told|according to|reported|announced|spokesman|spokeswoman|"
    r"spokesperson|officials?|police|on (?:monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday)|last week|this week|(?:reuters|associated press|afp)\b)",
    re.I,
)
# The stock phrases of scholarly abstracts and papers ("we propose", "is presented", "the
# proposed method"); a short abstract has one or two, so they are read as a rate.
_SCHOLARLY = re.compile(
    r"\b(?:(?:this|the|in this) (?:paper|article|study)|the authors?|abstract|"
    r"we (?:also |then |first )?(?:propose|present|describe|consider|show|study|investigate|"
    r"develop|derive|discuss|analy[sz]e|compute|introduce|examine|report|obtain|prove|give|"
    r"use|apply|evaluate|demonstrate|get|find|define|construct|establish|extend|formulate|"
    r"model|solve|characteri[sz]e|explore|address|outline|review|compare|focus|argue|conclude)|"
    r"(?:is|are|was|were) (?:\w+ly )?(?:proposed|presented|described|discussed|investigated|"
    r"studied|developed|derived|analy[sz]ed|introduced|examined|given|obtained|proved|proven|"
    r"shown|evaluated|demonstrated|considered|compared|reported|formulated|established|adopted|"
    r"designed|used|applied|employed|solved|constructed|computed|estimated|addressed|tested|"
    r"verified|illustrated|explored|outlined|identified)|"
    r"deals with|provides? (?:details|an overview)|our (?:results|approach|method|model)|"
    r"(?:experimental|simulation) results|numerical (?:results|examples?|simulations?)|"
    r"in order to|a (?:new|novel) (?:method|approach|algorithm|model|technique|scheme|framework)|"
    r"the proposed (?:method|approach|algorithm|scheme|system|model|technique))\b",
    re.I,
)
_SCHOLARLY_SAMPLE = 5000  # characters: an abstract, or a paper's first page
_PRICE = re.compile(
    r"(?:[$€£]\s?\d[\d,.]*|\b\d+[.,]\d\d\s?(?:usd|eur|gbp)\b|add to (?:cart|bag))", re.I
)
_ENTERTAIN = re.compile(
    r"\b(?:official (?:music )?video|lyrics|remix|feat\.|ft\.|trailer|prank|vlog|gameplay|"
    r"let's play|challenge|reaction|unboxing|live stream|livestream|comedy|funny|music|song|"
    r"album|concert|highlights|episode|season|celebrity|fans?|red carpet|box office)\b",
    re.I,
)


# An argued view. Not "you should", "it must", "shouldn't": a guide's instructions say those too.
_OPINION = re.compile(
    r"\b(?:i think|i believe|i feel|in my (?:view|opinion)|i'd argue|i would argue|"
    r"(?:we|government|congress) (?:should|must|ought to)|"
    r"it's time (?:to|for)|the truth is|let's be honest|frankly|outrageous|shameful)\b",
    re.I,
)


# Explaining speaks in general terms: what things usually do, what "you" can do with them.
_GENERAL = re.compile(
    r"\b(?:you can|you may|if you|when you|can be|is called|are called|typically|usually|"
    r"generally|often|in general|tends? to|such as)\b",
    re.I,
)
# The working vocabulary of software, engineering and science: an engineering essay without a
# line of code still talks about modules, memory and tests; news and leisure rarely do.
_TECHNICAL = re.compile(
    r"\b(?:code|coding|functions?|librar(?:y|ies)|modules?|apis?|servers?|databases?|quer(?:y|ies)|"
    r"compil(?:er|e)|runtime|memory|cpu|performance|latency|throughput|threads?|process(?:es)?|"
    r"algorithms?|data|variables?|syntax|bugs?|debug(?:ging)?|deploy(?:ment)?|config(?:uration)?|"
    r"interface|implement(?:ation|ed)?|architecture|frameworks?|python|javascript|java|rust|linux|"
    r"kernel|unicode|bytes|strings?|integers?|objects?|class(?:es)?|methods?|packages?|"
    r"dependenc(?:y|ies)|versions?|tests?|testing|network|protocol|requests?|cache|storage|files?|"
    r"systems?|software|engineering|engineers?|developers?|source|repository|commit|scheduler|"
    r"tasks?|queue|scalability|equations?|theorem|molecules?|cells|proteins?|experiments?|"
    r"hypothesis|models?|statistics|probability)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
# Tense: an explanation is in the timeless present, a report or a story in the past.
_PRESENT = re.compile(
    r"\b(?:is|are|isn't|aren't|does|doesn't|do|don't|has|have|can|can't|means?|depends?)\b", re.I
)
_PAST = re.compile(r"\b(?:was|were|wasn't|weren't|did|didn't|had|said|told)\b", re.I)
# News is dated: weekdays, yesterday, this morning, last week, "on March 3".
_DATED = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|"
    r"this (?:morning|afternoon|evening|week|month|year)|last (?:week|month|year|night)|"
    r"earlier this|on (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d)",
    re.I,
)


@dataclass(frozen=True)
class TextCues:
    """Counts and per-1,000-word rates of wording cues in one text."""

    words: int
    you_rate: float
    imperatives: int
    steps: int
    definitions_rate: float
    teach_rate: float
    questions: int
    said_rate: float
    prices: int
    entertain_rate: float
    opinion_rate: float
    scholarly_rate: float
    rare_share: float
    general_rate: float
    present_share: float
    dated_rate: float
    technical_rate: float
    sentence_rate: float

    @property
    def is_prose(self) -> bool:
        """Written in sentences (about 30 or more per 1,000 words), not tables, menus or lists."""
        return self.sentence_rate >= 30.0

    @property
    def reads_scholarly(self) -> bool:
        """Worded like a scholarly abstract or paper, not like a news report."""
        return self.scholarly_rate >= 8.0 and self.said_rate < REPORTED_SPEECH_START

    @property
    def reads_as_news(self) -> bool:
        """Worded like news: reported speech or dated wording (weekdays, yesterday)."""
        return self.said_rate >= REPORTED_SPEECH_START or self.dated_rate >= DATED_START


def sample_lines(text: str) -> list[str]:
    """The non-empty lines of `text`'s sample (its first `SAMPLE_CHARS`), stripped."""
    return [line.strip() for line in text[:SAMPLE_CHARS].splitlines() if line.strip()]


def read_cues(text: str) -> TextCues:
    """Count the wording cues of `text` (at most its first 60,000 characters)."""
    sample = text[:SAMPLE_CHARS]
    words = len(_WORD.findall(sample))
    per_k = 1000.0 / max(words, 50)
    return TextCues(
        words=words,
        you_rate=len(_YOU.findall(sample)) * per_k,
        imperatives=len(_IMPERATIVE.findall(sample)),
        steps=len(_STEP.findall(sample)),
        definitions_rate=len(_DEFINITION.findall(sample)) * per_k,
        teach_rate=len(_TEACH.findall(sample)) * per_k,
        questions=len(_QUESTION.findall(sample)),
        said_rate=len(_SAID.findall(sample)) * per_k,
        prices=len(_PRICE.findall(sample)),
        entertain_rate=len(_ENTERTAIN.findall(sample)) * per_k,
        opinion_rate=len(_OPINION.findall(sample)) * per_k,
        scholarly_rate=_rate(_SCHOLARLY, sample[:_SCHOLARLY_SAMPLE]),
        rare_share=_rare_share(sample[:30_000]),
        general_rate=len(_GENERAL.findall(sample)) * per_k,
        present_share=_present_share(sample),
        dated_rate=len(_DATED.findall(sample)) * per_k,
        technical_rate=len(_TECHNICAL.findall(sample)) * per_k,
        sentence_rate=len(_SENTENCE_END.findall(sample)) * per_k,
    )


def _present_share(text: str) -> float:
    """Share of present-tense verbs among the common present and past ones (0.5 under ten)."""
    present, past = len(_PRESENT.findall(text)), len(_PAST.findall(text))
    return present / (present + past) if present + past >= 10 else 0.5


def _rate(pattern: re.Pattern, text: str) -> float:
    """Matches of `pattern` per 1,000 words of `text` (as if it had at least 50 words)."""
    return len(pattern.findall(text)) * 1000.0 / max(len(_WORD.findall(text)), 50)


def _rare_share(text: str) -> float:
    """Share of plain lower-case words that are rare in general English (jargon density)."""
    words = _PLAIN_WORD.findall(text)
    if len(words) < 40:
        return 0.0
    return sum(zipf_frequency(w, "en") < _RARE_ZIPF for w in words) / len(words)

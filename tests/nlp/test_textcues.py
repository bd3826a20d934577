from nlp.textcues import read_cues

ABSTRACT = (
    "The optimisation of the representation is a function of the approximation error and of "
    "the computation cost. An evaluation of the implementation on benchmark collections shows "
    "a reduction of the complexity and an improvement of the precision over the existing "
    "formulation, with a discussion of the limitations of the analysis and of its extension."
)
NEWS = (
    "The mayor said on Monday that the bridge would reopen next week after repairs. Drivers "
    "had waited for months, and shop owners told reporters they lost customers while the road "
    "was closed. Police will direct traffic at the busiest corner until the lights are back."
)


def test_academic_prose_has_a_higher_nominal_share_than_news():
    assert read_cues(ABSTRACT).nominal_share > 0.15
    assert read_cues(NEWS).nominal_share < 0.05


def test_a_text_too_short_to_judge_has_no_nominal_share():
    assert read_cues("A short caption.").nominal_share == 0.0

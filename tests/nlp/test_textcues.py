from nlp.textcues import read_cues

EXPLAINER = (
    "A heat pump is a machine that moves heat instead of making it. It usually takes heat from "
    "the outside air, and you can think of it as a fridge run backwards. The compressor raises "
    "the refrigerant's pressure, which means its temperature rises too. Efficiency depends on "
    "the gap between inside and outside: the smaller it is, the less work the pump has to do. "
) * 3
REPORT = (
    "The council said on Tuesday that the bridge was closed. Officials told reporters that "
    "engineers had found cracks last week, and the mayor said repairs were planned. Traffic was "
    "diverted yesterday and drivers were warned. The closure was expected to last a month. "
) * 3


def test_an_explanation_reads_in_the_timeless_present_and_in_general_terms():
    cues = read_cues(EXPLAINER)
    assert cues.present_share > 0.9
    assert cues.general_rate > read_cues(REPORT).general_rate
    assert cues.dated_rate == 0
    assert cues.is_prose


def test_a_news_report_reads_in_the_past_and_is_dated():
    cues = read_cues(REPORT)
    assert cues.present_share < 0.3
    assert cues.dated_rate > 10


def test_technical_wording_counts_the_vocabulary_of_systems_not_of_news():
    essay = "The module caches bytes in memory; the tests show the server's latency fell. " * 10
    assert read_cues(essay).technical_rate > 3 * read_cues(REPORT).technical_rate


def test_a_table_of_figures_is_not_prose():
    table = " ".join(f"row {n} 42 17 ok" for n in range(100))
    assert not read_cues(table).is_prose


def test_a_guides_instructions_are_not_read_as_an_opinion():
    guide = "You should bleed the radiator first. It must be cold. You shouldn't force the valve. "
    assert read_cues(guide * 5).opinion_rate == 0
    assert read_cues("I think we should ban it. " * 5).opinion_rate > 0

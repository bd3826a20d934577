from dataclasses import replace

from nlp import MediaInfo, PageInput, SiteCorrections, TagCorrection
from nlp.extract import extract_page
from nlp.learning import form_of, tag_learning


def tags_of(page, corrections=None):
    return tag_learning(page, extract_page(page), corrections)


def test_a_short_docs_tutorial_with_code_is_micro_learning_in_the_environment(page_from_fixture):
    # A page that teaches one thing ("How to use list comprehensions") is read, not looked up:
    # micro, by the labelling rule of bench/labels/browsing-RULES.md
    tags = tags_of(page_from_fixture("docs_page.html", url="https://docs.python.org/3/tut.html"))
    assert tags.is_learning and tags.learning_score >= 0.9
    assert (tags.source_kind, tags.form, tags.modality, tags.four_e) == (
        "documentation",
        "micro",
        "reading",
        "environment",
    )
    assert "docs site: docs.python.org" in tags.reasons
    assert "4 code blocks" in tags.reasons


def test_an_api_entry_is_a_reference_to_look_things_up_in(page_from_fixture):
    page = page_from_fixture(
        "docs_page.html", url="https://docs.python.org/3/library/stdtypes.html"
    )
    page = replace(
        page, html=page.html.replace("<h1>List comprehensions</h1>", "<h1>list.sort()</h1>")
    )
    page = replace(page, title="list.sort() — Python 3 library reference")
    tags = tags_of(page)
    assert tags.is_learning and tags.form == "reference"
    assert "a page to look things up in" in tags.reasons


def test_a_search_makes_it_just_in_time_and_says_which_search(page_from_fixture):
    page = page_from_fixture(
        "qa_page.html",
        url="https://stackoverflow.com/questions/38987/merge",
        search_query="python merge dicts",
    )
    tags = tags_of(page)
    assert tags.is_learning and tags.form == "just-in-time"
    assert (tags.source_kind, tags.four_e) == ("q&a", "exposure")
    assert "search led here: python merge dicts" in tags.reasons


def test_a_quarter_of_an_hour_on_a_page_a_search_led_to_is_a_deep_dive(page_from_fixture):
    page = page_from_fixture(
        "qa_page.html",
        url="https://stackoverflow.com/questions/38987/merge",
        search_query="python merge dicts",
        engaged_seconds=20 * 60,
    )
    tags = tags_of(page)
    assert tags.is_learning and tags.form == "deep-dive"
    assert "search led here: python merge dicts" in tags.reasons


def test_a_news_report_is_not_learning_and_says_why(page_from_fixture):
    tags = tags_of(page_from_fixture("news_page.html", url="https://www.citynews.example/a"))
    assert not tags.is_learning
    assert tags.source_kind == "news"
    assert tags.form is None and tags.four_e is None
    assert any("news" in reason for reason in tags.reasons)


def test_a_login_page_is_not_learning(page_from_fixture):
    tags = tags_of(page_from_fixture("login_page.html", url="https://app.example.com/signin"))
    assert not tags.is_learning and tags.source_kind == "other"


def test_a_product_page_is_a_shop_and_not_learning(page_from_fixture):
    tags = tags_of(page_from_fixture("shop_page.html", url="https://shoes.example/trail-3"))
    assert not tags.is_learning and tags.source_kind == "shop"


def test_a_watched_education_video_is_learning_by_watching(page_from_fixture):
    page = page_from_fixture(
        "video_page.html",
        url="https://www.youtube.com/watch?v=x",
        kind="video",
        media=MediaInfo(duration=600, watched_seconds=480),
    )
    tags = tags_of(page)
    assert tags.is_learning and tags.modality == "watching" and tags.source_kind == "video"
    assert "watched 80% of a 10-min video" in tags.reasons
    assert "video category: Education" in tags.reasons


def test_a_long_watch_is_a_deep_dive():
    page = PageInput(
        url="https://media.ccc.de/v/some-talk",
        title="Running your own GSM network (conference talk)",
        kind="video",
        text="This talk introduces the GSM protocols and shows how a base station works.",
        media=MediaInfo(duration=2700, watched_seconds=2400),
    )
    tags = tags_of(page)
    assert tags.is_learning and tags.form == "deep-dive" and tags.four_e == "exposure"


def test_a_numbered_lecture_of_a_series_is_a_course_however_long_it_was_watched():
    # The labelling rule: "a lesson/unit of a course or a numbered lecture of a series" is a
    # course; before, 45 minutes of watching made it a deep dive.
    page = PageInput(
        url="https://media.ccc.de/v/os-lectures-14",
        title="CS 162 Lecture 14: Virtual Memory II - Page Tables and TLBs (lecture)",
        kind="video",
        text="This lecture explains how page tables translate virtual addresses.",
        media=MediaInfo(duration=2700, watched_seconds=2700),
    )
    tags = tags_of(page)
    assert tags.is_learning and tags.form == "course"


def test_a_function_entry_of_a_help_centre_is_a_reference(page_from_fixture):
    # "SUMIFS function - ...": an entry one looks up, even where the title names no "reference"
    page = page_from_fixture("docs_page.html", url="https://docs.python.org/3/sumifs.html")
    page = replace(page, title="SUMIFS function - Gridsheet Support")
    tags = tags_of(page)
    assert tags.is_learning and tags.form == "reference"


def test_a_short_scholarly_abstract_is_a_paper_and_learning():
    # Written for this test in the manner of an Inspec abstract: ~55 words and no "this paper"
    # or "we propose" (the only phrases the tagger once knew), so it fails on that tagger.
    page = PageInput(
        url="",
        title="Bounded queues for loss-free ingestion on small machines",
        text=(
            "We consider the ingestion of bursts of small records on a two-core machine. A "
            "bounded queue with back-pressure is analysed, and its loss-free behaviour under "
            "crashes is proved for write-ahead logging with periodic checkpoints. Measurements "
            "on synthetic and recorded workloads show that acceptance latency stays below a "
            "fixed bound while the backlog drains."
        ),
    )
    tags = tags_of(page)
    assert tags.is_learning and tags.source_kind == "paper"
    assert "reads like a scholarly abstract" in tags.reasons


def test_a_stock_phrase_in_a_news_report_does_not_make_it_scholarly(page_from_fixture):
    news = extract_page(page_from_fixture("news_page.html", url="https://www.citynews.example/a"))
    page = PageInput(
        url="https://www.citynews.example/a",
        title=news.title,
        text=news.text + " The new bridge was designed by a local firm, officials said.",
    )
    tags = tags_of(page)
    assert not tags.is_learning and tags.source_kind != "paper"
    assert "reads like a scholarly abstract" not in tags.reasons


def test_an_announcement_is_not_learning_even_in_the_education_category(page_from_fixture):
    lesson = page_from_fixture(
        "video_page.html", url="https://www.youtube.com/watch?v=x", kind="video"
    )
    announcement = page_from_fixture(
        "video_page.html",
        url="https://www.youtube.com/watch?v=x",
        kind="video",
        title="Announcement: a new series starts next week",
    )
    assert tags_of(lesson).is_learning
    tags = tags_of(announcement)
    assert not tags.is_learning
    assert "an announcement (news of a thing)" in tags.reasons


def test_a_users_correction_for_the_site_wins_and_is_marked(page_from_fixture):
    page = page_from_fixture("news_page.html", url="https://www.citynews.example/a")
    corrections = SiteCorrections(
        by_site={"citynews.example": [TagCorrection(is_learning=True, source_kind="article")]}
    )
    tags = tags_of(page, corrections)
    assert tags.is_learning and tags.corrected
    assert tags.source_kind == "article" and tags.form is not None
    assert tags.reasons[0] == "your corrections for citynews.example"


def test_the_latest_correction_wins_and_the_exact_site_beats_its_parent(page_from_fixture):
    page = page_from_fixture("docs_page.html", url="https://docs.python.org/3/x.html")
    corrections = SiteCorrections(
        by_site={
            "docs.python.org": [TagCorrection(form="micro"), TagCorrection(form="deep-dive")],
            "python.org": [TagCorrection(form="course", is_learning=True)],
        }
    )
    tags = tags_of(page, corrections)
    assert tags.form == "deep-dive" and tags.corrected


def test_corrections_for_another_site_change_nothing(page_from_fixture):
    page = page_from_fixture("news_page.html", url="https://www.citynews.example/a")
    corrections = SiteCorrections(by_site={"other.example": [TagCorrection(is_learning=True)]})
    tags = tags_of(page, corrections)
    assert not tags.is_learning and not tags.corrected


def test_an_entry_in_a_wikis_folder_of_entries_is_a_reference_not_micro():
    # "/wiki/Doppler_effect" of a wiki that is not Wikipedia: labelled reference, was micro
    page = PageInput(
        url="https://en.openwiki.example/wiki/Doppler_effect",
        title="Doppler effect - OpenWiki",
        text="The Doppler effect is the change in frequency of a wave for a moving observer.",
        engaged_seconds=120.0,
    )
    assert form_of(page, extract_page(page), "article") == "reference"


def test_a_drug_monograph_shaped_as_an_entry_is_a_reference_not_micro():
    # A headword and the sections of an entry ("Indications and dose", "Side-effects"), no
    # reference site's markup, title or folder: labelled reference, was micro
    text = "\n".join(
        [
            "Ibuprofen",
            "Indications and dose",
            "Pain and inflammation in rheumatic disease; mild to moderate pain; fever.",
            "Cautions",
            "Allergic disorders; cardiac impairment; cerebrovascular disease.",
            "Side-effects",
            "Common or very common: diarrhoea; headache; nausea; vomiting.",
        ]
    )
    page = PageInput(
        url="https://www.formulary.example/drugs/ibuprofen/",
        title="Ibuprofen | Drugs",
        text=text,
        engaged_seconds=90.0,
    )
    assert form_of(page, extract_page(page), "article") == "reference"
    prose = replace(page, text=text.replace("\n", " "))  # the same words, not as headings
    assert form_of(prose, extract_page(prose), "article") == "micro"


def test_api_inside_a_projects_hyphenated_name_is_no_reference_entry():
    from nlp.page_kind import looks_up

    def looks_up_title(title):
        page = PageInput(url="https://git.example/ledgerly-api", title=title, text="x")
        return looks_up(page, extract_page(page))

    assert not looks_up_title("Pipeline #48213 · ledgerly / ledgerly-api")
    assert looks_up_title("Payments API")

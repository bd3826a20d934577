from nlp import MediaInfo, PageInput
from nlp.extract import THREAD_STUB_WORDS, extract_page


def test_the_callers_title_wins_over_the_guessed_one(page_from_fixture):
    extracted = extract_page(page_from_fixture("docs_page.html", title="List comprehensions"))
    assert extracted.title == "List comprehensions"


def test_without_a_callers_title_the_page_title_is_used(page_from_fixture):
    extracted = extract_page(page_from_fixture("docs_page.html"))
    assert "Generated title" in extracted.title or extracted.title == "List comprehensions"


def test_main_text_keeps_the_article_and_drops_navigation_and_footer(page_from_fixture):
    text = extract_page(page_from_fixture("docs_page.html")).text
    assert "generator expression uses parentheses" in text
    assert "All rights reserved" not in text
    assert "Privacy policy" not in text


def test_metadata_has_site_canonical_url_language_word_count_and_schema_types(page_from_fixture):
    meta = extract_page(
        page_from_fixture("docs_page.html", url="https://www.example.org/x")
    ).metadata
    assert meta.site == "example.org"
    assert meta.canonical_url == "https://docs.example.org/tutorial/comprehensions.html"
    assert meta.language == "en"
    assert meta.word_count > 150
    assert meta.reading_minutes > 0.5
    assert "TechArticle" in meta.page_types


def test_a_qa_page_keeps_the_question_and_puts_the_accepted_answer_first(page_from_fixture):
    text = extract_page(page_from_fixture("qa_page.html")).text
    assert text.index("single expression") < text.index("merge operator")
    assert text.index("merge operator") < text.index("double asterisks")
    assert "Hot network questions" not in text


def test_a_login_page_yields_little_text_and_no_error(page_from_fixture):
    extracted = extract_page(page_from_fixture("login_page.html"))
    assert extracted.metadata.word_count < 30
    assert extracted.signals.password_fields == 1


def test_a_german_page_is_detected_as_german(page_from_fixture):
    assert extract_page(page_from_fixture("german_page.html")).metadata.language == "de"


def test_a_video_page_becomes_description_plus_transcript(page_from_fixture):
    page = page_from_fixture(
        "video_page.html",
        url="https://www.youtube.com/watch?v=x",
        kind="video",
        media=MediaInfo(
            duration=900, watched_seconds=700, transcript="Today we draw with circles."
        ),
    )
    extracted = extract_page(page)
    assert extracted.text.startswith("A visual introduction to Fourier series")
    assert "Rotating vectors" in extracted.text
    assert extracted.text.endswith("Today we draw with circles.")
    assert extracted.signals.genre == "Education"


def test_a_plain_text_capture_passes_through():
    extracted = extract_page(PageInput(url="https://a.example/n", title="Notes", text="Just text."))
    assert (extracted.title, extracted.text) == ("Notes", "Just text.")


def test_broken_or_empty_html_gives_empty_text_without_raising():
    for html in ("", "<html", "\x00\x01", "<?xml version='1.0'?><a/>", "<p>" * 10000):
        extracted = extract_page(PageInput(url="https://a.example/", html=html))
        assert isinstance(extracted.text, str)


def test_an_issue_thread_keeps_its_question_and_answers_held_in_comment_blocks(page_from_fixture):
    text = extract_page(page_from_fixture("issue_thread_page.html")).text
    assert "Is the scheduler ignoring daylight saving time?" in text
    assert text.index("daylight saving time?") < text.index("converts every next run")
    assert "Privacy" not in text


def test_reader_comments_under_an_article_stay_out_of_its_text():
    article = " ".join(
        f"<p>Paragraph {n} of the essay explains how sourdough starters ferment flour and water "
        "over several days, and why the yeast and bacteria balance each other.</p>"
        for n in range(8)
    )
    comments = " ".join(
        f'<div class="comment"><b>reader{n}</b><p>Lovely bread, my kitchen cat approves.</p></div>'
        for n in range(20)
    )
    html = (
        f"<html><body><main><article><h1>Sourdough starters</h1>{article}</article>"
        f'<section id="comments"><h2>Comments</h2>{comments}</section></main></body></html>'
    )
    text = extract_page(PageInput(url="https://blog.example/sourdough", html=html)).text
    assert len(text.split()) >= THREAD_STUB_WORDS
    assert "ferment flour" in text
    assert "kitchen cat" not in text

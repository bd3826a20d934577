"""The checks of how a text teaches and where a page sits (`nlp.teaching_checks`), one small page
each: the check fires on the cue a person notices, with its reason, and stays quiet without it.
"""

from __future__ import annotations

from nlp import PageInput
from nlp.evidence import page_features
from nlp.extract import extract_page
from nlp.learning import tag_learning
from nlp.page_kind import PageView, source_kind
from nlp.teaching_checks import entry_sections
from nlp.textcues import read_cues

_FILLER = (
    "The garden path runs past the old wall where the morning light falls on the stones and the "
    "moss grows thick in the cracks between them, green and soft after the autumn rain. "
)


def features_of(page: PageInput) -> dict[str, tuple[float, str]]:
    """The tagger's features of `page`: check name -> (strength, reason)."""
    ex = extract_page(page)
    cues = read_cues(ex.text)
    kind, why = source_kind(page, ex, cues)
    return {
        name: (strength, reason)
        for name, strength, reason in page_features(PageView(page, ex, cues), kind, why)
    }


def text_page(text: str, title: str = "Notes", url: str = "https://example.org/notes") -> PageInput:
    return PageInput(url=url, title=title, text=text)


def html_page(head: str, title: str = "A paper", url: str = "https://example.org/p/1") -> PageInput:
    body = "".join(f"<p>{_FILLER}</p>" for _ in range(4))
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return PageInput(url=url, title=title, html=html)


_ANSWER = (
    "It comes down to the way the pressure changes across the surface of the wing, and the air "
    "moving faster over the top than underneath it while the plane climbs."
)
_QUESTIONS = "\n".join(
    f"{question}\n{_ANSWER}"
    for question in (
        "What is lift?",
        "Why does a wing need speed?",
        "How does a flap change the lift?",
        "When does a wing stall?",
    )
)


def test_questions_a_text_asks_and_then_answers_are_evidence_of_teaching():
    found = features_of(text_page(_QUESTIONS + "\n" + _FILLER * 2))
    assert found["asks and answers"][1] == "asks questions and answers them (4)"
    assert found["asks and answers"][0] == 0.75  # full strength at 5


def test_questions_without_answers_are_no_evidence_of_teaching():
    asked = "\n".join(line for line in _QUESTIONS.splitlines() if line.endswith("?"))
    assert "asks and answers" not in features_of(text_page(asked + "\n" + _FILLER * 3))


def test_wording_that_explains_a_cause_is_evidence_of_teaching():
    text = (
        _FILLER * 4
        + "That's why the stones stay wet. In other words, the wall holds water. "
        + "This means the moss never dries out."
    )
    found = features_of(text_page(text))
    assert found["explaining wording"][1] == "explains why (that's why, in other words...)"
    assert "explaining wording" not in features_of(text_page(_FILLER * 5))


def test_a_page_in_a_sites_guides_section_is_placed_there():
    found = features_of(text_page(_FILLER, url="https://example.org/guides/pruning-roses"))
    assert found["teaching section"] == (1.0, "in the site's guides section")
    assert "teaching section" not in features_of(text_page(_FILLER))


def test_a_page_in_a_sites_interiors_section_is_placed_there():
    found = features_of(text_page(_FILLER, url="https://example.org/interiors/cosy-hallways"))
    assert found["news or lifestyle section"] == (1.0, "in the site's interiors section")


def test_a_section_the_markup_declares_counts_like_the_address():
    head = '<meta property="article:section" content="Fashion">'
    found = features_of(html_page(head, title="Autumn coats"))
    assert found["news or lifestyle section"] == (1.0, "in the site's fashion section")


def test_citation_metadata_in_the_markup_marks_a_paper():
    found = features_of(html_page('<meta name="citation_title" content="On moss">'))
    assert found["citation metadata"] == (1.0, "citation metadata of a paper")
    assert "citation metadata" not in features_of(html_page('<meta name="author" content="A">'))


def test_a_shopping_roundups_wording_is_evidence_against_learning():
    text = _FILLER * 3 + "We love this chic lamp. Shop the look: a gorgeous rug, our favourites."
    found = features_of(text_page(text))
    assert found["shopping wording"][1] == "shopping wording (we love, chic, shop the look)"
    assert found["shopping wording"][0] == 1.0


def test_a_sales_pages_calls_to_action_are_counted():
    text = _FILLER * 2 + "Enrol now and save 40%. Start your free trial. Money-back guarantee."
    found = features_of(text_page(text))
    assert found["calls to action"][1] == "calls to action (4: sign up, pricing...)"
    assert "calls to action" not in features_of(text_page(_FILLER * 2 + "Sign up."))


def test_a_search_page_whose_title_is_the_query_is_named_so():
    page = text_page(
        _FILLER,
        title="how do passkeys work - Kestrel Search",
        url="https://search.example.org/?q=how+do+passkeys+work",
    )
    assert features_of(page)["title is the search"] == (1.0, "the title is the search query")
    own_title = text_page(_FILLER, title="Passkeys explained", url=page.url)
    assert "title is the search" not in features_of(own_title)


def test_a_list_of_cut_off_teasers_is_an_index_not_a_piece():
    teaser = "The first lines of the post, cut off here..."
    teasers = "\n".join(f"{title}\n{teaser}" for title in "ABCD")
    found = features_of(text_page(teasers + "\n" + _FILLER))
    assert found["list of teasers"][1] == "a list of teasers (4 cut-off entries)"


def test_a_privacy_policy_is_a_legal_page():
    found = features_of(text_page(_FILLER * 2, title="Privacy Policy - Example Ltd"))
    assert found["legal page"] == (1.0, "a legal page (privacy, terms)")
    assert "legal page" not in features_of(text_page(_FILLER * 2, title="Moss on walls"))


def test_a_reviews_verdict_and_pros_and_cons_are_evidence_against_learning():
    text = _FILLER * 2 + "Pros and cons below. Our verdict: worth the money, 4 out of 5."
    found = features_of(text_page(text))
    assert found["review wording"][1] == "a review (pros and cons, verdict: 4)"


def test_a_thread_asking_for_favourites_asks_for_opinions():
    found = features_of(text_page(_FILLER, title="What's your favourite comfort film?"))
    assert found["asks for opinions"] == (1.0, "asks for opinions")
    assert "asks for opinions" not in features_of(text_page(_FILLER, title="How to fix a tap?"))


def test_the_tagger_gives_a_new_checks_reason_with_its_weight():
    tags = tag_learning(page := text_page(_FILLER, title="Privacy Policy"), extract_page(page))
    assert not tags.is_learning
    assert "a legal page (privacy, terms)" in tags.reasons


_EXPLAINER = """What is a yield curve?
A yield curve is a line that plots the interest rates of bonds that have equal credit quality \
but different maturity dates. Investors watch its shape closely because it tells them what \
lenders expect.
Why does the curve usually slope upwards?
Lenders want more for tying their money up longer. That's why a ten-year bond normally pays more \
than a two-year one. In other words, time itself carries a price.
What does an inverted curve mean?
When short rates rise above long ones, the curve inverts. This means lenders expect rates to \
fall, which usually happens when they expect the economy to slow down.
How do banks react to it?
Banks borrow short and lend long, and a steep curve is good news for them, since each new loan \
earns more than the deposits that fund it cost.
Banks borrow short and lend long, so a flat or inverted curve squeezes the margin they earn on \
each loan, and they tend to lend less as a result.
"""


def test_a_prose_explainer_without_code_or_steps_is_learning_and_says_why():
    # The tagger before these checks called it not learning (score 0.28): no code, no steps
    page = text_page(
        _EXPLAINER, title="The yield curve", url="https://money.example.org/2026/yield-curve"
    )
    tags = tag_learning(page, extract_page(page))
    assert tags.is_learning
    assert "asks questions and answers them (4)" in tags.reasons
    assert "explains why (that's why, in other words...)" in tags.reasons[:3]


def test_the_sections_of_a_dictionary_entry_are_found_by_their_headings_not_by_prose():
    entry = "\n".join(
        [
            "sonder",
            "/ˈsɒn.dər/",
            "noun [ U ] informal",
            "the sudden realization that every passer-by has a life as vivid as your own",
            "Origin",
            "Coined in 2012 for an online project inventing words for emotions.",
            "See also: anemoia",
        ]
    )
    assert entry_sections(entry) == ["pronunciation", "noun", "origin", "see"]
    assert entry_sections("Its origin is German, and the usage is spreading online.") == []


def test_an_entrys_sections_are_evidence_of_a_page_to_look_things_up_in():
    entry = "sonder\n/ˈsɒn.dər/\nnoun\n" + _FILLER + "\nOrigin\n" + _FILLER + "\nSee also\nanemoia"
    found = features_of(text_page(entry, title="sonder"))
    assert found["entry sections"] == (1.0, "an entry's sections (pronunciation, noun, origin...)")
    assert "entry sections" not in features_of(text_page(_FILLER * 3, title="sonder"))


_COURSE_SALES = """<html><head><title>Data Bootcamp — job-ready in 12 weeks</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Course",
"name": "Data Bootcamp", "offers": {"@type": "Offer", "price": "4990", "priceCurrency": "GBP"}}
</script></head><body><h1>Become an analyst in 12 weeks</h1>
<p>Live classes, a mentor and real projects, with no degree needed to join the next cohort.</p>
<h2>What you'll learn</h2><ul><li>Weeks 1-4: spreadsheets</li><li>Weeks 5-8: SQL</li>
<li>Weeks 9-12: Python and a capstone project</li></ul>
<p>£4,990, or from £150 a month with 0% financing.</p></body></html>"""


def course_page(html: str) -> PageInput:
    return PageInput(url="https://www.dataworks.example/bootcamps/data", html=html)


def test_a_course_on_sale_is_a_shops_page_not_a_lesson():
    page = course_page(_COURSE_SALES)
    ex = extract_page(page)
    kind, why = source_kind(page, ex, read_cues(ex.text))
    assert (kind, why) == ("shop", "sells a course (a priced offer in its markup)")
    found = features_of(page)
    assert "teaching schema" not in found and "kind:course" not in found
    assert not tag_learning(page, ex).is_learning  # the tagger before: learning (0.91)


def test_a_course_page_without_a_priced_offer_is_still_a_course():
    lesson = _COURSE_SALES.replace(', "offers": {"@type": "Offer", "price": "4990", ', ", ")
    lesson = lesson.replace('"priceCurrency": "GBP"}', '"x": 1')
    page = course_page(lesson)
    ex = extract_page(page)
    assert source_kind(page, ex, read_cues(ex.text)) == ("course", "schema.org Course")
    assert features_of(page)["teaching schema"] == (1.0, "schema.org Course")


_WEEKEND = """48 hours in Porto: where to eat, stay and wander
Porto stole my heart. Here is exactly how I'd spend a weekend in the city.
Where to stay
Base yourself near the river. I loved a small guesthouse with a stunning view (from €120 a night).
Day one
Start with coffee, wander the old town, then a rooftop bar for sunset before dinner.
Day two
Take a day trip up the valley, then tapas and cocktails on the way back. Book ahead!
My tips
Wear comfy shoes: the hills are steep and the streets are cobbled all the way down to the water.
Get a transport card and top it up rather than buying single tickets, since it is cheaper.
Restaurants usually bring bread and olives to the table; they are not free, so send them back if \
you do not want them. Most museums close on Mondays, and the queues at the famous bookshop are \
shorter first thing in the morning. If you have an extra day, the coast is half an hour away by \
train and the fish there is the best you will eat in the country.
Have you been? Tell me your favourite spots in the comments!
"""


def test_a_travel_plans_wording_is_evidence_against_learning():
    page = text_page(_WEEKEND, title="48 Hours in Porto (2026 Guide)")
    found = features_of(page)
    assert found["travel wording"] == (1.0, "travel wording (where to stay, day trip, rooftop...)")
    assert "travel wording" not in features_of(text_page(_FILLER * 3 + "A hotel at sunset."))
    assert not tag_learning(
        page, extract_page(page)
    ).is_learning  # the tagger before: learning (0.59)


_NEWS_EXPLAINER = (
    "The bank said on Thursday that it would hold its rate, officials told reporters. "
    "But why do mortgage rates move at all? Lenders borrow money themselves, and that's why "
    "their own costs feed through to what you pay. In other words, a fixed rate is a bet on "
    "where borrowing costs will be. This means a rise in the markets' expectations shows up in "
    "new deals within days, long before the bank's next decision. "
) * 3


def test_an_explainer_written_as_news_is_named_so():
    page = text_page(
        _NEWS_EXPLAINER,
        title="How are mortgage rates set?",
        url="https://broadcast.example/news/business-7011",
    )
    found = features_of(page)
    assert found["explainer written as news"] == (
        1.0,
        "an explainer written as news (it explains what its title asks)",
    )
    report = text_page(_NEWS_EXPLAINER, title="Bank holds rate", url=page.url)
    assert "explainer written as news" not in features_of(report)
    elsewhere = text_page(_FILLER * 3, title="How are mortgage rates set?", url=page.url)
    assert "explainer written as news" not in features_of(elsewhere)

import json

import pytest

from nlp import PageInput

pytestmark = [pytest.mark.model, pytest.mark.corpus]


def test_real_article_pages_yield_their_main_text(analyzer, corpus):
    names = ["rdb-002", "rdb-dropbox-blog", "aeb-3c5bf8db4272925b"]
    pages = [
        PageInput(url="https://example.org/", html=(corpus / "articles" / f"{n}.html").read_text())
        for n in names
    ]
    for name, analysis in zip(names, analyzer.analyze_many(pages), strict=True):
        gold = (corpus / "articles" / f"{name}.gold.txt").read_text()
        first_words = " ".join(gold.split()[:6])
        assert first_words in " ".join(analysis.text.split()), name
        assert len(analysis.concepts) >= 5


def test_a_real_youtube_watch_page_yields_its_description(analyzer, corpus):
    html = (corpus / "video" / "yt-GJLlxj_dtq8.watch.html").read_text()
    meta = json.loads((corpus / "video" / "yt-GJLlxj_dtq8.meta.json").read_text())
    analysis = analyzer.analyze(
        PageInput(url=meta["url"], title=meta["title"], html=html, kind="video")
    )
    assert analysis.title == meta["title"]
    assert "Surface Go" in analysis.text
    assert analysis.learning.source_kind == "video"

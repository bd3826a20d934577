"""The bench's visit model (`bench.browsing_set`): a page is scored as the extension would send it
after the visit, its player's media included."""

from __future__ import annotations

from bench.browsing_set import page_for, visit

# A podcast episode's page (spent blind batch fresh4): an <audio> player, and the episode's
# length only in its JSON-LD and microdata ("PT46M12S").
_PODCAST = "own/fresh4-podcast-history-black-death-spread"


def test_a_podcast_page_is_heard_for_its_episodes_length_not_read_for_its_show_notes():
    page = page_for(_PODCAST)
    assert page.kind == "audio" and page.media and page.media.duration == 46 * 60 + 12
    whole = visit(page, "whole", words=400)
    assert whole.engaged_seconds == 2772 and whole.media.watched_seconds == 2772


def test_a_page_without_a_player_is_read_for_the_time_its_words_take():
    page = page_for("own/fresh4-dictionary-petrichor")
    assert page.kind == "page" and page.media is None
    assert visit(page, "whole", words=460).engaged_seconds == 120

from hypothesis import given, settings
from hypothesis import strategies as st

from publisher import TWEET_LIMIT, split_thread, tweet_length


def test_x_weighs_urls_emoji_and_cjk():
    assert tweet_length("a" * 10) == 10
    assert tweet_length("https://example.com/" + "x" * 200) == 23
    assert tweet_length("lapor.go.id") == 23
    assert tweet_length("😀") == 2
    assert tweet_length("👨\u200d👩\u200d👧") == 2
    assert tweet_length("日本") == 4


def test_short_text_is_one_unnumbered_tweet():
    assert split_thread(["Halo Tuban", "", "Rekap pekan ini."]) == ["Halo Tuban\n\nRekap pekan ini."]


def test_long_paragraphs_split_on_sentences_and_are_numbered():
    sentence = "Jalan di Desa Sugihwaras sudah diperbaiki oleh Dinas PUPR PRKP minggu ini."
    tweets = split_thread([" ".join([sentence] * 12), "Terima kasih 🙏"])
    assert len(tweets) > 1
    assert all(tweet_length(tweet) <= TWEET_LIMIT for tweet in tweets)
    assert [tweet.rsplit("\n\n", 1)[1] for tweet in tweets] == [f"{i}/{len(tweets)}" for i in range(1, len(tweets) + 1)]
    assert all(sentence in tweet for tweet in tweets[:-1])


words = st.one_of(
    st.text(min_size=1, max_size=30),
    st.sampled_from(["😀", "👨\u200d👩\u200d👧", "日本語", "https://lapor.go.id/" + "x" * 80, "Tuban.", "aduan!"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(words, max_size=60).map(" ".join), max_size=8))
def test_no_tweet_over_the_limit_no_word_lost_order_kept(paragraphs):
    tweets = split_thread(paragraphs)
    assert all(tweet_length(tweet) <= TWEET_LIMIT for tweet in tweets)
    if len(tweets) > 1:
        tweets = [tweet.rsplit("\n\n", 1)[0] for tweet in tweets]
    assert "".join("".join(tweets).split()) == "".join("".join(paragraphs).split())

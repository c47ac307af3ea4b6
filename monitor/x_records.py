"""X's tweets as neutral records: retweets resolved to their original, replies to us kept, media and times read."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from monitor.records import MAX_TEXT_CHARS, Media, PostRecord, clean_text
from monitor.wire import dicts, mapping

TWITTER_EPOCH_MS = 1288834974657  # tweet ids are snowflakes: milliseconds since this instant, shifted by 22 bits


def page_records(
    body: dict, account: str | None, own_handles: frozenset[str]
) -> tuple[list[PostRecord], list[str], list[str]]:
    """A page's records, what could not be read, and every tweet id on it (for the cursor).

    ``account`` is the watched account a mentions feed is about; a tweet one
    of ``own_handles`` answered is stored too, for the thread.
    """
    includes = mapping(body.get("includes"))
    users = {str(user.get("id")): user for user in dicts(includes.get("users"))}
    included = {str(tweet.get("id")): tweet for tweet in dicts(includes.get("tweets"))}
    media = {str(item.get("media_key")): item for item in dicts(includes.get("media"))}
    records: dict[str, PostRecord] = {}
    errors: list[str] = []
    ids: list[str] = []
    for tweet in dicts(body.get("data")):
        tweet_id = str(tweet.get("id", ""))
        if not tweet_id.isdigit():
            errors.append(f"tweet tanpa id yang sah dilewati: {str(tweet)[:80]}")
            continue
        ids.append(tweet_id)
        references = _references(tweet)
        retweeted = references.get("retweeted")
        if retweeted is not None:
            original = included.get(retweeted)
            if original is None:
                errors.append(f"retweet {tweet_id}: X tidak menyertakan tweet aslinya ({retweeted}); dilewati")
                continue
            tweet, references = original, _references(original)
        record = _record(tweet, references, users, media, account)
        if record is None:
            errors.append(f"tweet {tweet_id} tidak terbaca; dilewati")
            continue
        records.setdefault(record.platform_id, record)
        parent = included.get(references.get("replied_to", ""))
        parent_author = users.get(str((parent or {}).get("author_id")), {}).get("username", "")
        if parent is not None and parent_author.lower() in own_handles:
            parent_record = _record(parent, _references(parent), users, media, None)
            if parent_record is not None:
                records.setdefault(parent_record.platform_id, parent_record)
    return list(records.values()), errors, ids


def _record(
    tweet: dict, references: dict[str, str], users: dict[str, dict], media: dict[str, dict], account: str | None
) -> PostRecord | None:
    tweet_id = str(tweet.get("id", ""))
    note = mapping(tweet.get("note_tweet"))
    text = note.get("text") or tweet.get("text")
    if not tweet_id.isdigit() or not isinstance(text, str):
        return None
    author_id = str(tweet["author_id"]) if str(tweet.get("author_id", "")).isdigit() else None
    username = str(users.get(author_id or "", {}).get("username") or "")
    kind = "quote" if "quoted" in references else "reply" if "replied_to" in references else "mention"
    attachments = mapping(tweet.get("attachments"))
    keys = attachments.get("media_keys") if isinstance(attachments.get("media_keys"), list) else []
    raw = {
        "conversation_id": tweet.get("conversation_id"),
        "in_reply_to_user_id": tweet.get("in_reply_to_user_id"),
        "quoted_id": references.get("quoted"),
        "lang": tweet.get("lang"),
    }
    return PostRecord(
        platform="x",
        platform_id=tweet_id,
        author=(username or f"id:{author_id or 'tidak-diketahui'}")[:100],
        author_id=author_id,
        text=clean_text(html.unescape(text))[:MAX_TEXT_CHARS],
        created_at=_created_at(tweet),
        kind=kind,
        url=f"https://x.com/{username or 'i/web'}/status/{tweet_id}",
        in_reply_to=references.get("replied_to"),
        account=account,
        media=tuple(_media(media[key]) for key in keys if str(key) in media),
        raw={name: value for name, value in raw.items() if value is not None},
    )


def _created_at(tweet: dict) -> datetime:
    """The tweet's time; when X left it out, the time its snowflake id carries."""
    value = tweet.get("created_at")
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is not None:
                return parsed.astimezone(UTC)
        except ValueError:
            pass
    return datetime.fromtimestamp(((int(tweet["id"]) >> 22) + TWITTER_EPOCH_MS) / 1000, UTC)


def _media(item: dict) -> Media:
    kind = str(item.get("type") or "photo")
    url = item.get("url") if isinstance(item.get("url"), str) else None
    preview = item.get("preview_image_url") if isinstance(item.get("preview_image_url"), str) else None
    return Media(
        type=kind,
        url=url,
        preview_url=preview or (url if kind == "photo" else None),
        width=item.get("width") if isinstance(item.get("width"), int) else None,
        height=item.get("height") if isinstance(item.get("height"), int) else None,
    )


def _references(tweet: dict) -> dict[str, str]:
    return {
        str(reference.get("type")): str(reference.get("id"))
        for reference in dicts(tweet.get("referenced_tweets"))
        if str(reference.get("id", "")).isdigit()
    }

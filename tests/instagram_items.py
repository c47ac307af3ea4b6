"""What the watched Instagram account receives, as instagrapi reads it: posts that tag it, comments on its posts,
posts under a hashtag and direct messages, for ``monitor.instagram.InstagramSource`` against
``tests.instagram_fakes``. Citizens' values are obvious dummies, as the account's are.
"""

from __future__ import annotations

from instagrapi.utils import InstagramIdCodec

from tests.instagram_fakes import TAKEN_AT, USER_ID, USERNAME, post

CITIZEN_ID = "5550001"
CITIZEN = "warga.jenu"
STRANGER_ID = "5550002"
STRANGER = "warga.baru"  # does not follow the account: their messages wait in the message requests
CDN = "https://scontent.cdninstagram.com/v/"
PLEASE_WAIT = {"message": "Please wait a few minutes before you try again.", "status": "fail"}
"""What Instagram answers (HTTP 429, or 400) when it wants a pause; instagrapi raises PleaseWaitFewMinutes for it."""


def image(name: str) -> dict:
    """``image_versions2`` as Instagram sends it: the same picture in several sizes, largest first."""
    sizes = [(1080, 1350), (640, 800), (320, 400), (150, 188), (96, 120)]
    return {"candidates": [{"url": f"{CDN}{name}-{w}.jpg", "width": w, "height": h} for w, h in sizes]}


def media(
    pk: str,
    caption: str | None,
    *,
    user_pk: str = CITIZEN_ID,
    username: str = CITIZEN,
    taken_at: int = TAKEN_AT,
    comment_count: int = 0,
) -> dict:
    """A post by someone else that tags the account, as usertags/{id}/feed/ and tags/{name}/sections/ list it."""
    return {
        "pk": pk,
        "id": f"{pk}_{user_pk}",
        "code": InstagramIdCodec.encode(int(pk)),  # the shortcode in the post's URL
        "taken_at": taken_at,
        "media_type": 1,
        "user": {"pk": user_pk, "username": username, "full_name": username.title()},
        "caption": {"text": caption} if caption is not None else None,
        "like_count": 3,
        "comment_count": comment_count,
        "usertags": {"in": [{"user": {"pk": USER_ID, "username": USERNAME}, "position": [0.5, 0.5]}]},
        "image_versions2": image(f"post-{pk}"),
    }


def our_post(pk: str, caption: str, comment_count: int, taken_at: int = TAKEN_AT) -> dict:
    """One of the account's own posts as feed/user/{id}/ lists it, with its comment count."""
    return post(pk, caption) | {"comment_count": comment_count, "taken_at": taken_at}


def comment(pk: str, text: str, *, user_pk: str = CITIZEN_ID, username: str = CITIZEN, at: int = TAKEN_AT) -> dict:
    return {
        "pk": pk,
        "text": text,
        "user": {"pk": user_pk, "username": username},
        "created_at": at,
        "created_at_utc": at,
        "content_type": "comment",
        "status": "Active",
        "type": 0,
        "comment_like_count": 0,
        "has_liked_comment": False,
    }


def comments_page(*comments: dict, next_max_id: str | None = None) -> dict:
    """media/{id}/comments/: the newest comments first, older ones behind ``next_max_id``."""
    page = {"comments": list(comments), "comment_count": len(comments), "status": "ok"}
    return page | {
        "has_more_comments": next_max_id is not None,
        **({"next_max_id": next_max_id} if next_max_id else {}),
    }


def hashtag_page(*medias: dict) -> dict:
    """tags/{name}/sections/ for the "recent" tab: grids of three posts per section."""
    sections = [
        {"layout_type": "media_grid", "layout_content": {"medias": [{"media": item} for item in medias[i : i + 3]]}}
        for i in range(0, len(medias), 3)
    ]
    return {"sections": sections, "more_available": False, "next_page": 1, "next_media_ids": [], "status": "ok"}


def microseconds(seconds_after: int) -> int:
    """A direct-message timestamp: microseconds since the epoch, ``seconds_after`` TAKEN_AT."""
    return (TAKEN_AT + seconds_after) * 1_000_000


def text_message(item_id: str, text: str, at: int, user_id: str = CITIZEN_ID) -> dict:
    return {"item_id": item_id, "user_id": int(user_id), "timestamp": at, "item_type": "text", "text": text}


def story_mention(item_id: str, at: int, text: str = "", user_id: str = CITIZEN_ID) -> dict:
    """Someone mentioned the account in their story: a ``reel_share`` item of type ``mention`` (not modelled by
    instagrapi, kept as the raw dict)."""
    story = {
        "pk": "3799000000000000001",
        "id": f"3799000000000000001_{user_id}",
        "media_type": 1,
        "taken_at": at // 1_000_000 - 60,
        "image_versions2": image("story"),
        "user": {"pk": user_id, "username": CITIZEN},
    }
    share = {"type": "mention", "text": text, "media": story, "reel_owner_id": int(user_id)}
    share |= {"mentioned_user_id": int(USER_ID), "is_reel_persisted": False, "reel_type": "user_reel"}
    return {
        "item_id": item_id,
        "user_id": int(user_id),
        "timestamp": at,
        "item_type": "reel_share",
        "reel_share": share,
    }


def shared_post(item_id: str, shared: dict, at: int, user_id: str = CITIZEN_ID) -> dict:
    """Someone shared a post with the account; Instagram often leaves the post's ``code`` out here."""
    post_without_code = {key: value for key, value in shared.items() if key != "code"}
    return {
        "item_id": item_id,
        "user_id": int(user_id),
        "timestamp": at,
        "item_type": "media_share",
        "media_share": post_without_code,
    }


def thread(thread_id: str, *items: dict, user_pk: str = CITIZEN_ID, username: str = CITIZEN, **fields) -> dict:
    """A direct thread with one other person, its items newest first, with DirectThread's required fields."""
    newest = max((item["timestamp"] for item in items), default=microseconds(0))
    return {
        "thread_id": thread_id,
        "thread_v2_id": f"1784{thread_id[-10:]}",
        "users": [{"pk": user_pk, "pk_id": user_pk, "username": username, "full_name": username.title()}],
        "left_users": [],
        "admin_user_ids": [],
        "items": sorted(items, key=lambda item: item["timestamp"], reverse=True),
        "last_activity_at": newest,
        "muted": False,
        "is_pin": False,
        "named": False,
        "canonical": True,
        "pending": False,
        "archived": False,
        "thread_type": "private",
        "thread_title": username,
        "folder": 0,
        "vc_muted": False,
        "is_group": False,
        "mentions_muted": False,
        "approval_required_for_new_members": False,
        "input_mode": 0,
        "has_older": False,
        "oldest_cursor": None,
    } | fields


OUR_PK = "3700000000000000100"
QUIET_PK = "3700000000000000090"
THREAD = "340282366841710300949128100000000001"
REQUEST_THREAD = "340282366841710300949128100000000002"


def tagged(count: int) -> list[dict]:
    """``count`` posts tagging the account, newest first."""
    return [
        media(f"37100000000000000{n:02d}", f"Laporan nomor {n}", taken_at=TAKEN_AT + n) for n in range(count, 0, -1)
    ]

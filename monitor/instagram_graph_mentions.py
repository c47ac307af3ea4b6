"""Mentions of our account read through the Graph API: Meta's ``mentions`` webhook sends only ids.

A mention in someone's caption is read with the ``mentioned_media`` field expansion, one in a comment with
``mentioned_comment``; both are asked of our own account's node, the only way the Graph API shows media and
comments of accounts that are not ours. A caption mention is the post itself (its id is the media id, so a
post that also tags us and is read by the ``tags`` poll is stored once); a comment mention keeps the post it is
under (``graph_media_id``) and ``mentioned_comment``, so a reply to it goes to that comment's thread.
"""

from __future__ import annotations

from dataclasses import replace

from monitor.graph_api import GraphClient
from monitor.instagram_graph_items import TAG_FIELDS, media_record, validated_record
from monitor.records import PostRecord
from monitor.wire import mapping

MENTIONED_COMMENT_FIELDS = "id,text,timestamp,username,media{id,permalink}"


def read_mention(client: GraphClient, user_id: str, media_id: str, comment_id: str | None, account: str) -> PostRecord:
    """The mention in post ``media_id`` (in its comment ``comment_id``, if given) as a record of kind ``mention``;
    raises ``GraphError`` or ``RecordError``."""
    if comment_id is None:
        fields = f"mentioned_media.media_id({media_id}){{{TAG_FIELDS}}}"
        found = mapping(client.get(user_id, fields=fields).get("mentioned_media"))
        return media_record(found, "mention", account).record
    fields = f"mentioned_comment.comment_id({comment_id}){{{MENTIONED_COMMENT_FIELDS}}}"
    found = mapping(client.get(user_id, fields=fields).get("mentioned_comment"))
    text, username, post = found.get("text"), found.get("username"), mapping(found.get("media"))
    record = validated_record(
        found,
        text=text,
        author=username if isinstance(username, str) else "id:tidak-diketahui",
        kind="mention",
        url=post.get("permalink") if isinstance(post.get("permalink"), str) else None,
        account=account,
    )
    return replace(record, raw={"graph_media_id": media_id, "mentioned_comment": True})

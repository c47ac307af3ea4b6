"""Publishing: the weekly and monthly recap rendered and posted exactly once per channel, with drafts,
approval and retries. Command: ``cli/publishing.py`` (``satukanal publish``); page: ``web/publishing.py``
(Publikasi)."""

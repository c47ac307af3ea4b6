"""Users: staff accounts, logging in, API tokens. Command: ``cli/users.py``; pages: ``web/users.py``
(login and logout)."""

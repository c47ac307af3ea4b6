"""The configuration: the TOML file's sections (``sections``, each a ``…Config``), and ``Settings`` built from
them, the environment and the secrets (``settings``, with ``load_settings``)."""

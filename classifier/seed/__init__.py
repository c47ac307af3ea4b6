"""The seed corpus the default model is trained on, written by the SatuKanal team."""

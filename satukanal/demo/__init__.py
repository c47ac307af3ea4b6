"""Demo posts written by the SatuKanal team, and the demo runner."""

"""A corpus of small add-ons, one per way real add-ons are built, run in fake_kodi and in real Kodi."""

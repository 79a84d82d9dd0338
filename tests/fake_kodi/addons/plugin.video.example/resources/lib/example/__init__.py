"""The example add-on's code (a small but real Kodi add-on used to test fake_kodi)."""

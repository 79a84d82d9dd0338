"""The AIOStreams add-on package: Trakt client, sync engine and progress rules (Kodi-free parts)."""

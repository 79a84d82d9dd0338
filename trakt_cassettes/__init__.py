"""trakt_cassettes: a Trakt API v2 simulator, vcrpy cassettes, and record/scrub/serve/replay tools."""

__version__ = "0.1.0"

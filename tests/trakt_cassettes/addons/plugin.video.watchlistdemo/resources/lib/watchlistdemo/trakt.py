"""The add-on's whole Trakt client: one GET with Trakt's headers, settings read at each call."""

import requests
import xbmcaddon

TIMEOUT = 10


def get(path, params=None):
    """GET a Trakt path; the parsed JSON, or requests' HTTPError for a 4xx/5xx."""
    addon = xbmcaddon.Addon()
    headers = {
        "Content-Type": "application/json",
        "trakt-api-version": "2",
        "trakt-api-key": addon.getSetting("trakt_client_id"),
        "Authorization": "Bearer " + addon.getSetting("trakt_access_token"),
        "User-Agent": "plugin.video.watchlistdemo/1.0.0",
    }
    base = addon.getSetting("trakt_api_url").rstrip("/")
    answer = requests.get(base + path, params=params, headers=headers, timeout=TIMEOUT)
    answer.raise_for_status()
    return answer.json()

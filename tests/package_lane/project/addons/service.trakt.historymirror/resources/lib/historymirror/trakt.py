"""The add-on's Trakt client: GET with Trakt's headers over urllib, settings read at each call."""

import json
import urllib.request
from urllib.parse import urlencode

import xbmcaddon

TIMEOUT = 10


def get(path, params=None):
    """GET a Trakt path; the parsed JSON (urllib's HTTPError for a 4xx/5xx)."""
    addon = xbmcaddon.Addon()
    url = addon.getSetting("trakt_api_url").rstrip("/") + path
    if params:
        url += "?" + urlencode(params)
    request = urllib.request.Request(
        url,
        headers={
            "Content-Type": "application/json",
            "trakt-api-version": "2",
            "trakt-api-key": addon.getSetting("trakt_client_id"),
            "Authorization": "Bearer " + addon.getSetting("trakt_access_token"),
            "User-Agent": "service.trakt.historymirror/1.0.0",
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
        return json.loads(answer.read().decode("utf-8"))

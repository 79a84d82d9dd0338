"""The service: asks Trakt what changed every 60 s and leaves the answer in a Window property."""

import xbmc
import xbmcgui

from resources.lib.watchlistdemo import trakt

POLL_SECONDS = 60
HOME = 10000


def poll():
    try:
        activities = trakt.get("/sync/last_activities")
    except Exception as exc:  # a failed poll is retried at the next one
        xbmc.log(f"watchlistdemo: poll failed: {exc}", xbmc.LOGWARNING)
        return
    updated = (activities.get("watchlist") or {}).get("updated_at") or ""
    xbmcgui.Window(HOME).setProperty("watchlistdemo.updated_at", updated)


def run():
    monitor = xbmc.Monitor()
    while not monitor.abortRequested():
        poll()
        if monitor.waitForAbort(POLL_SECONDS):
            break

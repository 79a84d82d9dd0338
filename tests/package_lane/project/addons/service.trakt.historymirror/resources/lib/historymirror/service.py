"""The service: a sync at start and every poll_minutes; a failure is logged and retried at the next poll."""

import xbmc
import xbmcaddon
import xbmcgui

from resources.lib.historymirror import mirror

HOME = 10000


def sync_and_report():
    try:
        synced = mirror.sync()
    except Exception as exc:  # a failed sync keeps the old rows and is retried at the next poll
        xbmc.log(f"historymirror: sync failed: {exc}", xbmc.LOGWARNING)
        return
    xbmcgui.Window(HOME).setProperty("historymirror.synced", ",".join(synced) or "-")


def run():
    monitor = xbmc.Monitor()
    while not monitor.abortRequested():
        sync_and_report()
        minutes = xbmcaddon.Addon().getSettingInt("poll_minutes") or 5
        if monitor.waitForAbort(minutes * 60):
            break

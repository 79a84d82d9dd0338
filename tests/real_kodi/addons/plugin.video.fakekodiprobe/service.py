"""Probe service: publishes each notification as a Home window property and in its profile."""

import json
import os

import xbmc
import xbmcaddon
import xbmcgui
import xbmcvfs


class ProbeMonitor(xbmc.Monitor):
    def onNotification(self, sender, method, data):
        seen = json.dumps([sender, method, data])
        xbmcgui.Window(10000).setProperty("fakekodiprobe.notification", seen)
        profile = xbmcvfs.translatePath(xbmcaddon.Addon().getAddonInfo("profile"))
        os.makedirs(profile, exist_ok=True)
        with open(os.path.join(profile, "notifications.jsonl"), "a", encoding="utf-8") as handle:
            handle.write(seen + "\n")


monitor = ProbeMonitor()
xbmcgui.Window(10000).setProperty("fakekodiprobe.service", "running")
monitor.waitForAbort()
xbmcgui.Window(10000).clearProperty("fakekodiprobe.service")

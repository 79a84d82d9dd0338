"""The example service: counts wakes, follows settings and the screensaver, returns on abort."""

import xbmc
import xbmcaddon
import xbmcgui

HOME = 10000


class ExampleMonitor(xbmc.Monitor):
    """Kodi's callbacks arrive here, on the service's own thread, inside its waits."""

    def __init__(self):
        super().__init__()
        self.addon = xbmcaddon.Addon()
        self.interval = self.addon.getSettingInt("interval")
        self.wakes = 0

    def onSettingsChanged(self):
        self.interval = self.addon.getSettingInt("interval")
        xbmc.log(f"example service: settings changed, interval={self.interval}", xbmc.LOGINFO)

    def onNotification(self, sender, method, data):
        if method == "System.OnWake":
            self.wakes += 1
            xbmcgui.Window(HOME).setProperty("example.wakes", str(self.wakes))
        xbmc.log(f"example service: notification {sender} {method} {data}", xbmc.LOGINFO)

    def onScreensaverActivated(self):
        xbmcgui.Window(HOME).setProperty("example.screensaver", "on")

    def onScreensaverDeactivated(self):
        xbmcgui.Window(HOME).setProperty("example.screensaver", "off")


def run():
    monitor = ExampleMonitor()
    ticks = 0
    xbmc.log("example service: started", xbmc.LOGINFO)
    while not monitor.abortRequested():
        if monitor.waitForAbort(monitor.interval * 60):
            break
        ticks += 1
        xbmcgui.Window(HOME).setProperty("example.ticks", str(ticks))
    xbmc.log(f"example service: stopped after {ticks} ticks and {monitor.wakes} wakes", xbmc.LOGINFO)

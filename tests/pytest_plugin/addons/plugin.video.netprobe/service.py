"""Service entry: probes the host:port in the Window property netprobe.target, says the outcome there."""

import xbmc
import xbmcgui
from resources.lib import probe

window = xbmcgui.Window(10000)
host, _, port = window.getProperty("netprobe.target").partition(":")
window.setProperty("netprobe.outcome", probe.connect(host, port, swallow=True))
xbmc.Monitor().waitForAbort()

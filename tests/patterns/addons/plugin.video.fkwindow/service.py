"""Pattern (c), service side: publishes its state as Window(10000) properties from a worker thread."""

import threading

import xbmc
import xbmcgui


def publish():
    window = xbmcgui.Window(10000)
    window.setProperty("fkwindow.heartbeat", "service-thread")
    window.setProperty("FKWindow.Count", "2")


worker = threading.Thread(target=publish)
worker.start()
worker.join()  # published before the first wait: the plugin never races the service's start
xbmc.Monitor().waitForAbort()
xbmcgui.Window(10000).clearProperty("fkwindow.heartbeat")

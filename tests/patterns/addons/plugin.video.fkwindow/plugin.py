"""Pattern (c), plugin side: reads the service's properties from a thread and answers through one."""

import sys
import threading

import xbmcgui
import xbmcplugin

BASE, HANDLE, QUERY = sys.argv[0], int(sys.argv[1]), sys.argv[2]
seen = {}


def exchange():
    window = xbmcgui.Window(10000)
    # Keys are case-insensitive: the service wrote FKWindow.Count.
    seen["heartbeat"] = window.getProperty("fkwindow.heartbeat") or "<unset>"
    seen["count"] = window.getProperty("fkwindow.count") or "<unset>"
    seen["echo"] = window.getProperty("fkwindow.echo") or "<unset>"
    window.setProperty("fkwindow.echo", "plugin-thread")


worker = threading.Thread(target=exchange)
worker.start()
worker.join()
if QUERY == "?page=echo":
    xbmcplugin.addDirectoryItem(HANDLE, BASE + "?page=echo", xbmcgui.ListItem("echo=" + seen["echo"]), True)
else:
    for key in ("heartbeat", "count"):
        item = xbmcgui.ListItem(f"{key}={seen[key]}")
        item.setProperty("source", "Window(10000)")
        xbmcplugin.addDirectoryItem(HANDLE, BASE + "?page=echo", item, True)
xbmcplugin.endOfDirectory(HANDLE)

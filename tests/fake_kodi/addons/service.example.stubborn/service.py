"""A service that misbehaves the way real ones do; the `behaviour` setting picks how."""

import time

import xbmc
import xbmcaddon
import xbmcgui

behaviour = xbmcaddon.Addon().getSetting("behaviour")
monitor = xbmc.Monitor()

if behaviour == "ignore_abort":
    # Never looks at abort: Kodi kills it 5 s after quitting.
    while True:
        xbmc.sleep(1000)
elif behaviour == "busy":
    # Works without waiting; only abortRequested() lets it stop.
    monitor.waitForAbort(1)
    xbmcgui.Window(10000).setProperty("stubborn.busy", "yes")  # tells the test the loop has begun
    spins = 0
    while not monitor.abortRequested():
        spins += 1
    xbmc.log(f"stubborn: busy loop stopped after abort ({spins > 0})", xbmc.LOGINFO)
elif behaviour == "slow_exit":
    # Returns after abort, but only after 2 s of cleanup with time.sleep.
    monitor.waitForAbort()
    time.sleep(2)
elif behaviour == "crash":
    raise RuntimeError("stubborn service crashed")

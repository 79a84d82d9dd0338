"""Pattern (e): a first-run dialog (yesno, then ok) whose answer is written to a setting."""

import sys

import xbmcaddon
import xbmcgui
import xbmcplugin

BASE, HANDLE, QUERY = sys.argv[0], int(sys.argv[1]), sys.argv[2]
addon = xbmcaddon.Addon()

if QUERY != "?page=settings" and not addon.getSettingBool("welcomed"):
    extras = xbmcgui.Dialog().yesno("Welcome", "Turn the extras on?", nolabel="Plain", yeslabel="Extras")
    xbmcgui.Dialog().ok("Welcome", "Extras on." if extras else "Plain it is.")
    addon.setSetting("mode", "extras" if extras else "plain")
    addon.setSettingBool("welcomed", True)
    addon = xbmcaddon.Addon()  # a fresh snapshot: the one above still holds the old values

for key in ("welcomed", "mode"):
    label = f"{key}={addon.getSetting(key)}"
    xbmcplugin.addDirectoryItem(HANDLE, BASE + "?page=settings", xbmcgui.ListItem(label), True)
xbmcplugin.endOfDirectory(HANDLE)

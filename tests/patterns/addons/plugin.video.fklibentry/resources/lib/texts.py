"""Sibling of menus.py: plain data."""

MENU = (("movies", "Movies"), ("shows", "Shows & more"))
MOVIES = (("First Film", 1999), ("Second Film", 2004))
PLOT = '{title}: a plot with an ampersand & a quote " in it.'
SHOW = "A Show"
EPISODES = ("Pilot", "Second, with a comma")
MARK = "Mark as watched"

"""Pattern (b): the entry script lives in resources/lib/ and imports its sibling modules from there."""

import sys

import menus

menus.show(sys.argv)

"""fkdepold: a module add-on at version 1.0.0, required at 2.0.0 by plugin.video.fkdepold."""

VERSION = "1.0.0"

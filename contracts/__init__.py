"""Contract suite: the mirror's answers equal Trakt's (simulator) answers, in Trakt's format."""

"""The package lane's folder: `project/` is an add-on project of its own and `smoke/` the suite
run against the installed wheel: both run by the lane (lane.py), not collected here."""

collect_ignore = ["project", "smoke"]

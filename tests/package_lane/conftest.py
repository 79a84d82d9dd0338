"""The package lane's folder: `project/` is an add-on project of its own (run by the lane, not collected here)."""

collect_ignore = ["project"]

"""Checkpoint status groups shared by the selectors."""

OPEN = ("planned", "returned")
STATUSES = ("planned", "reported", "done", "returned", "cancelled")

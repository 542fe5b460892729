"""Relist: an expired-listing prospecting desk for agents who live in Excel."""

__version__ = "0.1.0"

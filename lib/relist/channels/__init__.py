"""Outreach channels: the dial list, texts, letters and labels, the door route, the marketing plan, email, calendar.

`service` ties each to a workbook (due leads from today's queue, every one asked of
compliance first); the other modules are the pure parts. See docs/channels.md.
"""

"""Reads: every ``select()`` the pages, the portal and (later) the admin area, API and feeds use.

A module per subject. Queries return records, plain rows, ``None`` or empty lists; they never
abort, flash or render: the caller decides what a missing record means.
"""

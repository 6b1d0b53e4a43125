"""Learners' enquiries: the form on each course, the confirmation and the tracking page."""

"""Public pages: home, search, course, institute, topic and event pages."""

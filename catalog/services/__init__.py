"""Logic shared by views, commands and the API."""

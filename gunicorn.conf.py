"""Gunicorn's settings, read from the working directory: its error and access logs pass through
the catalog's masking, so no email address, phone number or token in a link reaches them, and
each access line ends with the request id the app answered with (``X-Request-ID``)."""

logger_class = "catalog.logs.GunicornLogger"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'

"""The institute portal (``/portal``): staff keep their listings and answer enquiries.

The blueprint is defined here; each resource has its own module in this package that adds
routes to it, and ``load_views`` imports them all before the blueprint is registered.
"""

import pkgutil
from importlib import import_module

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal")


def load_views() -> None:
    """Import every module of this package so its routes are attached to ``bp``."""
    for module in pkgutil.iter_modules(__path__):
        import_module(f"{__name__}.{module.name}")

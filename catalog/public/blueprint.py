"""The public blueprint object; each page module of this package adds its routes to it."""

from flask import Blueprint

bp = Blueprint("public", __name__)

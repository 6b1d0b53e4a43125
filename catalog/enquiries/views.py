"""Enquiry pages for learners (no account): send, confirm, track, withdraw."""

from flask import Blueprint

bp = Blueprint("enquiries", __name__)

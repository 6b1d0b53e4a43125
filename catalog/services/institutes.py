"""An institute's public profile: name, description, contacts and its list of industry partners.

Contacts are stored in one form everywhere: the email normalised (``normalise_email``), the
phone in E.164 (``parse_phone``), whoever writes them: the portal, registration or the seed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from catalog.models import Institute, Partner, User
from catalog.models.contacts import normalise_email, parse_phone
from catalog.services.audit import audit_change, snapshot
from catalog.services.errors import DomainError
from catalog.services.outcomes import Outcome
from catalog.services.transactions import one_write

INSTITUTE_FIELDS = ["name", "description", "website", "email", "phone", "founded_year", "partners"]


@dataclass(frozen=True)
class InstituteChanges:
    """What an institute says about itself. Slug, status and the verified mark are not here:
    admins (and the seed) set them. ``phone`` may be typed in any form a person uses."""

    name: str
    description: str = ""
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    founded_year: int | None = None
    partners: tuple[str, ...] = ()


def distinct_names(names: Iterable[str]) -> list[str]:
    """Names with white space tidied, without blanks or repeats (ignoring case), first kept."""
    seen: dict[str, str] = {}
    for raw in names:
        name = " ".join(raw.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


def changes_of(institute: Institute) -> InstituteChanges:
    """The institute's profile as it stands, as changes that would leave it as it is."""
    return InstituteChanges(
        name=institute.name,
        description=institute.description,
        website=institute.website,
        email=institute.email,
        phone=institute.phone,
        founded_year=institute.founded_year,
        partners=tuple(partner.name for partner in institute.partners),
    )


def apply_institute(
    session: Session, actor: User | None, institute: Institute, changes: InstituteChanges
) -> Outcome[Institute]:
    """Set the institute's profile and partners, with the audit entry, in one commit.

    An institute not yet stored is added: its caller (the seed, later the admin area) has set
    the slug, status and verified mark, which only they may.
    """
    phone = parse_phone(changes.phone) if changes.phone else None
    if changes.phone and phone is None:
        raise DomainError("phone-invalid", field="phone")
    creating = institute.id is None
    before = {} if creating else snapshot(institute, INSTITUTE_FIELDS)
    wanted = distinct_names(changes.partners)
    with one_write(session):
        if creating:
            session.add(institute)
        institute.name = changes.name
        institute.description = changes.description
        institute.website = changes.website or None
        institute.email = normalise_email(changes.email) if changes.email else None
        institute.phone = phone
        institute.founded_year = changes.founded_year
        # Kept partners stay as they are; only removed and added names change, so no name clashes.
        for partner in [p for p in institute.partners if p.name not in wanted]:
            institute.partners.remove(partner)
        existing = {partner.name for partner in institute.partners}
        institute.partners.extend(Partner(name=name) for name in wanted if name not in existing)
        session.flush()
        session.expire(institute, ["partners"])
        audit_change(
            session,
            actor,
            "create" if creating else "update",
            institute,
            before,
            snapshot(institute, INSTITUTE_FIELDS),
            summary=f"{'Added' if creating else 'Saved'} the profile of {institute.name}",
            institute_id=institute.id,
        )
    return Outcome(institute, "profile-saved", {"name": institute.name})

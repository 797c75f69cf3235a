"""Roles are Django groups carrying the Peer model's custom permissions."""

from django.contrib.auth.models import Group, Permission

MEMBER = "member"
ORGANISER = "organiser"
MODERATOR = "moderator"
SUPPORTER = "supporter"
CHECKER = "checker"  # publishes drug-checking results (checking app); given by organisers

# Mirrors peers/migrations/0002_roles.py, which creates the groups.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    MEMBER: [],
    ORGANISER: ["host_rooms", "support"],
    MODERATOR: ["moderate"],
    SUPPORTER: ["support"],
    CHECKER: ["check_results"],
}

FORMER_MEMBER = "former member"


def group_for(role: str):
    """The role's group, created with its permissions if it is missing (a flushed test database, say)."""
    group, created = Group.objects.get_or_create(name=role)
    if created:
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="peers", codename__in=ROLE_PERMISSIONS[role])
        )
    return group

"""Roles are Django groups carrying the Peer model's custom permissions."""

MEMBER = "member"
ORGANISER = "organiser"
MODERATOR = "moderator"
SUPPORTER = "supporter"

# Mirrors peers/migrations/0002_roles.py, which creates the groups.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    MEMBER: [],
    ORGANISER: ["host_rooms", "support"],
    MODERATOR: ["moderate"],
    SUPPORTER: ["support"],
}

FORMER_MEMBER = "former member"

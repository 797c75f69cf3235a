from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from peers.pseudonyms import PSEUDONYM_MAX_LENGTH, PSEUDONYM_VALIDATORS, pseudonym_key

BIO_MAX_LENGTH = 2000


MSG_NO_EMAIL = gettext_noop("Accounts here have no email address: a pseudonym and a password are enough.")


class PeerManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)

    def _create_user_object(self, username, email, password, **extra_fields):
        """Django's create_user/create_superuser take an email; a Peer has none, so one given is refused. Every
        account made through the manager (seed_demo, createsuperuser, tests) gets its look-alike key; sign-up
        sets it in peers.adapters."""
        if not username:
            raise ValueError("A pseudonym is needed.")
        if email:
            raise ValueError(MSG_NO_EMAIL)
        user = self.model(username=self.model.normalize_username(username), **extra_fields)
        user.set_password(password)
        user.username_key = pseudonym_key(user.username)
        return user


class Peer(AbstractBaseUser, PermissionsMixin):
    """A member, known only by a pseudonym. No real name, no IP address, no email address (there is no
    field for one: peers/migrations/0008 removed it and every address allauth had stored)."""

    username = models.CharField("pseudonym", max_length=PSEUDONYM_MAX_LENGTH, unique=True, validators=PSEUDONYM_VALIDATORS)
    # peers.pseudonyms.pseudonym_key(username): names that read the same share it, so only one may exist.
    username_key = models.CharField(max_length=4 * PSEUDONYM_MAX_LENGTH, blank=True, default="", editable=False)
    bio = models.TextField(blank=True, default="", max_length=BIO_MAX_LENGTH)
    bio_html = models.TextField(blank=True, default="")
    # A bio held by screening waits here, seen by its author and the moderators; bio/bio_html stay public.
    bio_pending = models.TextField(blank=True, default="", max_length=BIO_MAX_LENGTH)
    bio_pending_html = models.TextField(blank=True, default="")
    bio_pending_reason = models.CharField(max_length=500, blank=True, default="")
    recovery_code_hash = models.CharField(max_length=256, blank=True, default="")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # The reader's time zone (an IANA name such as "America/Mexico_City"), sent once by the browser
    # (static/js/local-time.js); every time on a page is shown in it. Empty: not known yet (UTC).
    time_zone = models.CharField(max_length=64, blank=True, default="")
    # The language the site speaks to them (a code of settings.LANGUAGES), chosen in the header's menu.
    # Empty: the browser's Accept-Language (or the visitor cookie) decides.
    language = models.CharField(max_length=8, blank=True, default="")

    objects = PeerManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="peer_pseudonym_unique_ci"),
            models.UniqueConstraint(fields=["username_key"], condition=~models.Q(username_key=""), name="peer_pseudonym_key_unique"),
        ]
        permissions = [
            ("host_rooms", "Can host live support rooms"),
            ("moderate", "Can moderate the community"),
            ("support", "Can take one-to-one support requests"),
            ("check_results", "Can publish drug-checking results"),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def pseudonym(self) -> str:
        return self.username

    @property
    def is_moderator(self) -> bool:
        return self.has_perm("peers.moderate")

    @property
    def is_organiser(self) -> bool:
        return self.has_perm("peers.host_rooms")


class Notification(models.Model):
    """An in-app notice to one person: a reply, a mention, a moderation decision.

    `text` is kept in English and said in the reader's language when shown (`shown_text`): it is the msgid of a
    catalogue entry (marked with gettext_noop where it is written), and `params` fills its %(name)s placeholders
    (a pseudonym, a thread's title). A notice written before `params` existed has none, and shows its text as it
    was stored (translated only if that text happens to be a catalogue entry)."""

    recipient = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30)
    text = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True, default="")
    created = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    @property
    def shown_text(self) -> str:
        """The notice in the active language. A `name` left empty is someone whose account is gone."""
        words = gettext(self.text) if self.text else ""
        if not self.params:
            return words
        params = dict(self.params)
        if "name" in params and not params["name"]:
            params["name"] = gettext("A former member")
        try:
            return words % params
        except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder: the English still works
            try:
                return self.text % params
            except (KeyError, ValueError, TypeError):
                return self.text


class DeletedPseudonym(models.Model):
    """The pseudonym of a deleted account, kept from being registered again for a while
    (peers.deleted_pseudonyms). Only a keyed hash of it is stored, never the name."""

    digest = models.CharField(max_length=64, unique=True)
    deleted_at = models.DateTimeField(default=timezone.now, db_index=True)

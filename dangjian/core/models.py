import hashlib
import secrets
from datetime import timedelta
from typing import cast

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.forms import ChoiceField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Who the user *is* lives on orgs.Person (user.person); what they may do lives on orgs.Grant."""

    # Set when someone else chose the password (a new account, a reset, bootstrap without BOOTSTRAP_PASSWORD):
    # the owner must choose their own before doing anything else (core.accounts).
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    # 大字模式 (适老化): larger text and stronger contrast on every page, remembered per person (core.display).
    large_text = models.BooleanField(_("大字模式"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token of {self.user_id} until {self.expires_at:%Y-%m-%d}"

    @classmethod
    def live(cls) -> models.QuerySet:
        return cls.objects.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user) -> tuple["ApiToken", str]:
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            digest=cls.hash(raw),
            expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
        )
        return token, raw


class AuditEntry(models.Model):
    """Who did what to which object, when, and what changed. Written by services, never edited."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    model = models.CharField(max_length=60, db_index=True)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    # The org the object belongs to, so that the audit log itself is scoped like everything else.
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.model}#{self.object_id}"

    @property
    def action_name(self) -> str:
        """The action in Chinese where the search form names it, else its code."""
        # Cycle: core.forms imports Django's auth forms, which need this module's User model loaded.
        from dangjian.core.forms import AuditSearchForm

        field = AuditSearchForm.base_fields["action"]
        assert isinstance(field, ChoiceField)
        return dict(cast(list[tuple[str, str]], field.choices)).get(self.action, self.action)


class LocalRule(models.Model):
    """A county's override of a rule value that domain-rules.md marks as local practice.

    Only keys the rule file declares `local: true` may be overridden (checked in core.rules)."""

    org_path = models.CharField(max_length=255, db_index=True, help_text=_("适用的党组织（及其下级）"))
    rule = models.CharField(max_length=80, help_text=_("规则文件，如 meetings/meetings"))
    key = models.CharField(max_length=120)
    value = models.JSONField()
    effective = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["rule", "key", "-effective"]
        verbose_name = _("本地规则")
        verbose_name_plural = _("本地规则")

    def __str__(self) -> str:
        return f"{self.rule}:{self.key}@{self.org_path}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from dangjian.core.rules import forget_overrides  # cycle: core.rules reads LocalRule from this module

        forget_overrides(self.rule)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from dangjian.core.rules import forget_overrides  # cycle: core.rules reads LocalRule from this module

        forget_overrides(self.rule)
        return result


class Notification(models.Model):
    """An in-app message. No read receipts are reported upward, and nothing demands an instant reply."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Lets a job send the same reminder once only (e.g. "meeting:42:reminder").
    dedupe_key = models.CharField(max_length=120, blank=True, db_index=True)
    # What kind of message it is ("meetings:due", "assignment", "notice"): the inbox groups by it, a person chooses
    # channels by it, and a daily digest folds repeats of it. Empty: derived from dedupe_key (`kind_name`).
    kind = models.CharField(max_length=60, blank=True, default="")
    # When the messages app handed it to the person's delivery channels (None: not yet looked at).
    dispatched_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self) -> str:
        return self.title

    @property
    def kind_name(self) -> str:
        return self.kind or kind_from_key(self.dedupe_key)


def kind_from_key(key: str) -> str:
    """"meetings:due:12:general_assembly:2026Q4" -> "meetings:due"; "assignment:7:31" -> "assignment"."""
    parts = key.split(":")
    if len(parts) > 1 and parts[1] and not parts[1].isdigit():
        return f"{parts[0]}:{parts[1]}"
    return parts[0] or "other"


class PeriodicRun(models.Model):
    """When a periodic duty (an app's `periodic.py`) is next due, and how its last run went.

    `manage.py periodic` claims a duty by moving `next_due` forward in one conditional UPDATE, so however many
    web nodes or cron lines call it, each duty runs once per interval."""

    name = models.CharField(max_length=100, unique=True)
    next_due = models.DateTimeField()
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_ok = models.BooleanField(null=True)
    last_result = models.TextField(blank=True)  # the duty's return value, or the error when it failed

    class Meta:
        ordering = ["name"]
        verbose_name = _("定期任务")
        verbose_name_plural = _("定期任务")

    def __str__(self) -> str:
        return self.name

"""Thin views: one access call, one service or selector call, render."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.actions import error_text, post_action
from dangjian.core.downloads import attachment_response
from dangjian.core.pagination import paginate
from dangjian.core.scoping import get_for_user, has_capability, require

from . import forms, selectors, services
from .channels import ADAPTERS, available
from .delivery import kind_label
from .models import Channel, Delivery

# --- inbox -------------------------------------------------------------------------------------------------------


@login_required
def inbox(request):
    kind = request.GET.get("kind", "")[:60]
    page = paginate(request, selectors.my_messages(request.user, kind), per_page=50)
    context = {
        "page": page,
        "groups": selectors.grouped(list(page.object_list)),
        "kind": kind,
        "kind_label": kind_label(kind) if kind else "",
        "unread": selectors.unread_count(request.user, fresh=True),
    }
    return render(request, "messages/inbox.html", context)


def _safe_target(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return "messages:inbox"


@login_required
def open_message(request, pk: int):
    """Open the record a message is about; reading marks it read for the reader only."""
    message = selectors.message_for(request.user, pk)
    services.mark_read(user=request.user, message=message)
    return redirect(_safe_target(request, message.url))


@login_required
@require_POST
def read(request, pk: int):
    message = selectors.message_for(request.user, pk)
    return post_action(request, lambda: services.mark_read(user=request.user, message=message), to="messages:inbox")


@login_required
@require_POST
def read_all(request):
    kind = request.POST.get("kind", "")[:60]
    if kind:
        return post_action(request, lambda: services.mark_group_read(user=request.user, kind=kind), to="messages:inbox")
    return post_action(request, lambda: services.mark_all_read(user=request.user), to="messages:inbox")


@login_required
def todo(request):
    today = timezone.localdate()
    return render(request, "messages/todo.html", {"items": selectors.my_todo(request.user, today), "today": today})


# --- channel settings --------------------------------------------------------------------------------------------


def _settings_context(request, address_form) -> dict:
    chosen = selectors.preferences(request.user)
    offered = available()
    kinds = [("*", _("所有消息（未单独设置的类别）")), *selectors.kinds_seen(request.user)]
    rows = []
    for kind, label in kinds:
        picked = chosen.get(kind)
        rows.append({"kind": kind, "label": label, "picked": picked, "default": picked is None})
    return {
        "rows": rows,
        "channels": [(c, Channel(c).label) for c in offered],
        "address_form": address_form,
        "wecom": ADAPTERS[Channel.WECOM].configured(),
        "dingtalk": ADAPTERS[Channel.DINGTALK].configured(),
    }


@login_required
def channel_settings(request):
    addresses = selectors.addresses(request.user)
    address_form = forms.AddressForm(
        request.POST if request.POST.get("form") == "addresses" else None,
        initial={"wecom": addresses.get(Channel.WECOM, ""), "dingtalk": addresses.get(Channel.DINGTALK, "")},
    )
    if request.method == "POST":
        try:
            if request.POST.get("form") == "addresses":
                if not address_form.is_valid():
                    raise ValidationError(_("请检查填写的账号。"))
                for channel in (Channel.WECOM, Channel.DINGTALK):
                    services.set_address(user=request.user, channel=channel, value=address_form.cleaned_data[channel])
            else:
                services.set_channels(
                    user=request.user,
                    kind=request.POST.get("kind", "")[:60],
                    channels=request.POST.getlist("channels"),
                )
        except ValidationError as exc:
            flash.error(request, error_text(exc))
            return render(request, "messages/settings.html", _settings_context(request, address_form), status=400)
        flash.success(request, _("已保存。"))
        return redirect("messages:settings")
    return render(request, "messages/settings.html", _settings_context(request, address_form))


# --- county administrator: failures and robots ---------------------------------------------------------------------


@login_required
def failures(request):
    if not has_capability(request.user, "inbox.view_deliveries"):
        raise PermissionDenied
    page = paginate(request, selectors.failed_deliveries(request.user), per_page=50)
    return render(request, "messages/failures.html", {"page": page, "counts": selectors.delivery_counts(request.user)})


@login_required
@require_POST
def retry(request, pk: int):
    delivery = get_for_user(request.user, Delivery, pk, write=True)
    return post_action(
        request,
        lambda: services.retry_delivery(actor=request.user, delivery=delivery),
        success=_("已重新排队发送。"),
        to="messages:failures",
    )


@login_required
def robots(request):
    if not has_capability(request.user, "inbox.view_deliveries"):
        raise PermissionDenied
    form = forms.RobotForm(request.POST or None, orgs=selectors.robot_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_robot(
                actor=request.user, org=data["org"], channel=data["channel"], url=data["url"], secret=data["secret"]
            )
        except ValidationError as exc:
            form.add_error("url", error_text(exc))
        else:
            flash.success(request, _("已保存。"))
            return redirect("messages:robots")
    return render(
        request,
        "messages/robots.html",
        {"form": form, "robots": selectors.robots(request.user)},
        status=400 if form.errors else 200,
    )


# --- notices -------------------------------------------------------------------------------------------------------


@login_required
def notices(request):
    if not has_capability(request.user, "inbox.view_notices"):
        raise PermissionDenied
    page = paginate(request, selectors.notices(request.user), per_page=30)
    can_send = selectors.sending_orgs(request.user).exists()
    return render(request, "messages/notices.html", {"page": page, "can_send": can_send})


@login_required
def notice_new(request):
    senders = selectors.sending_orgs(request.user)
    if not senders.exists():
        raise PermissionDenied
    form = forms.NoticeForm(
        request.POST or None,
        request.FILES or None,
        senders=senders,
        receivers=selectors.receiving_orgs(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.send_notice(
                actor=request.user,
                org=data["org"],
                title=data["title"],
                body=data["body"],
                receivers=form.chosen(),
                official=data["official"],
                doc_number=data["doc_number"],
                public=data["public"],
                action=data["action"],
                due_on=data["due_on"],
                attachments=data["attachments"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            flash.success(request, _("通知已发送。"))
            return redirect("messages:notice", pk=notice.pk)
    return render(request, "messages/notice_new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def notice(request, pk: int):
    found = selectors.notice_for(request.user, pk)
    sender = selectors.is_sender(request.user, found)
    context = {
        "notice": found,
        "attachments": list(found.attachments.all()),
        "sender": sender,
        "mine": list(selectors.my_receipts(request.user, found)) if found.official else [],
        "recipients": list(selectors.recipients(found)) if sender else [],
        "acknowledged": selectors.acknowledged_count(found) if sender else 0,
    }
    return render(request, "messages/notice.html", context)


@login_required
def notice_file(request, pk: int, file_pk: int):
    found = selectors.notice_for(request.user, pk)
    return _file(selectors.attachment_for(request.user, found, file_pk))


def _file(attachment):
    with attachment.file.open("rb") as handle:
        content = handle.read()
    return attachment_response(content, attachment.name)


@login_required
@require_POST
def acknowledge(request, pk: int):
    found = selectors.notice_for(request.user, pk)
    rows = list(selectors.my_receipts(request.user, found))
    if not rows:
        raise PermissionDenied
    for row in rows:
        require(request.user, "inbox.acknowledge", row)

    def sign() -> None:
        for row in rows:
            services.acknowledge(actor=request.user, recipient=row)

    return post_action(request, sign, success=_("已签收。"), to="messages:notice", pk=found.pk)


# --- public site ---------------------------------------------------------------------------------------------------


def public_notices(request):
    return render(request, "messages/public_notices.html", {"notices": selectors.public_notices(limit=50)})


def public_notice(request, pk: int):
    found = selectors.public_notice(pk)
    return render(
        request, "messages/public_notice.html", {"notice": found, "attachments": list(found.attachments.all())}
    )


def public_file(request, pk: int, file_pk: int):
    found = selectors.public_notice(pk)
    return _file(selectors.attachment_for(None, found, file_pk))

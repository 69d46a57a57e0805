"""Taking back a sent self-assessment (recall): the unit's own step, a POST from the sheet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blocs.http import AuthenticatedHttpRequest
from scoring import access
from scoring.services import transitions


@login_required
@require_POST
def recall(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    """The unit's focal point takes its submitted sheet back to draft, to change it and send
    it again; refused, with the reason, once the secretariat has started or after the
    deadline."""
    sheet = access.get_sheet_for_user(request, sheet_id)
    if not access.can_recall(request.user, sheet):
        raise PermissionDenied
    try:
        transitions.sheet_recall(sheet=sheet, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Đã rút lại bảng tự chấm: sửa xong, hãy gửi lại cho thư ký khối.")
        )
    return redirect(sheet.get_absolute_url())

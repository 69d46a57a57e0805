"""The score sheet page: one form for everything on it, and its two check pages.

Every button of the sheet page posts the whole page: what was typed in the grid (points, notes
or reasons, questions to the unit, evidence files chosen in a row) is kept together with the
button's own step, in one transaction; or nothing is written and the page comes back with
everything as typed and the reason at the cell. Sending the self-assessment and finishing
verification first keep what was typed, then show a check-your-answers page
(docs/scoring.md, "One screen that cannot lose input").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from blocs.http import AuthenticatedHttpRequest
from blocs.models import User
from common.navigation import Crumb, home_crumb
from scoring import access, selectors
from scoring.forms import GridForm, SheetTextsForm
from scoring.layers import Layer
from scoring.models import Criterion, ExplanationRequest, ScoreLine, ScoreSheet
from scoring.selectors.verification import column_url, scorer_name, verification_check
from scoring.services import sheets as services
from scoring.services import transitions


def sheet_crumbs(sheet: ScoreSheet, *, last: str | None = None) -> list[Crumb]:
    bloc_year = sheet.bloc_year
    crumbs = [
        home_crumb(),
        Crumb(bloc_year.bloc.name, bloc_year.bloc.get_absolute_url()),
        Crumb(str(bloc_year.year), bloc_year.get_absolute_url()),
        Crumb(sheet.unit.name_in_year(bloc_year.year), sheet.get_absolute_url() if last else None),
    ]
    if last:
        crumbs.append(Crumb(last))
    return crumbs


# ---------------------------------------------------------------------------- the buttons


@dataclass(frozen=True)
class Action:
    """A button of the sheet page: ``name`` and, for some, the row or explanation it is on."""

    name: str
    target: int | None = None
    accepted: bool = False


def parse_action(text: str) -> Action | None:
    """``save``, ``submit``, ``accept``, ``return``, ``verify``, ``answer``, ``reopen``,
    ``line:<criterion id>`` (keep, then open the line's page) or ``decide:<id>:accept|reject``."""
    name, _sep, rest = text.partition(":")
    if name in {"save", "submit", "accept", "return", "verify", "answer", "reopen"} and not rest:
        return Action(name)
    if name == "line" and rest.isdigit():
        return Action(name, int(rest))
    if name == "decide":
        target, _sep, decision = rest.partition(":")
        if target.isdigit() and decision in {"accept", "reject"}:
            return Action(name, int(target), decision == "accept")
    return None


@dataclass
class Page:
    """What the sheet page shows besides the sheet itself: the grid's cells as typed, a
    conflict with someone else's save, and problems that are not a cell's (with the id of
    the field they are about)."""

    form: GridForm
    conflict: ScoreSheet | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)
    posted: SheetTextsForm | None = None


def grid_form(
    user: User,
    sheet: ScoreSheet,
    layer: Layer | None,
    editable: dict[int, ScoreLine],
    *,
    request: AuthenticatedHttpRequest | None = None,
    drafts: dict[int, str] | None = None,
) -> GridForm:
    return GridForm(
        layer=layer or Layer.SELF,
        editable=editable,
        data=request.POST if request is not None else None,
        ask=layer is Layer.VERIFIED and access.can_verify(user, sheet),
        questions=drafts or {},
        upload=layer is Layer.SELF and access.can_add_evidence(user, sheet),
        files=request.FILES if request is not None else None,
        answering=access.can_answer(user, sheet),
    )


# ---------------------------------------------------------------------------- the page


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    sheet = access.get_sheet_for_user(request, sheet_id)
    if request.method == "POST":
        return _press(request, sheet)
    view = selectors.sheet_view(sheet)
    lines = [row.line for row in view.leaves if row.line is not None]
    layer, editable = access.editable_lines(request.user, sheet, lines)
    if layer is Layer.SELF and access.late_for_unit(request.user, sheet):
        # Past the deadline the unit reads its sheet; a save sent from a page opened earlier
        # is refused by the service, with the date, at the cells.
        layer, editable = None, {}
    form = grid_form(request.user, sheet, layer, editable, drafts=view.drafts)
    return _render(request, sheet, layer, Page(form=form), view=view)


def _press(request: AuthenticatedHttpRequest, sheet: ScoreSheet) -> HttpResponse:
    """A button of the sheet page: keep what was typed and take the button's step, or
    neither."""
    user = request.user
    lines = services.sheet_lines(sheet)
    layer, editable = access.editable_lines(user, sheet, list(lines.values()))
    texts = SheetTextsForm(request.POST, request.FILES)
    action = parse_action(texts.text("action") or "save")
    if action is None or not access.can_press(user, sheet, layer, action.name):
        raise PermissionDenied
    form = grid_form(user, sheet, layer, editable, request=request)
    page = Page(form=form, posted=texts)
    if not form.is_valid():
        if form.version is None:
            page.problems.append((_("Trang đã cũ, hãy tải lại trang rồi nhập lại."), ""))
        elif layer is not None:
            # Some cells were not numbers: report the other cells' problems too, in one go.
            form.add_errors(services.sheet_check(sheet=sheet, layer=layer, entries=form.entries))
        return _refused(request, sheet, layer, page)
    kept = _keep(request, sheet, layer, page, action, lines)
    if kept is None:
        return _refused(request, sheet, layer, page)
    saved, (url, done) = kept
    quiet = action.name in GOING_ON
    for message in _saved_messages(saved if layer else None, quiet=quiet) + (
        [done] if done else []
    ):
        messages.success(request, message)
    return redirect(url)


def _keep(
    request: AuthenticatedHttpRequest,
    sheet: ScoreSheet,
    layer: Layer | None,
    page: Page,
    action: Action,
    lines: dict[int, ScoreLine],
) -> tuple[services.PageSave, tuple[str, str]] | None:
    """Keep the page and take the step, in one transaction: what was kept and (where to go,
    what was done); or None, with the reasons on ``page``."""
    form, user, texts = page.form, request.user, page.posted
    assert texts is not None
    try:
        saved, outcome = services.sheet_page_save(
            sheet=sheet,
            layer=layer,
            entries=form.entries,
            version=form.version or 0,
            by=user,
            on_behalf=layer is Layer.SELF and not access.is_own_sheet(user, sheet),
            lines=lines,
            questions=form.typed_questions if form.ask else None,
            uploads=form.uploads,
            # Without a column to save, a step that checks the version gets the page's.
            then=lambda: _step(request, sheet, action, texts, None if layer else form.version),
        )
    except services.EntryErrors as errors:
        form.add_errors(errors.by_criterion)
        page.problems.extend((message, "") for message in errors.general)
    except services.UploadErrors as errors:
        form.add_file_errors(errors.by_criterion)
    except services.SheetConflict as clash:
        page.conflict = clash.sheet
    except ValidationError as error:
        page.problems.extend((message, _anchor(action)) for message in error.messages)
    else:
        assert outcome is not None
        return saved, outcome
    return None


def _step(
    request: AuthenticatedHttpRequest,
    sheet: ScoreSheet,
    action: Action,
    posted: SheetTextsForm,
    version: int | None,
) -> tuple[str, str]:
    """The button's own step, after the page was kept: where to go next, and what was done.
    ``version`` is the page's when nothing was saved first (a stale page is told)."""
    user = request.user
    here = sheet.get_absolute_url()
    if action.name in {"submit", "verify"}:
        return reverse(f"scoring:sheet-{action.name}", args=[sheet.pk]), ""
    if action.name == "line":
        return _open_line(request, sheet, action, posted)
    if action.name == "accept":
        return here, _accept(request, sheet, sheet.version if version is None else version)
    if action.name == "return":
        transitions.sheet_return_for_explanation(sheet=sheet, by=user)
        return here, _("Đã gửi câu hỏi và trả bảng điểm để đơn vị giải trình.")
    if action.name == "decide":
        return here, _decide(request, sheet, action, posted)
    if action.name == "answer":
        transitions.sheet_answer_explanations(
            sheet=sheet, answers=posted.texts("a-"), by=user, files=posted.answer_files()
        )
        return here, _("Đã gửi giải trình cho thư ký khối.")
    if action.name == "reopen":
        transitions.sheet_reopen(sheet=sheet, reason=posted.text("reason"), by=user)
        return here, _("Đã mở lại việc thẩm định.")
    return here, ""  # save: the page was kept


def _open_line(
    request: AuthenticatedHttpRequest, sheet: ScoreSheet, action: Action, posted: SheetTextsForm
) -> tuple[str, str]:
    """The line's page (its evidence), after keeping the answers being written as drafts:
    nothing typed in "Giải trình" is lost on the way."""
    get_object_or_404(ScoreLine, sheet=sheet, criterion_id=action.target)
    done = ""
    answers = posted.texts("a-")
    if (
        answers
        and access.can_answer(request.user, sheet)
        and services.answer_drafts_save(sheet=sheet, answers=answers, by=request.user)
    ):
        done = _("Đã lưu phần giải trình đang viết (chưa gửi thư ký khối).")
    return reverse("scoring:line", args=[sheet.pk, action.target]), done


def _accept(request: AuthenticatedHttpRequest, sheet: ScoreSheet, version: int) -> str:
    accepted = services.sheet_accept_self(sheet=sheet, version=version, by=request.user).changed
    if not accepted:
        return _("Không còn tiêu chí nào chưa thẩm định để chấp nhận điểm tự chấm.")
    return ngettext(
        "Đã chấp nhận điểm tự chấm của %(count)s tiêu chí chưa thẩm định.",
        "Đã chấp nhận điểm tự chấm của %(count)s tiêu chí chưa thẩm định.",
        accepted,
    ) % {"count": accepted}


def _decide(
    request: AuthenticatedHttpRequest, sheet: ScoreSheet, action: Action, posted: SheetTextsForm
) -> str:
    explanation = get_object_or_404(
        ExplanationRequest.objects.select_related("line__sheet__bloc_year", "line__criterion"),
        pk=action.target,
        line__sheet=sheet,
    )
    transitions.explanation_decide(
        request=explanation,
        accepted=action.accepted,
        note=posted.text(f"note-{action.target}"),
        by=request.user,
    )
    return _("Đã ghi ý kiến về giải trình tiêu chí %(code)s.") % {
        "code": explanation.line.criterion.code
    }


def _anchor(action: Action) -> str:
    """The field a refused step is about, for the error summary's link."""
    return {
        "decide": f"note-{action.target}",
        "reopen": "reopen-reason",
        "answer": "explanations-heading",
        "return": "score-grid",
    }.get(action.name, "")


# Buttons that keep the page and go on to another: "nothing to save" would only be noise there.
GOING_ON = frozenset({"submit", "verify", "line"})


def _saved_messages(saved: services.PageSave | None, *, quiet: bool = False) -> list[str]:
    if saved is None:
        return []
    found = []
    if saved.changed:
        found.append(_("Đã lưu %(count)s thay đổi.") % {"count": saved.changed})
    if saved.questions:
        found.append(
            ngettext(
                "Đã lưu %(count)s câu hỏi giải trình (chưa gửi đơn vị).",
                "Đã lưu %(count)s câu hỏi giải trình (chưa gửi đơn vị).",
                saved.questions,
            )
            % {"count": saved.questions}
        )
    if saved.questions_removed:
        found.append(
            ngettext(
                "Đã xóa %(count)s câu hỏi giải trình chưa gửi.",
                "Đã xóa %(count)s câu hỏi giải trình chưa gửi.",
                saved.questions_removed,
            )
            % {"count": saved.questions_removed}
        )
    if saved.files:
        found.append(
            ngettext(
                "Đã tải lên %(count)s tệp minh chứng.",
                "Đã tải lên %(count)s tệp minh chứng.",
                saved.files,
            )
            % {"count": saved.files}
        )
    return found or ([] if quiet else [_("Không có thay đổi nào để lưu.")])


def _refused(
    request: AuthenticatedHttpRequest, sheet: ScoreSheet, layer: Layer | None, page: Page
) -> HttpResponse:
    """The page again, everything as typed, with why nothing was done. A file chosen in a row
    cannot be shown again by the browser: its row says to choose it again."""
    for cell in page.form.cells.values():
        if cell.files and not cell.file_error:
            cell.file_error = _(
                "Tệp đã chọn chưa được tải lên vì chưa lưu được bảng; hãy chọn lại tệp."
            )
    sheet.refresh_from_db()
    return _render(request, sheet, layer, page)


def _render(
    request: AuthenticatedHttpRequest,
    sheet: ScoreSheet,
    layer: Layer | None,
    page: Page,
    *,
    view: selectors.SheetView | None = None,
) -> HttpResponse:
    user = request.user
    view = view or selectors.sheet_view(sheet)
    form = page.form
    conflict_changes = _conflict_changes(form, layer, page.conflict)
    for row in view.rows:
        row.cell = form.cells.get(row.criterion.pk) if layer else None
    can_verify = access.can_verify(user, sheet)
    posted = page.posted
    context = {
        "view": view,
        "sheet": sheet,
        "form": form,
        "layer": layer,
        "conflict": page.conflict,
        "conflict_changes": conflict_changes,
        "problems": page.problems,
        "errors_count": len(form.errors) + len(page.problems),
        "posted_reason": posted.text("reason") if posted else "",
        "posted_notes": posted.texts("note-") if posted else {},
        "posted_answers": posted.texts("a-") if posted else {},
        "can_submit": layer is Layer.SELF and access.can_enter_self(user, sheet),
        "can_verify": can_verify,
        "can_answer": access.can_answer(user, sheet),
        "can_reopen": access.can_reopen(user, sheet),
        "can_recall": access.can_recall(user, sheet),
        "can_upload": form.upload,
        "to_accept": _to_accept(view, form) if can_verify else 0,
        "on_behalf": layer is Layer.SELF and not access.is_own_sheet(user, sheet),
        "columns": _columns(sheet, view) if layer is Layer.VERIFIED else [],
        "breadcrumbs": sheet_crumbs(sheet),
    }
    return render(request, "scoring/sheet.html", context)


def _conflict_changes(
    form: GridForm, layer: Layer | None, conflict: ScoreSheet | None
) -> list[tuple[str, object, object]]:
    """After someone else's save: keep what this person typed, show what the other person
    saved (code, typed cell, saved cell), and let a second save (now with the new version)
    overwrite knowingly."""
    if conflict is None or layer is None:
        return []
    current = GridForm(layer=layer, editable=services.sheet_lines(conflict))
    form.version = conflict.version
    return [
        (line.criterion.code, form.cells[criterion_id], current.cells[criterion_id])
        for criterion_id, line in form.editable.items()
        if criterion_id in current.cells
        and (form.cells[criterion_id].value, form.cells[criterion_id].target)
        != (current.cells[criterion_id].value, current.cells[criterion_id].target)
    ]


def _to_accept(view: selectors.SheetView, form: GridForm) -> int:
    """The lines the verifier may accept as self-scored: editable, self-scored, unverified."""
    return sum(
        1
        for row in view.leaves
        if row.line is not None
        and row.criterion.pk in form.editable
        and row.line.self_value is not None
        and row.line.verified_value is None
    )


def _columns(sheet: ScoreSheet, view: selectors.SheetView) -> list[tuple[str, str, str]]:
    """The criteria scored for the whole bloc at once (by the bloc, the council or a
    department): code, who scores it and its column page. Shown to those who verify, who
    may open those pages."""
    return [
        (
            row.criterion.code,
            _("thư ký khối")
            if row.criterion.scored_by == Criterion.ScoredBy.BLOC
            else scorer_name(row.criterion, sheet.bloc_year),
            column_url(row.criterion, sheet.bloc_year),
        )
        for row in view.leaves
        if row.criterion.scored_by != Criterion.ScoredBy.UNIT
    ]


# ---------------------------------------------------------------------------- check pages


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    """Check your answers, then send the self-assessment to the secretariat."""
    sheet = access.get_sheet_for_user(request, sheet_id)
    if not access.can_enter_self(request.user, sheet):
        raise PermissionDenied
    problems: list[str] = []
    if request.method == "POST":
        try:
            transitions.sheet_submit(sheet=sheet, by=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, _("Đã gửi bảng tự chấm cho thư ký khối."))
            return redirect(sheet.get_absolute_url())
    return render(
        request,
        "scoring/sheet_submit.html",
        {
            "sheet": sheet,
            "view": selectors.sheet_view(sheet, history=False),
            "missing": transitions.missing_self_lines(sheet),
            "problems": problems,
            # The unit's own person, or the secretariat sending a paper sheet for the unit.
            "own": access.is_own_sheet(request.user, sheet),
            "breadcrumbs": sheet_crumbs(sheet, last=_("Gửi bảng tự chấm")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    """Check your answers before "verified": lines lowered and raised, questions, lines
    waiting on someone outside the secretariat; then mark the sheet verified."""
    sheet = access.get_sheet_for_user(request, sheet_id)
    if not access.can_verify(request.user, sheet):
        raise PermissionDenied
    refused = False
    if request.method == "POST":
        try:
            transitions.sheet_mark_verified(sheet=sheet, by=request.user)
        except ValidationError:
            refused = True  # the check below says why, with links
        else:
            messages.success(request, _("Đã hoàn thành thẩm định bảng điểm."))
            return redirect(sheet.get_absolute_url())
    view = selectors.sheet_view(sheet, history=False)
    return render(
        request,
        "scoring/sheet_verify.html",
        {
            "sheet": sheet,
            "view": view,
            "check": verification_check(sheet),
            "refused": refused,
            "breadcrumbs": sheet_crumbs(sheet, last=_("Hoàn thành thẩm định")),
        },
    )

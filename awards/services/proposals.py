"""Writes to a bloc's proposals: create them from the ranking and the ballot, edit the
achievement summary, withdraw, and submit the bloc's list to the council's leaders.

Eligibility is never reimplemented here: every check goes through ``awards.selectors
.eligibility_for`` and the pure ``awards.eligibility.check``. Submission recomputes it at the
moment of submitting, refuses when any proposal has a blocking finding, and moves every draft
or returned proposal with a conditional update, so two clicks can never submit twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from awards import eligibility
from awards.eligibility import Finding
from awards.models import AwardType, Proposal, ProposalEvent
from awards.selectors import Eligibility, eligibility_for
from blocs import deadlines
from blocs.audit import audit_entry, audit_record, audit_record_many
from blocs.models import BlocYear, Unit, User
from notifications import events as notification_events
from scoring.access import PUBLISHED_STATES

EDITABLE = (Proposal.Status.DRAFT, Proposal.Status.RETURNED)
SUMMARY_MISSING = "summary"


class StateError(ValidationError):
    """The bloc-year or the proposal is not in a state that allows this step."""


class ProposalConflict(Exception):
    """Someone else saved the proposal since this person opened it."""

    def __init__(self, proposal: Proposal) -> None:
        self.proposal = proposal
        super().__init__(_("Đề nghị vừa được người khác sửa."))


def audit_context(bloc_year: BlocYear) -> str:
    return f"awards:{bloc_year.pk}"


def _subject(proposal: Proposal) -> str:
    return f"{proposal.unit.code}:{proposal.award_type.code}"


def _require_published(bloc_year: BlocYear) -> None:
    if bloc_year.state not in PUBLISHED_STATES:
        raise StateError(
            _("Kết quả xếp hạng của khối chưa công bố: chưa lập, sửa hay trình đề nghị được.")
        )


# ---------------------------------------------------------------------------- checks


@dataclass
class ProposalCheck:
    """One proposal with what the eligibility check says about it now."""

    proposal: Proposal
    unit_name: str
    findings: list[Finding]
    members: int

    @property
    def violations(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.blocking]

    @property
    def warnings(self) -> list[Finding]:
        # Missing figures are said once: the staff gate's violation covers the discipline
        # gate's warning.
        blocking = {finding.message for finding in self.violations}
        return [
            finding
            for finding in self.findings
            if not finding.blocking and finding.message not in blocking
        ]

    @property
    def share(self) -> Decimal | None:
        votes = self.proposal.votes_for
        if votes is None or not self.members:
            return None
        return eligibility.ballot_share(votes, self.members)


def proposal_checks(data: Eligibility, proposals: Iterable[Proposal]) -> list[ProposalCheck]:
    """Findings of each proposal (eligibility, plus a warning when the summary is empty)."""
    rows = []
    for proposal in proposals:
        findings = data.findings(proposal.unit_id, proposal.award_type.code)
        if not proposal.summary.strip():
            findings.append(
                Finding(eligibility.WARNING, SUMMARY_MISSING, _("Chưa có tóm tắt thành tích."))
            )
        info = data.units.get(proposal.unit_id)
        rows.append(
            ProposalCheck(
                proposal=proposal,
                unit_name=info.name if info else proposal.unit.name_in_year(data.bloc_year.year),
                findings=findings,
                members=data.members,
            )
        )
    return rows


@dataclass
class SubmissionCheck:
    """What submitting the bloc's list would send, and what stands in the way."""

    bloc_year: BlocYear
    rows: list[ProposalCheck]  # the draft and returned proposals
    warnings: list[Finding] = field(default_factory=list)  # about the whole list

    @property
    def violations(self) -> list[str]:
        """Every blocking finding, with the unit and the award it concerns."""
        return [
            _("%(unit)s – %(award)s: %(message)s")
            % {
                "unit": row.unit_name,
                "award": row.proposal.award_type.name,
                "message": finding.message,
            }
            for row in self.rows
            for finding in row.violations
        ]

    @property
    def can_submit(self) -> bool:
        return bool(self.rows) and not self.violations


def government_flag_warning(bloc_year: BlocYear, data: Eligibility) -> Finding | None:
    """The province-wide share of Government flags, counting this bloc's list as submitted."""
    if data.rule_set is None:
        return None
    council_id = bloc_year.bloc.council_id
    elsewhere = (
        Proposal.objects.filter(
            bloc_year__bloc__council_id=council_id,
            bloc_year__year=bloc_year.year,
            award_type__code=eligibility.GOVERNMENT_FLAG,
            status__in=[Proposal.Status.SUBMITTED, Proposal.Status.APPROVED],
        )
        .exclude(bloc_year=bloc_year)
        .count()
    )
    here = sum(
        1
        for proposal in data.proposals
        if proposal.award_type.code == eligibility.GOVERNMENT_FLAG
        and proposal.status != Proposal.Status.REJECTED
    )
    blocs = BlocYear.objects.filter(bloc__council_id=council_id, year=bloc_year.year).count()
    return eligibility.government_flag_warning(
        elsewhere + here, blocs, data.rule_set.government_flag_warning_percent
    )


def proposals_check(*, bloc_year: BlocYear, data: Eligibility | None = None) -> SubmissionCheck:
    """The check ``proposals_submit`` makes, without writing: for the check-your-answers page."""
    data = data or eligibility_for(bloc_year)
    pending = [proposal for proposal in data.proposals if proposal.status in EDITABLE]
    # The province-wide Government-flag share matters when this list carries one.
    carries_flag = any(
        proposal.award_type.code == eligibility.GOVERNMENT_FLAG for proposal in pending
    )
    warning = government_flag_warning(bloc_year, data) if carries_flag else None
    return SubmissionCheck(
        bloc_year=bloc_year,
        rows=proposal_checks(data, pending),
        warnings=[warning] if warning else [],
    )


# ---------------------------------------------------------------------------- creating


def _create(
    *, bloc_year: BlocYear, unit: Unit, award_type: AwardType, by: User | None, data: Eligibility
) -> Proposal:
    if unit.pk not in data.units:
        raise ValidationError({"unit": _("Đơn vị không phải thành viên của khối năm này.")})
    if data.rule_set is None or award_type.rule_set_id != data.rule_set.pk:
        raise ValidationError(
            {"award_type": _("Hình thức khen thưởng không thuộc bộ quy định áp dụng cho năm này.")}
        )
    info = data.units[unit.pk]
    proposal = Proposal(
        bloc_year=bloc_year,
        unit=unit,
        award_type=award_type,
        rank=info.rank,
        total=info.total,
        band=info.band,
        votes_for=data.votes.get((award_type.code, unit.pk)),
        created_by=by,
    )
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        raise ValidationError(
            {
                "award_type": _("%(unit)s đã có đề nghị “%(award)s” năm nay.")
                % {"unit": info.name, "award": award_type.name}
            }
        ) from None
    ProposalEvent.objects.create(proposal=proposal, action=ProposalEvent.Action.CREATE, by=by)
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=audit_context(bloc_year),
        action="proposal.create",
        subject=_subject(proposal),
        summary=_("Lập đề nghị “%(award)s” cho %(unit)s")
        % {"award": award_type.name, "unit": info.name},
    )
    return proposal


@transaction.atomic
def proposal_create(
    *, bloc_year: BlocYear, unit: Unit, award_type: AwardType, by: User | None
) -> Proposal:
    """Propose a member for an award. Not refused for failing a gate: its findings are shown,
    and only the submission is blocked. Rank, total and band come from the latest ranking
    snapshot, the votes from the ballot."""
    _require_published(bloc_year)
    return _create(
        bloc_year=bloc_year,
        unit=unit,
        award_type=award_type,
        by=by,
        data=eligibility_for(bloc_year),
    )


def suggested_new(data: Eligibility) -> list[tuple[AwardType, int]]:
    """The proposals the app suggests that do not exist yet: (award, unit id), award by award."""
    existing = {(proposal.unit_id, proposal.award_type_id) for proposal in data.proposals}
    return [
        (award, info.unit_id)
        for award, units in data.suggestions()
        for info in units
        if (info.unit_id, award.pk) not in existing
    ]


@transaction.atomic
def proposals_create_suggested(*, bloc_year: BlocYear, by: User | None) -> list[Proposal]:
    """Create, in one step, every proposal the ranking and the ballot qualify for (skipping
    those that exist already)."""
    _require_published(bloc_year)
    # One proposal at a time per bloc: two secretaries clicking at once wait for each other.
    BlocYear.objects.select_for_update().filter(pk=bloc_year.pk).first()
    data = eligibility_for(bloc_year)
    units = {
        unit.pk: unit
        for unit in Unit.objects.filter(pk__in=[unit_id for _award, unit_id in suggested_new(data)])
    }
    return [
        _create(bloc_year=bloc_year, unit=units[unit_id], award_type=award, by=by, data=data)
        for award, unit_id in suggested_new(data)
    ]


# ---------------------------------------------------------------------------- editing


def _refused(proposal: Proposal) -> StateError:
    return StateError(
        _(
            "Đề nghị đang ở trạng thái “%(status)s”: chỉ sửa hoặc rút được "
            "khi là nháp hoặc bị trả lại."
        )
        % {"status": proposal.get_status_display()}
    )


@transaction.atomic
def proposal_update_summary(
    *, proposal: Proposal, summary: str, version: int, by: User | None
) -> Proposal:
    """Edit the achievement summary (tóm tắt thành tích) of a draft or returned proposal.

    ``version`` is the one the person read: if someone saved since, ``ProposalConflict`` is
    raised and nothing is written (never a silent overwrite)."""
    _require_published(proposal.bloc_year)
    summary = summary.strip()
    before = proposal.summary
    updated = Proposal.objects.filter(pk=proposal.pk, version=version, status__in=EDITABLE).update(
        summary=summary, version=F("version") + 1
    )
    if not updated:
        current = Proposal.objects.select_related("bloc_year", "unit", "award_type").get(
            pk=proposal.pk
        )
        if current.status not in EDITABLE:
            raise _refused(current)
        raise ProposalConflict(current)
    proposal.summary = summary
    proposal.version = version + 1
    ProposalEvent.objects.create(proposal=proposal, action=ProposalEvent.Action.EDIT, by=by)
    audit_record(
        actor=by,
        bloc_year=proposal.bloc_year,
        context=audit_context(proposal.bloc_year),
        action="proposal.summary",
        subject=_subject(proposal),
        summary=_("Sửa tóm tắt thành tích của đề nghị “%(award)s” cho %(unit)s")
        % {"award": proposal.award_type.name, "unit": proposal.unit.name},
        changes={"summary": [before, summary]},
    )
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, by: User | None) -> None:
    """Delete a draft or returned proposal (its events go with it; the audit trail keeps it)."""
    _require_published(proposal.bloc_year)
    deleted, _per_model = Proposal.objects.filter(pk=proposal.pk, status__in=EDITABLE).delete()
    if not deleted:
        current = Proposal.objects.filter(pk=proposal.pk).first()
        if current is None:
            raise StateError(_("Đề nghị đã được rút trước đó."))
        raise _refused(current)
    audit_record(
        actor=by,
        bloc_year=proposal.bloc_year,
        context=audit_context(proposal.bloc_year),
        action="proposal.withdraw",
        subject=_subject(proposal),
        summary=_("Rút đề nghị “%(award)s” cho %(unit)s")
        % {"award": proposal.award_type.name, "unit": proposal.unit.name},
        changes={"status": [proposal.status, None], "summary": [proposal.summary, None]},
    )


# ---------------------------------------------------------------------------- submitting


@transaction.atomic
def proposals_submit(*, bloc_year: BlocYear, by: User | None) -> list[Proposal]:
    """Submit every draft and returned proposal of the bloc-year to the council's leaders.

    Refused as a whole (``ValidationError`` listing every violation with its unit and award)
    if any of them fails a gate, checked now. Each proposal records the rank, total, band and
    votes the check saw."""
    _require_published(bloc_year)
    # Serialise submissions of the same bloc: the check and the writes see the same rows.
    BlocYear.objects.select_for_update().filter(pk=bloc_year.pk).first()
    data = eligibility_for(bloc_year)
    check = proposals_check(bloc_year=bloc_year, data=data)
    if not check.rows:
        raise StateError(_("Không có đề nghị nào ở trạng thái nháp hoặc bị trả lại để trình."))
    if check.violations:
        raise ValidationError(check.violations)
    proposals = [row.proposal for row in check.rows]
    now = timezone.now()
    # After the bloc-year's deadline the list is still accepted, and marked late; a proposal
    # sent again after the leaders returned it keeps the mark of its first submission.
    late = deadlines.is_late(bloc_year.proposals_due, now)
    updated = Proposal.objects.filter(
        pk__in=[proposal.pk for proposal in proposals], status__in=EDITABLE
    ).update(
        status=Proposal.Status.SUBMITTED,
        submitted_at=now,
        version=F("version") + 1,
        submitted_late=Case(
            When(submitted_at__isnull=True, then=Value(late)), default=F("submitted_late")
        ),
    )
    if updated != len(proposals):
        raise StateError(_("Danh sách đề nghị vừa thay đổi; hãy tải lại trang rồi trình lại."))
    for proposal in proposals:
        info = data.units.get(proposal.unit_id)
        if info is not None:
            proposal.rank, proposal.total, proposal.band = info.rank, info.total, info.band
        proposal.votes_for = data.votes.get((proposal.award_type.code, proposal.unit_id))
        proposal.status = Proposal.Status.SUBMITTED
        if proposal.submitted_at is None:
            proposal.submitted_late = late
        proposal.submitted_at = now
        proposal.version += 1
    Proposal.objects.bulk_update(proposals, ["rank", "total", "band", "votes_for"])
    ProposalEvent.objects.bulk_create(
        ProposalEvent(
            proposal=proposal,
            action=ProposalEvent.Action.SUBMIT,
            by=by,
            note=_("Trình sau hạn (hết ngày %(day)s)")
            % {"day": bloc_year.proposals_due.strftime("%d/%m/%Y")}
            if late and bloc_year.proposals_due
            else "",
        )
        for proposal in proposals
    )
    audit_record_many(
        audit_entry(
            actor=by,
            bloc_year=bloc_year,
            context=audit_context(bloc_year),
            action="proposal.submit",
            subject=_subject(proposal),
            summary=_("Trình đề nghị “%(award)s” cho %(unit)s")
            % {"award": proposal.award_type.name, "unit": row.unit_name},
        )
        for row, proposal in zip(check.rows, proposals, strict=True)
    )
    if BlocYear.objects.filter(pk=bloc_year.pk, state=BlocYear.State.PUBLISHED).update(
        state=BlocYear.State.PROPOSED
    ):
        bloc_year.state = BlocYear.State.PROPOSED
    notification_events.proposals_submitted(bloc_year, proposals, by=by)  # to the leaders
    return proposals

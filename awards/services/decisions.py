"""Decisions on awards and the council vote: recording a decision, attaching approved proposals.

A decision carries its issuing authority (the provincial chairman's …/QĐ-UBND, the Prime
Minister's …/QĐ-TTg, …): typed, or read from the number's symbol, and never contradicting it.
Only awards of that authority go under it — a provincial decision cannot grant the Government's
flag (docs/awards.md, "Who decides").

Attaching a proposal to a decision makes the award part of the unit's history (an
``AwardGrant``) and, once every proposal the bloc sent that year is decided, moves the
bloc-year to "decided". A flag needs the council's vote: at least the rule set's threshold
(80 % by default) of the council's *total* membership (Nghị định 98/2023 Điều 30 khoản 7).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from awards.authority import authority_from_number, authority_label, symbol_of
from awards.models import Authority, AwardGrant, Decision, Proposal, ProposalEvent
from awards.services.catalogue import bloc_year_context
from blocs.audit import audit_record
from blocs.models import BlocYear, Council, User
from common.numbers import format_percent
from common.uploads import PDF, check_upload
from notifications import events as notification_events

DECISION_MAX_BYTES = 10 * 1024 * 1024
# "123/QĐ-UBND", "45/2021/QĐ-UBND", "1234/QĐ-CT": something, "/QĐ-", something. Loose on
# purpose: offices number their decisions in several styles.
NUMBER_PATTERN = re.compile(r"^[0-9A-Za-z.\-]+(/[0-9A-Za-z.\-]+)*/QĐ-\S+$", re.IGNORECASE)
HUNDRED = Decimal(100)


def normalise_number(number: str) -> str:
    """Spaces out, "QD" typed without the Vietnamese letter read as "QĐ"."""
    text = re.sub(r"\s+", "", number)
    return re.sub(r"/Q[DĐđd]-", "/QĐ-", text, flags=re.IGNORECASE)


def number_is_valid(number: str) -> bool:
    return bool(NUMBER_PATTERN.match(number))


def decision_authority(number: str, chosen: str = "") -> Authority:
    """The authority of a decision numbered ``number``: the one chosen, or else the one its
    symbol names. Refused when the two disagree, or when neither says."""
    named = authority_from_number(number)
    if chosen:
        authority = Authority(chosen)
        if named is not None and named != authority:
            raise ValidationError(
                {
                    "authority": _(
                        "Số %(number)s có ký hiệu %(symbol)s: đó là quyết định của "
                        "%(named)s, không phải của %(chosen)s."
                    )
                    % {
                        "number": number,
                        "symbol": symbol_of(number),
                        "named": authority_label(named),
                        "chosen": authority_label(authority),
                    }
                }
            )
        return authority
    if named is None:
        raise ValidationError(
            {
                "authority": _(
                    "Ký hiệu %(symbol)s không cho biết cấp nào quyết định: chọn cấp quyết định."
                )
                % {"symbol": symbol_of(number) or number}
            }
        )
    return named


def authority_problem(proposal: Proposal, decision: Decision) -> str | None:
    """Why ``decision`` cannot grant the award of ``proposal`` (None when it can): the award
    is decided by another authority than the one that issued the decision."""
    award = proposal.award_type
    if award.authority == decision.authority:
        return None
    return _(
        "“%(award)s” do %(decides)s quyết định tặng; Quyết định số %(number)s là của "
        "%(issuer)s nên không thể ghi khen thưởng này cho %(unit)s."
    ) % {
        "award": award.name,
        "decides": authority_label(award.authority),
        "number": decision.number,
        "issuer": authority_label(decision.authority),
        "unit": proposal.unit.name_in_year(proposal.bloc_year.year),
    }


def check_pdf(upload: UploadedFile) -> None:
    """Only a PDF (by its first bytes, never its name or claimed type), at most 10 MB."""
    check_upload(upload, allowed={PDF}, max_bytes=DECISION_MAX_BYTES)


@transaction.atomic
def decision_record(
    *,
    council: Council,
    number: str,
    date: datetime.date,
    signer_title: str,
    signer_name: str,
    upload: UploadedFile | None,
    by: User | None,
    authority: str = "",
) -> Decision:
    """Record a decision. ``authority`` blank: read from the number's symbol (…/QĐ-UBND the
    provincial chairman, …/QĐ-TTg the Prime Minister)."""
    number = normalise_number(number)
    if not number_is_valid(number):
        raise ValidationError({"number": _("Số quyết định chưa đúng dạng, ví dụ: 123/QĐ-UBND.")})
    issuer = decision_authority(number, authority)
    if Decision.objects.filter(council=council, number=number, date=date).exists():
        raise ValidationError(
            {"number": _("Quyết định số %(number)s ngày này đã được ghi.") % {"number": number}}
        )
    if upload is not None:
        check_pdf(upload)
    decision = Decision(
        council=council,
        number=number,
        date=date,
        authority=issuer,
        signer_title=signer_title.strip(),
        signer_name=signer_name.strip(),
        recorded_by=by,
    )
    if upload is not None:
        decision.file.save(f"quyet-dinh-{council.code}-{date:%Y%m%d}.pdf", upload, save=False)
    decision.save()
    audit_record(
        actor=by,
        context=f"awards:council:{council.pk}",
        action="decision.record",
        subject=number,
        summary=_("Ghi quyết định số %(number)s ngày %(date)s")
        % {"number": number, "date": f"{date:%d/%m/%Y}"},
        changes={
            "authority": [None, issuer.value],
            "signer": [None, f"{signer_title} {signer_name}".strip()],
        },
    )
    return decision


def council_vote_problem(
    proposal: Proposal, votes: tuple[int | None, int | None] | None
) -> str | None:
    """Why the council vote recorded for a flag does not carry it (None when it does)."""
    award = proposal.award_type
    if not award.needs_council_vote:
        return None
    total, votes_for = votes if votes is not None else (None, None)
    if not total or votes_for is None:
        return _("Nhập tổng số thành viên Hội đồng và số thành viên đồng ý.")
    if votes_for > total:
        return _("Số đồng ý không thể lớn hơn tổng số thành viên.")
    threshold = award.rule_set.council_vote_threshold_percent
    share = Decimal(votes_for) * HUNDRED / Decimal(total)
    if share < threshold:
        return _(
            "%(votes)s/%(total)s thành viên Hội đồng đồng ý (%(share)s), chưa đạt %(threshold)s "
            "tổng số thành viên."
        ) % {
            "votes": votes_for,
            "total": total,
            "share": format_percent(share),
            "threshold": format_percent(threshold),
        }
    return None


def _pending_proposals(bloc_year_id: int) -> Q:
    """Proposals of a bloc-year still waiting for a review or a decision."""
    return Q(bloc_year_id=bloc_year_id) & (
        Q(status__in=[Proposal.Status.SUBMITTED, Proposal.Status.RETURNED])
        | Q(status=Proposal.Status.APPROVED, decision__isnull=True)
    )


@transaction.atomic
def decision_attach(
    *,
    decision: Decision,
    proposals: Sequence[Proposal],
    votes: Mapping[int, tuple[int | None, int | None]],
    by: User | None,
) -> list[AwardGrant]:
    """Put approved proposals of the decision's council under the decision, with the council
    vote of each flag; every proposal becomes an award in its unit's history. Only awards of
    the decision's authority go under it. All or nothing: any refusal names the proposal and
    changes nothing."""
    if not proposals:
        raise ValidationError(_("Chọn ít nhất một đề nghị."))
    errors: dict[str, list[str]] = defaultdict(list)
    for proposal in proposals:
        key = f"proposal_{proposal.pk}"
        if proposal.bloc_year.bloc.council_id != decision.council_id:
            errors[key].append(_("Đề nghị không thuộc Hội đồng của quyết định."))
            continue
        wrong_authority = authority_problem(proposal, decision)
        if wrong_authority:
            errors[key].append(wrong_authority)
            continue
        problem = council_vote_problem(proposal, votes.get(proposal.pk))
        if problem:
            errors[f"votes_{proposal.pk}"].append(problem)
    if errors:
        raise ValidationError(dict(errors))
    grants = []
    now_decided: dict[int, BlocYear] = {}
    for proposal in proposals:
        total, votes_for = votes.get(proposal.pk) or (None, None)
        if not proposal.award_type.needs_council_vote:
            total, votes_for = (total, votes_for) if total else (None, None)
        # Conditional: a proposal decided (or withdrawn) by someone else meanwhile is refused.
        changed = Proposal.objects.filter(
            pk=proposal.pk, status=Proposal.Status.APPROVED, decision__isnull=True
        ).update(decision=decision, council_members_total=total, council_votes_for=votes_for)
        if changed != 1:
            raise ValidationError(
                {
                    f"proposal_{proposal.pk}": [
                        _(
                            "Đề nghị %(proposal)s không còn chờ quyết định (đã có quyết định khác "
                            "hoặc chưa được duyệt)."
                        )
                        % {"proposal": proposal}
                    ]
                }
            )
        proposal.decision = decision
        proposal.council_members_total, proposal.council_votes_for = total, votes_for
        bloc_year = proposal.bloc_year
        year = bloc_year.year
        if AwardGrant.objects.filter(
            unit_id=proposal.unit_id, year=year, award_code=proposal.award_type.code
        ).exists():
            raise ValidationError(
                {
                    f"proposal_{proposal.pk}": [
                        _("%(unit)s đã có “%(award)s” năm %(year)s.")
                        % {"unit": proposal.unit, "award": proposal.award_type.name, "year": year}
                    ]
                }
            )
        grants.append(
            AwardGrant.objects.create(
                unit_id=proposal.unit_id,
                year=year,
                award_code=proposal.award_type.code,
                award_name=proposal.award_type.name,
                proposal=proposal,
                decision=decision,
            )
        )
        vote_note = (
            _("Hội đồng: %(for)s/%(total)s thành viên đồng ý.") % {"for": votes_for, "total": total}
            if total
            else ""
        )
        ProposalEvent.objects.create(
            proposal=proposal,
            action=ProposalEvent.Action.DECIDE,
            note=" ".join(
                part
                for part in (
                    _("Quyết định số %(number)s ngày %(date)s.")
                    % {"number": decision.number, "date": f"{decision.date:%d/%m/%Y}"},
                    vote_note,
                )
                if part
            ),
            by=by,
        )
        audit_record(
            actor=by,
            bloc_year=bloc_year,
            context=bloc_year_context(bloc_year),
            action="proposal.decide",
            subject=proposal.award_type.code,
            summary=_("%(unit)s: %(award)s theo Quyết định số %(number)s")
            % {
                "unit": proposal.unit.name_in_year(year),
                "award": proposal.award_type.name,
                "number": decision.number,
            },
            changes={
                "decision": [None, decision.number],
                "council_vote": [None, [votes_for, total]] if total else [None, None],
            },
        )
        now_decided[bloc_year.pk] = bloc_year
    notification_events.proposals_decided(proposals, decision=decision, by=by)
    for bloc_year in now_decided.values():
        if Proposal.objects.filter(_pending_proposals(bloc_year.pk)).exists():
            continue
        moved = BlocYear.objects.filter(pk=bloc_year.pk, state=BlocYear.State.PROPOSED).update(
            state=BlocYear.State.DECIDED
        )
        if moved:
            bloc_year.state = BlocYear.State.DECIDED
            audit_record(
                actor=by,
                bloc_year=bloc_year,
                context=bloc_year_context(bloc_year),
                action="bloc_year.decided",
                summary=_("Mọi đề nghị khen thưởng năm %(year)s đã có quyết định")
                % {"year": bloc_year.year},
                changes={"state": [BlocYear.State.PROPOSED, BlocYear.State.DECIDED]},
            )
    return grants

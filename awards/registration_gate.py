"""The registration gate ("Đã đăng ký thi đua"): an award whose rule set requires it is given
only to a unit that registered it in its emulation registration of the year.

Part of the one eligibility check (``awards.eligibility.check`` calls ``registration_finding``
when the award sets the gate); kept apart because it reads the units' registrations, which
have their own page, deadline and document (docs/awards.md, "Emulation registration").

Three answers, never a pass on facts nobody entered:

* the unit registered the award: no finding;
* the bloc-year ran registration (it has a registration deadline, or some unit registered) and
  the unit did not register the award: a violation, "Chưa đăng ký thi đua danh hiệu … năm N";
* the bloc-year has no registration data at all (a past year imported, a year whose
  registration was kept on paper): a ``facts_missing`` warning. It does not block, because the
  unit could not have registered in the app, and the page says the gate was not checked.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from awards.findings import VIOLATION, WARNING, Finding

GATE = "registration"


def registration_finding(
    *, award_code: str, award_name: str, registered: frozenset[str] | None, year: int
) -> Finding | None:
    """The finding of the registration gate for one award: ``registered`` holds the award codes
    the unit registered for ``year``, or is ``None`` when the year has no registration data."""
    if registered is None:
        return Finding(
            WARNING,
            GATE,
            _(
                "Chưa kiểm tra được: năm %(year)s khối chưa ghi nhận bản đăng ký thi đua nào "
                "(năm nhập từ dữ liệu cũ hoặc đăng ký trên giấy). Thư ký khối ghi bản đăng ký "
                "của các đơn vị ở trang “Đăng ký thi đua”."
            )
            % {"year": year},
            facts_missing=True,
        )
    if award_code in registered:
        return None
    return Finding(
        VIOLATION,
        GATE,
        _("Chưa đăng ký thi đua danh hiệu “%(award)s” năm %(year)s.")
        % {"award": award_name or award_code, "year": year},
    )

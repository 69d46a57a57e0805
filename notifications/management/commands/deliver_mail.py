"""``manage.py deliver_mail``: the mail worker, sending the queued notification e-mails.

Runs until stopped (SIGTERM or Ctrl+C finish the message being sent, hand the rest back and
exit), looking for due mail every ``--interval`` seconds; ``--once`` sends what is due and exits
(cron, tests). Any number of workers may run at once: each message is claimed by one of them
(notifications/outbox.py). docs/deployment.md has the systemd unit.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from notifications.outbox import deliver_due, deliver_until_stopped

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Command(BaseCommand):
    help = (
        "Gửi các thư thông báo đang chờ trong hàng đợi; thư gửi lỗi được thử lại sau 1, 2, 4… "
        "phút. Chạy liên tục cho đến khi nhận SIGTERM; --once: gửi những thư đã đến lượt rồi dừng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Gửi những thư đã đến lượt rồi dừng (cho cron và kiểm thử).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help="Số giây nghỉ giữa hai lượt tìm thư (mặc định 5).",
        )

    def handle(self, *args: Any, once: bool = False, interval: float = 5.0, **options: Any) -> None:
        if interval <= 0:
            raise CommandError(f"--interval phải lớn hơn 0, không phải {interval}.")
        if once:
            self.stdout.write(str(deliver_due()))
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        previous = {number: signal.signal(number, request_stop) for number in STOP_SIGNALS}
        self.stdout.write(
            f"Đang gửi thư trong hàng đợi, {interval:g} giây một lượt; "
            "dừng bằng SIGTERM hoặc Ctrl+C."
        )
        try:
            deliver_until_stopped(stop=stop, interval=interval)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        self.stdout.write("Đã dừng.")

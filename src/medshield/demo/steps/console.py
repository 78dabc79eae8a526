"""Demo step: sign-ins for the web console on the demo's data (printed when the demo ends)."""

from __future__ import annotations

from typing import ClassVar

from medshield.demo.runner import DemoContext
from medshield.web.auth import staff_of, write_passwords

DEMO_PASSWORD = "medshield-demo"  # noqa: S105 - demo data only: synthetic patients, loopback
MEMBERS = ("office-01", "secadmin-01", "committee-01", "supervisor-01")
ADDRESS = "http://127.0.0.1:8080/console/"


class ConsoleStep:
    name: ClassVar[str] = "console"
    title_zh: ClassVar[str] = "管理控制台：工作人员登录"
    title_en: ClassVar[str] = "Web console: staff sign-in"

    def run(self, ctx: DemoContext) -> None:
        members = [m for m in MEMBERS if staff_of(ctx.bundle, m) is not None]
        write_passwords(ctx.workdir / "console-passwords.yaml",
                        dict.fromkeys(members, DEMO_PASSWORD))  # fmt: skip
        (ctx.workdir / "reports").mkdir(exist_ok=True)
        ctx.artifacts["console"] = {"members": members, "password": DEMO_PASSWORD}
        ctx.say(ctx.t(f"   控制台账号：{', '.join(members)}（密码 {DEMO_PASSWORD}）",
                      f"   console sign-ins: {', '.join(members)} (password {DEMO_PASSWORD})"))  # fmt: skip


def closing_lines(ctx: DemoContext) -> list[str]:
    """How to open the console on this demo's data: the command, the address, a sign-in."""
    if "console" not in ctx.artifacts:
        return []
    member = ctx.artifacts["console"]["members"][0]
    return [
        ctx.t("== 打开管理控制台 ==", "== Open the web console =="),
        f"   .venv/bin/medshield serve --demo {ctx.workdir}",
        f"   {ADDRESS}",
        ctx.t(f"   登录：{member} / {DEMO_PASSWORD}", f"   sign in: {member} / {DEMO_PASSWORD}"),
    ]

"""The console's Starlette app: sign-in, the pages, their fragments and the static libraries.

Every route but the sign-in form, the language switch and the static files is ``guarded``: an
anonymous request is sent to sign in (a fragment gets 401), a member whose roles may not open
the page gets 403, and every form carries the session's CSRF token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from medshield.elements.levels import Level
from medshield.errors import MedshieldError, SignInError
from medshield.governance.admin import Admin
from medshield.web import views
from medshield.web.access import NAV, may_open
from medshield.web.auth import Staff, sign_in
from medshield.web.headers import SecurityHeaders
from medshield.web.i18n import LANGS, level_label, translator
from medshield.web.session import (
    LANG_COOKIE,
    check_csrf,
    csrf_token,
    current_staff,
    language,
    sign_in_session,
)

HERE = Path(__file__).parent
Handler = Callable[[Request, Staff], Awaitable[Response]]
PUBLIC: frozenset[str] = frozenset({"/login", "/lang", "/static"})
SESSION_COOKIE = "medshield_console"
LEVELS: tuple[str, ...] = tuple(level.en for level in Level)


def build_console(
    ctx: views.ConsoleContext, *, secret: str, https_only: bool = False, max_age: int = 8 * 3600
) -> Starlette:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    templates = Jinja2Templates(env=env)
    pages: dict[str, str] = {}  # path -> page key, for every guarded route

    def base(request: Request) -> str:
        return str(request.scope.get("root_path", "")).rstrip("/")

    def render(request: Request, name: str, staff: Staff | None, status: int = 200,
               **data: Any) -> Response:  # fmt: skip
        lang = language(request)
        nav = [(k, p) for k, p in NAV if staff is not None and may_open(staff, k)]
        context = {"t": translator(lang), "lang": lang, "staff": staff, "base": base(request),
                   "nav": nav, "csrf": csrf_token(request),
                   "level": lambda v: level_label(v, lang), "levels": LEVELS, **data}  # fmt: skip
        return templates.TemplateResponse(request, name, context, status_code=status)

    def guarded(path: str, page: str, *, fragment: bool = False,
                methods: tuple[str, ...] = ("GET",)) -> Callable[[Handler], Route]:  # fmt: skip
        def wrap(handler: Handler) -> Route:
            async def endpoint(request: Request) -> Response:
                staff = current_staff(request, ctx.bundle)
                if staff is None:
                    if fragment or request.method != "GET":
                        return Response("sign in first", status_code=401)
                    return RedirectResponse(f"{base(request)}/login", status_code=303)
                if not may_open(staff, page):
                    return render(request, "error.html", staff, 403, message=None)
                try:
                    return await handler(request, staff)
                except MedshieldError as exc:
                    return render(request, "error.html", staff, exc.http_status, message=exc)

            pages[path] = page
            return Route(path, endpoint, methods=list(methods))

        return wrap

    # --- sign-in, sign-out, language ---
    async def login_form(request: Request) -> Response:
        return render(request, "login.html", None, failed=False)

    async def login(request: Request) -> Response:
        fields = await check_csrf(request)
        try:
            staff = sign_in(ctx.bundle, ctx.passwords, fields.get("member", ""),
                            fields.get("password", ""))  # fmt: skip
        except SignInError:
            return render(request, "login.html", None, 401, failed=True)
        sign_in_session(request, staff)
        return RedirectResponse(f"{base(request)}/", status_code=303)

    async def switch_language(request: Request) -> Response:
        fields = await check_csrf(request)
        lang = fields.get("lang", "zh")
        lang = lang if lang in LANGS else "zh"
        request.session["lang"] = lang
        back = fields.get("back", "/")
        target = back if back.startswith(base(request) + "/") else f"{base(request)}/"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, httponly=True,
                            samesite="strict", secure=https_only)  # fmt: skip
        return response

    routes: list[BaseRoute] = [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/lang", switch_language, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]

    @guarded("/logout", "overview", methods=("POST",))
    async def logout(request: Request, _staff: Staff) -> Response:
        await check_csrf(request)
        request.session.clear()
        return RedirectResponse(f"{base(request)}/login", status_code=303)

    @guarded("/", "overview")
    async def overview(request: Request, staff: Staff) -> Response:
        return render(request, "overview.html", staff, **views.overview(ctx))

    def catalogue(review: bool, template: str) -> Handler:
        async def handler(request: Request, staff: Staff) -> Response:
            data = views.catalogue(ctx, dict(request.query_params), review=review)
            done = request.session.pop("done", None) if review else None
            return render(request, template, staff, review=review, done=done, **data)

        return handler

    async def review_decide(request: Request, staff: Staff) -> Response:
        f = await check_csrf(request)
        accept = f.get("decision") == "accept"
        reason = f.get("reason", "").strip() or ("复核确认" if accept else "")
        row = Admin(ctx.ledger, ctx.bundle, staff.id).review_column(
            ctx.store, f.get("source", ""), f.get("table", ""), f.get("column", ""),
            reason=reason, level=f.get("current" if accept else "level") or None,
        )  # fmt: skip
        # post, redirect, get: a reload does not decide twice; the page shows what was recorded
        request.session["done"] = {k: row[k] for k in ("table", "column", "level")}
        return RedirectResponse(f"{base(request)}/review", status_code=303)

    @guarded("/masking", "masking")
    async def masking(request: Request, staff: Staff) -> Response:
        return render(request, "masking.html", staff, **views.masking(ctx))

    @guarded("/traffic", "traffic")
    async def traffic(request: Request, staff: Staff) -> Response:
        data = views.traffic(ctx, lang=language(request))
        return render(request, "traffic.html", staff, **data)

    @guarded("/alerts", "alerts")
    async def alerts(request: Request, staff: Staff) -> Response:
        return render(request, "alerts.html", staff, **views.alerts(ctx))

    @guarded("/audit", "audit")
    async def audit(request: Request, staff: Staff) -> Response:
        return render(request, "audit.html", staff, **views.audit(ctx))

    @guarded("/lineage", "lineage")
    async def lineage(request: Request, staff: Staff) -> Response:
        q = request.query_params
        data = views.lineage(ctx, q.get("node", "").strip(), q.get("pseudonym", "").strip())
        return render(request, "lineage.html", staff, **data)

    @guarded("/reports", "reports")
    async def reports(request: Request, staff: Staff) -> Response:
        return render(request, "reports.html", staff, files=views.report_files(ctx))

    @guarded("/reports/{name}", "reports", fragment=True)
    async def report_file(request: Request, staff: Staff) -> Response:
        path = views.report_path(ctx, request.path_params["name"])
        if path is None:
            return render(request, "error.html", staff, 404, message=None, missing=True)
        return FileResponse(path, filename=path.name)

    @guarded("/ledger", "ledger")
    async def ledger(request: Request, staff: Staff) -> Response:
        return render(request, "ledger.html", staff, **views.ledger_status(ctx))

    routes += [
        logout, overview, masking, traffic, alerts, audit, lineage, reports, report_file, ledger,
        guarded("/catalog", "catalog")(catalogue(False, "catalog.html")),
        guarded("/catalog/rows", "catalog", fragment=True)(catalogue(False, "catalog_rows.html")),
        guarded("/review", "review")(catalogue(True, "catalog.html")),
        guarded("/review", "review", methods=("POST",))(review_decide),
    ]  # fmt: skip

    async def on_error(request: Request, exc: Exception) -> Response:
        status = exc.http_status if isinstance(exc, MedshieldError) else 500
        return render(request, "error.html", current_staff(request, ctx.bundle), status,
                      message=exc if isinstance(exc, MedshieldError) else None)  # fmt: skip

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                SessionMiddleware,
                secret_key=secret,
                session_cookie=SESSION_COOKIE,
                max_age=max_age,
                same_site="strict",
                https_only=https_only,
            ),
        ],  # fmt: skip
        exception_handlers={MedshieldError: on_error},
    )
    app.state.console_pages = pages
    app.state.console_public = PUBLIC
    return app

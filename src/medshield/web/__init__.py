"""The web console (管理控制台): server-rendered pages for the platform's staff.

``build_console(ConsoleContext)`` is a Starlette app; the gateway mounts it under ``/console``
and ``medshield console`` (or uvicorn's factory ``medshield.web.server:console_from_settings``)
runs it alone. Pages only translate: their data comes from the core's functions.
"""

"""Audit: SQL statements (``audit.sql``, ``audit.rules``), the ad-hoc query service
(``audit.query``), and the log sources and behaviour detectors."""

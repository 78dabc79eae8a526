"""Audit: SQL statements (``audit.sql``, ``audit.rules``), the ad-hoc query service
(``audit.query``), server and database log sources (``audit.sources``) and behaviour detectors
(``audit.detectors``)."""

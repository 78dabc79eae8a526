"""Audit: SQL analysis and rules, server and database log sources, behaviour detectors."""

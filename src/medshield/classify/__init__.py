"""Catalogue scan of source databases, column classification and grading."""

from medshield.classify.catalog import ScanOptions, ScanSummary, open_catalog, scan_source
from medshield.classify.classifier import ColumnClass, ColumnClassifier, ColumnFacts
from medshield.classify.report import level_map, override, report_rows
from medshield.classify.scan import ColumnInfo, SourceScan, TableInfo, list_tables, open_source

__all__ = [
    "ColumnClass",
    "ColumnClassifier",
    "ColumnFacts",
    "ColumnInfo",
    "ScanOptions",
    "ScanSummary",
    "SourceScan",
    "TableInfo",
    "level_map",
    "list_tables",
    "open_catalog",
    "open_source",
    "override",
    "report_rows",
    "scan_source",
]

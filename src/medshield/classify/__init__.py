"""Catalogue scan of source databases, column classification and grading."""

from medshield.classify.classifier import ColumnClass, ColumnClassifier, ColumnFacts
from medshield.classify.scan import ColumnInfo, SourceScan, TableInfo, list_tables, open_source

__all__ = [
    "ColumnClass",
    "ColumnClassifier",
    "ColumnFacts",
    "ColumnInfo",
    "SourceScan",
    "TableInfo",
    "list_tables",
    "open_source",
]

"""Vendor styles: how each institution's HIS names its tables and columns and codes its values.

Real HIS databases of one alliance come from different vendors: English snake_case
(``patient.id_no``), pinyin initials (``brjbxx.sfzh`` 身份证号), CamelCase (``PatientInfo.IdNo``);
with Chinese column comments or without; gender as 1/2, 男/女 or M/F; addresses with or
without the province; secondary indexes or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from medshield.synth.schema import Col, TableSpec

Naming = Literal["english", "pinyin", "camel"]


@dataclass(frozen=True)
class VendorStyle:
    key: str
    naming: Naming
    comments: bool  # Chinese comments on tables and columns
    gender_codes: tuple[str, str]  # (male, female)
    address_province: bool  # 重庆市渝中区... rather than 渝中区...
    indexes: bool = True  # secondary indexes on the live clinical tables

    def table_name(self, table: TableSpec) -> str:
        if self.naming == "pinyin":
            return table.pinyin
        if self.naming == "camel":
            return table.camel
        return table.key

    def column_name(self, column: Col) -> str:
        if self.naming == "pinyin":
            return column.pinyin
        if self.naming == "camel":
            return "".join(part.capitalize() for part in column.key.split("_"))
        return column.key


STYLES: tuple[VendorStyle, ...] = (
    VendorStyle("english_commented", "english", True, ("1", "2"), True),
    VendorStyle("pinyin_commented", "pinyin", True, ("男", "女"), False),
    VendorStyle("camel_bare", "camel", False, ("M", "F"), True, indexes=False),
    VendorStyle("pinyin_bare", "pinyin", False, ("1", "2"), True),
    VendorStyle("english_bare", "english", False, ("男", "女"), False, indexes=False),
    VendorStyle("camel_commented", "camel", True, ("1", "2"), False),
)


def style_for(position: int) -> VendorStyle:
    """The style of the institution at ``position`` in the policy's list."""
    return STYLES[position % len(STYLES)]

"""The default register: the twelve risks of the paper's Table 1 (数据安全风险管理)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RiskPoint:
    """A risk point as defined: its id, name, description and initial L and S."""

    id: str
    point: str
    description: str
    likelihood: int
    severity: int


TABLE_1: tuple[RiskPoint, ...] = (
    RiskPoint("RK01", "数据泄漏风险", "医疗机构涉及大量敏感数据，包括患者基本信息、健康状况、就诊记录等，"
              "这些数据的泄漏可能对患者和医疗机构带来不良影响", 5, 5),
    RiskPoint("RK02", "数据篡改风险", "不法分子可能篡改数据，从而造成数据失真，影响医疗质量和安全", 4, 4),
    RiskPoint("RK03", "数据滥用风险", "医疗机构内部人员可能超权限、超用途、超时间使用数据，"
              "甚至存在非法获取和滥用", 4, 3),
    RiskPoint("RK04", "数据传输风险", "数据未按照相关规定传输，存在违规使用传输介质，内、外网交叉传输等问题",
              4, 3),
    RiskPoint("RK05", "外部攻击风险", "由于医疗行业的特殊性，医疗数据是黑客攻击的重点目标，"
              "存在较大的外部攻击风险", 3, 5),
    RiskPoint("RK06", "内部管控风险", "医疗机构内部人员权限管理不规范，可能随意访问隐私数据，造成数据泄漏",
              2, 3),
    RiskPoint("RK07", "制度不健全", "医疗机构的安全管理制度尚需完善，存在数据安全管理和保护方面的漏洞和缺陷",
              2, 4),
    RiskPoint("RK08", "安全技术不足", "医疗机构缺乏必要的、完善的安全技术措施，如加密、访问控制、监控等，"
              "可能导致数据的安全性和完整性受到威胁", 3, 4),
    RiskPoint("RK09", "合规性风险", "医疗机构需要遵守一系列法律法规和标准，如《医疗信息安全规范》"
              "《个人信息安全规范》等，若违反相关规定，可能会面临法律责任和罚款等风险", 1, 5),
    RiskPoint("RK10", "流量异常风险", "医疗机构的数据访问流量异常，通常由流量规模大、流量内容异常引起", 2, 2),
    RiskPoint("RK11", "声誉风险", "医疗机构数据的泄漏或滥用等安全事件可能对其声誉造成不良影响，"
              "降低患者的满意度和对医疗机构的信任度", 2, 3),
    RiskPoint("RK12", "业务中断风险", "医疗机构的业务系统和数据安全受到威胁，可能导致业务中断，"
              "给医疗机构带来经济损失和形象损失", 2, 5),
)  # fmt: skip

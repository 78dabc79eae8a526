"""Chinese and English titles of report sections, columns and marks (Chinese first)."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # reports
    "report.api": ("数据接口检测报告", "API detection report"),
    "report.audit": ("数据安全审计报告", "Audit report"),
    "report.compliance": ("合规报告", "Compliance report"),
    "window": ("统计区间", "Window"),
    "records_read": ("读取账本记录", "Ledger records read"),
    # api sections
    "totals": ("总量", "Totals"),
    "by_institution": ("按机构统计", "By institution"),
    "by_api": ("按接口统计", "By API"),
    "locations": ("IP 与地域分布", "IP and location distribution"),
    "trend": ("按小时趋势（高峰/低谷）", "Hourly trend (peak / off-peak)"),
    "errors": ("错误码", "Error codes"),
    "intercepts": ("拦截", "Intercepts"),
    "probes": ("拨测结果", "Probe results"),
    "load": ("负载评估", "Load assessment"),
    # audit / compliance sections
    "rule_hits": ("规则命中", "Rule hits"),
    "alerts": ("告警", "Alerts"),
    "incidents": ("安全事件", "Incidents"),
    "top_accounts": ("高频账号", "Top accounts"),
    "top_tables": ("高频数据表", "Top tables"),
    "figures": ("合规指标", "Compliance figures"),
    # columns
    "metric": ("指标", "Metric"),
    "value": ("数值", "Value"),
    "seqs": ("账本序号", "Ledger seqs"),
    "institution": ("机构", "Institution"),
    "api": ("接口", "API"),
    "requests": ("请求数", "Requests"),
    "records": ("返回记录数", "Records returned"),
    "under_control": ("受控记录数", "Records under control"),
    "denied": ("拒绝数", "Denied"),
    "avg_ms": ("平均响应(ms)", "Avg response (ms)"),
    "max_ms": ("最大响应(ms)", "Max response (ms)"),
    "location": ("登记地域", "Registered location"),
    "hour": ("时段", "Hour"),
    "period": ("时段类型", "Period"),
    "code": ("错误码", "Code"),
    "status": ("HTTP 状态", "HTTP status"),
    "count": ("次数", "Count"),
    "detail": ("详情", "Detail"),
    "kind": ("类型", "Kind"),
    "probe": ("拨测项", "Probe"),
    "passed": ("通过", "Passed"),
    "failed": ("失败", "Failed"),
    "last_failure": ("最近失败原因", "Last failure"),
    "daily_peak": ("日峰值", "Daily peak"),
    "peak_day": ("峰值日期", "Peak day"),
    "peak_per_minute": ("分钟峰值", "Peak per minute"),
    "rate_per_minute": ("限速/分钟", "Rate limit / minute"),
    "utilisation": ("峰值占用率", "Peak utilisation"),
    "advice": ("建议", "Advice"),
    "rule": ("规则", "Rule"),
    "action": ("事件类型", "Event type"),
    "account": ("账号", "Account"),
    "table": ("数据表", "Table"),
    "opened": ("新开", "Opened"),
    "closed": ("关闭", "Closed"),
    # values
    "peak": ("高峰", "peak"),
    "off_peak": ("低谷", "off-peak"),
    "normal": ("平稳", "normal"),
    "raise_capacity": ("建议扩容", "raise capacity"),
    "ok": ("容量充足", "capacity sufficient"),
    "unknown": ("未知（公网或未登记）", "unknown (public or unregistered)"),
    "none": ("无", "none"),
    # the traffic map
    "map.calls": ("调用", "calls"),
    "map.intercepts": ("拦截", "intercepts"),
    "map.unknown": ("未知", "Unknown"),
    "map.caption": (
        "示意图：每个省级行政区一个等大方格（非地理边界）。机构按登记地域落格，颜色越深调用越多，"
        "“拦截”为被拒绝或告警的调用及网关告警；灰色虚线格为公网或未登记地址。",
        "Schematic: one equal tile per provincial-level division (no boundaries). Institutions "
        "sit at their registered location; darker tiles had more calls; intercepts are calls "
        "denied or flagged and gateway alerts; the grey dashed tile holds public or unregistered "
        "addresses.",
    ),
    # compliance metrics
    "columns_scanned": ("已扫描字段", "Columns scanned"),
    "columns_classified": ("已分类分级字段", "Columns classified"),
    "classification_coverage": ("分类分级覆盖率", "Classification coverage"),
    "mask_jobs": ("脱敏任务", "Masking jobs"),
    "released_records": ("对外释放记录", "Records released"),
    "masking_coverage": ("脱敏覆盖率（受控/释放）", "Masking coverage (controlled / released)"),
    "consent_requests": ("患者授权请求", "Consent requests"),
    "consent_grants": ("患者授权通过", "Consents granted"),
    "consent_refusals": ("患者授权拒绝", "Consents refused"),
    "tokens_issued": ("签发令牌", "Tokens issued"),
    "tokens_revoked": ("吊销令牌", "Tokens revoked"),
    "token_findings": ("令牌审查发现", "Token review findings"),
    "destruction_certificates": ("销毁证明", "Destruction certificates"),
    "rows_destroyed": ("已销毁记录", "Rows destroyed"),
    "retention_destructions": ("按保留期限销毁", "Destructions under a retention rule"),
}


def label(key: str, lang: str) -> str:
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]

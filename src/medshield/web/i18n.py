"""The console's one message catalogue: every label in Chinese (the default) and English.

Templates call ``t("key")``; a key missing from the catalogue raises, so an untranslated label
cannot reach a page (and the tests render every page in both languages).
"""

from __future__ import annotations

from collections.abc import Callable

from medshield.elements.levels import Level
from medshield.errors import UnknownNameError

LANGS: tuple[str, ...] = ("zh", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # the frame
    "app.title": ("医联体数据安全管理控制台", "Alliance data-security console"),
    "app.skip": ("跳到正文", "Skip to content"),
    "app.signed_in_as": ("当前用户", "Signed in as"),
    "app.sign_out": ("退出", "Sign out"),
    "app.language": ("English", "中文"),
    "app.language_label": ("切换语言", "Switch language"),
    "app.forbidden": ("您的角色无权查看此页面。", "Your roles may not open this page."),
    "app.not_found": ("没有这个页面。", "No such page."),
    "app.none": ("暂无记录", "Nothing recorded"),
    "app.total": ("共", "Total"),
    "app.page": ("页", "Page"),
    "app.prev": ("上一页", "Previous"),
    "app.next": ("下一页", "Next"),
    "app.search": ("查询", "Search"),
    "app.reports_link": ("报告", "Reports"),
    # pages
    "page.overview": ("总览", "Overview"),
    "page.catalog": ("分类分级目录", "Graded catalogue"),
    "page.review": ("待复核字段", "Review queue"),
    "page.masking": ("脱敏策略与任务", "Masking plans and jobs"),
    "page.traffic": ("接口流量", "API traffic"),
    "page.alerts": ("告警与事件", "Alerts and incidents"),
    "page.audit": ("审计发现", "Audit findings"),
    "page.lineage": ("数据流向", "Data flow"),
    "page.reports": ("报告下载", "Reports"),
    "page.ledger": ("账本状态", "Ledger status"),
    # sign-in
    "login.title": ("工作人员登录", "Staff sign-in"),
    "login.member": ("成员编号", "Member id"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Sign in"),
    "login.failed": ("成员编号或密码错误。", "Unknown member or wrong password."),
    # overview
    "ov.alliance": ("医联体成员机构", "Alliance institutions"),
    "ov.institution": ("机构", "Institution"),
    "ov.kind": ("类型", "Kind"),
    "ov.hub": ("数据中心", "Hub"),
    "ov.member": ("成员", "Member"),
    "ov.place": ("所在地", "Location"),
    "ov.calls_today": ("今日接口调用", "API calls today"),
    "ov.denied_today": ("今日拒绝", "Denied today"),
    "ov.alerts_week": ("近七日告警", "Alerts, last 7 days"),
    "ov.ledger_head": ("账本记录数", "Ledger records"),
    "ov.checkpoint": ("最新检查点", "Last checkpoint"),
    # catalogue
    "cat.source": ("数据源", "Source"),
    "cat.table": ("表", "Table"),
    "cat.column": ("字段", "Column"),
    "cat.type": ("类型", "Type"),
    "cat.element": ("数据元", "Element"),
    "cat.category": ("类别", "Category"),
    "cat.level": ("级别", "Level"),
    "cat.any_level": ("全部级别", "Any level"),
    "cat.confidence": ("置信度", "Confidence"),
    "cat.trace": ("定级依据", "Level trace"),
    "cat.override": ("人工调整", "Set by hand"),
    "cat.columns": ("个字段", "columns"),
    "rev.reason": ("理由", "Reason"),
    "rev.accept": ("确认", "Accept"),
    "rev.apply": ("调整", "Override"),
    "rev.done": ("已记录：", "Recorded: "),
    "rev.refused": ("操作被拒绝：", "Refused: "),
    "rev.empty": ("没有待复核的字段。", "No column awaits review."),
    # masking
    "mask.rules": ("脱敏规则（按角色与场景）", "Masking rules by role and scenario"),
    "mask.rule": ("规则", "Rule"),
    "mask.roles": ("角色", "Roles"),
    "mask.scenarios": ("场景", "Scenarios"),
    "mask.elements": ("数据元", "Elements"),
    "mask.min_level": ("最低级别", "From level"),
    "mask.operator": ("脱敏算子", "Operator"),
    "mask.all": ("全部", "all"),
    "mask.default": ("默认算子", "Default operator"),
    "mask.jobs": ("脱敏任务", "Masking jobs"),
    # events
    "ev.seq": ("序号", "Seq"),
    "ev.at": ("时间", "Time"),
    "ev.action": ("事件", "Event"),
    "ev.actor": ("主体", "Actor"),
    "ev.institution": ("机构", "Institution"),
    "ev.outcome": ("结果", "Outcome"),
    "ev.api": ("接口", "API"),
    "ev.reasons": ("原因", "Reasons"),
    # traffic
    "tr.trend": ("近七日调用趋势", "Calls over the last 7 days"),
    "tr.calls": ("调用", "Calls"),
    "tr.denied": ("拒绝", "Denied"),
    "tr.map": ("各机构调用量", "Calls per institution"),
    "tr.intercepts": ("拦截记录", "Intercepts"),
    "tr.geo": ("调用与拦截地域分布（近七日）", "Calls and intercepts by location, last 7 days"),
    "tr.where": ("登记地域", "Registered location"),
    "tr.intercepted": ("拦截", "Intercepted"),
    # alerts
    "al.alerts": ("近三十日告警", "Alerts, last 30 days"),
    "al.incidents": ("安全事件", "Incidents"),
    "al.id": ("编号", "Id"),
    "al.class": ("事件类别", "Class"),
    "al.grade": ("等级", "Grade"),
    "al.status": ("状态", "Status"),
    "al.tasks": ("处置进度", "Tasks done"),
    "al.opened": ("发现时间", "Opened"),
    "al.drill": ("演练", "Drill"),
    # audit
    "au.findings": ("近三十日审计发现", "Audit findings, last 30 days"),
    # lineage
    "ln.node": ("数据表（数据源/表）", "Table (source/table)"),
    "ln.pseudonym": ("患者假名", "Patient pseudonym"),
    "ln.show": ("查看流向", "Show the flow"),
    "ln.steps": ("流转步骤", "Steps"),
    "ln.stage": ("环节", "Stage"),
    "ln.from": ("来源", "From"),
    "ln.to": ("去向", "To"),
    "ln.rows": ("行数", "Rows"),
    "ln.error": ("查询有误：", "Cannot show: "),
    # reports
    "rp.file": ("文件", "File"),
    "rp.size": ("大小（字节）", "Size (bytes)"),
    "rp.modified": ("生成时间", "Written"),
    "rp.download": ("下载", "Download"),
    # ledger
    "lg.head": ("账本头", "Head"),
    "lg.records": ("记录数", "Records"),
    "lg.hash": ("哈希", "Hash"),
    "lg.checkpoints": ("检查点", "Checkpoints"),
    "lg.signature": ("签名算法", "Signature"),
    "lg.replicas": ("副本", "Replicas"),
    "lg.replica": ("副本位置", "Replica"),
    "lg.lag": ("落后记录数", "Lag (records)"),
    "lg.lag_s": ("落后秒数", "Lag (seconds)"),
    "lg.replica_error": ("副本不可用：", "Replica unavailable: "),
    "lg.drill": ("最近一次演练", "Last drill"),
}


def translator(lang: str) -> Callable[[str], str]:
    """``t(key)`` in ``lang``; an unknown key raises KeyError (no label goes untranslated)."""
    index = 1 if lang == "en" else 0

    def t(key: str) -> str:
        return MESSAGES[key][index]

    return t


def level_label(level: str, lang: str) -> str:
    try:
        return Level.parse(level).label(lang)
    except UnknownNameError:  # a value the policy no longer knows: shown as stored
        return level

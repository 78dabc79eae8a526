"""The logical HIS schema every institution holds, with the data element of each column.

Vendors name tables and columns differently (see ``styles``), but what a column holds is the same
everywhere; the ground truth is read from here. ``embeds`` marks free text (主诉, 病程记录, 备注)
that sometimes carries identifiers such as phone numbers or names.
"""

from __future__ import annotations

from dataclasses import dataclass

SURROGATE = "DE99.00.002.00"
PATIENT_ID = "DE01.00.001.00"
VISIT_ID = "DE01.00.002.00"
TIMESTAMP = "DE99.00.001.00"
REMARK = "DE99.00.004.00"
STAFF_NO = "DE08.30.001.00"


@dataclass(frozen=True)
class Col:
    key: str  # English snake_case name
    sql: str  # int | str:N | text | date | datetime | money | float
    element: str  # data-element code, "" when the column holds no element of the catalogue
    zh: str  # Chinese name, used as the column comment
    pinyin: str  # pinyin initials (brxm 病人姓名)
    embeds: bool = False


@dataclass(frozen=True)
class TableSpec:
    key: str
    zh: str
    pinyin: str
    camel: str
    columns: tuple[Col, ...]
    personal: bool = True

    def column(self, key: str) -> Col:
        return next(c for c in self.columns if c.key == key)


PATIENT = TableSpec("patient", "病人基本信息", "brjbxx", "PatientInfo", (
    Col("patient_id", "int", PATIENT_ID, "病人ID", "brid"),
    Col("mrn", "str:20", "DE01.00.021.00", "病案号", "bah"),
    Col("name", "str:40", "DE02.01.039.00", "病人姓名", "brxm"),
    Col("gender", "str:4", "DE02.01.040.00", "性别", "xb"),
    Col("birth_date", "date", "DE02.01.005.01", "出生日期", "csrq"),
    Col("age", "int", "DE02.01.026.00", "年龄", "nl"),
    Col("id_type", "str:4", "DE02.01.031.00", "证件类型", "zjlx"),
    Col("id_no", "str:18", "DE02.01.030.00", "身份证号", "sfzh"),
    Col("ethnicity", "str:20", "DE02.01.025.00", "民族", "mz"),
    Col("marital", "str:4", "DE02.01.018.00", "婚姻状况", "hyzk"),
    Col("occupation", "str:60", "DE02.01.052.00", "职业", "zy"),
    Col("employer", "str:80", "DE02.01.064.00", "工作单位", "gzdw"),
    Col("mobile", "str:20", "DE02.01.010.00", "联系电话", "lxdh"),
    Col("landline", "str:20", "DE02.01.010.01", "固定电话", "gddh"),
    Col("address", "str:200", "DE02.01.009.00", "家庭住址", "jtzz"),
    Col("contact_name", "str:40", "DE02.01.039.01", "联系人姓名", "lxrxm"),
    Col("contact_relation", "str:4", "DE02.01.063.00", "联系人关系", "lxrgx"),
    Col("contact_phone", "str:20", "DE02.01.010.02", "联系人电话", "lxrdh"),
    Col("insurance_type", "str:40", "DE02.01.044.00", "医保类别", "yblb"),
    Col("insurance_no", "str:20", "DE01.00.017.00", "医保卡号", "ybkh"),
    Col("remark", "str:200", REMARK, "备注", "bz", embeds=True),
    Col("created_at", "datetime", TIMESTAMP, "建档时间", "jdsj"),
))  # fmt: skip

VISIT = TableSpec("visit", "就诊记录", "jzjl", "VisitRecord", (
    Col("visit_id", "int", VISIT_ID, "就诊流水号", "jzlsh"),
    Col("patient_id", "int", PATIENT_ID, "病人ID", "brid"),
    Col("outpatient_no", "str:20", "DE01.00.010.00", "门诊号", "mzh"),
    Col("visit_type", "str:4", "DE06.00.223.00", "就诊类型", "jzlx"),
    Col("visit_time", "datetime", "DE06.00.062.00", "就诊时间", "jzsj"),
    Col("dept_id", "int", SURROGATE, "科室ID", "ksid"),
    Col("doctor_no", "str:10", STAFF_NO, "医生工号", "ysgh"),
    Col("chief_complaint", "str:200", "DE04.01.119.00", "主诉", "zs", embeds=True),
    Col("total_cost", "money", "DE07.00.010.00", "总费用", "zfy"),
    Col("self_pay", "money", "DE07.00.011.00", "自付金额", "zfje"),
    Col("insurance_paid", "money", "DE07.00.012.00", "医保支付金额", "ybzfje"),
))  # fmt: skip

DIAGNOSIS = TableSpec("diagnosis", "诊断记录", "zdjl", "Diagnosis", (
    Col("diag_id", "int", SURROGATE, "诊断ID", "zdid"),
    Col("visit_id", "int", VISIT_ID, "就诊流水号", "jzlsh"),
    Col("icd_code", "str:20", "DE05.01.024.00", "诊断编码", "zdbm"),
    Col("diag_name", "str:100", "DE05.01.025.00", "诊断名称", "zdmc"),
    Col("diag_type", "str:10", "", "诊断类别", "zdlb"),
    Col("diag_date", "date", "DE05.01.058.00", "诊断日期", "zdrq"),
))  # fmt: skip

PRESCRIPTION = TableSpec("prescription", "处方明细", "cfmx", "PrescriptionDetail", (
    Col("rx_no", "str:20", "DE01.00.003.00", "处方号", "cfh"),
    Col("item_no", "int", "", "明细序号", "mxxh"),
    Col("visit_id", "int", VISIT_ID, "就诊流水号", "jzlsh"),
    Col("patient_id", "int", PATIENT_ID, "病人ID", "brid"),
    Col("drug_name", "str:100", "DE08.50.022.00", "药品名称", "ypmc"),
    Col("spec", "str:60", "DE08.50.043.00", "规格", "gg"),
    Col("dose", "str:20", "DE08.50.044.00", "单次剂量", "dcjl"),
    Col("frequency", "str:10", "DE08.50.045.00", "频次", "pc"),
    Col("route", "str:20", "DE08.50.046.00", "给药途径", "gytj"),
    Col("quantity", "int", "", "数量", "sl"),
    Col("unit_price", "money", "DE07.00.013.00", "单价", "dj"),
    Col("doctor_name", "str:40", "DE02.01.039.02", "开方医生", "kfys"),
))  # fmt: skip

MEDICAL_ORDER = TableSpec("medical_order", "医嘱信息", "yzxx", "MedicalOrder", (
    Col("order_no", "str:20", "DE01.00.004.00", "医嘱号", "yzh"),
    Col("visit_id", "int", VISIT_ID, "就诊流水号", "jzlsh"),
    Col("order_type", "str:10", "DE06.00.289.00", "医嘱类别", "yzlb"),
    Col("content", "str:200", "DE06.00.288.00", "医嘱内容", "yznr"),
    Col("start_time", "datetime", TIMESTAMP, "开始时间", "kssj"),
    Col("doctor_no", "str:10", STAFF_NO, "医生工号", "ysgh"),
    Col("remark", "str:200", REMARK, "备注", "bz", embeds=True),
    Col("status", "str:4", "DE99.00.003.00", "状态", "zt"),
))  # fmt: skip

LAB_RESULT = TableSpec("lab_result", "检验结果", "jyjg", "LabResult", (
    Col("report_no", "str:20", "DE01.00.005.00", "报告单号", "bgdh"),
    Col("visit_id", "int", VISIT_ID, "就诊流水号", "jzlsh"),
    Col("item_name", "str:40", "DE04.50.131.00", "检验项目", "jyxm"),
    Col("result", "str:20", "DE04.50.132.00", "检验结果", "jyjg"),
    Col("unit", "str:20", "DE04.50.134.00", "单位", "dw"),
    Col("reference_range", "str:40", "DE04.50.137.00", "参考范围", "ckfw"),
    Col("abnormal_flag", "str:4", "", "异常标志", "ycbz"),
    Col("report_time", "datetime", TIMESTAMP, "报告时间", "bgsj"),
))  # fmt: skip

OPERATION = TableSpec("operation_record", "手术记录", "ssjl", "OperationRecord", (
    Col("op_id", "int", SURROGATE, "手术ID", "ssid"),
    Col("visit_id", "int", VISIT_ID, "就诊流水号", "jzlsh"),
    Col("inpatient_no", "str:20", "DE01.00.014.00", "住院号", "zyh"),
    Col("op_code", "str:20", "DE06.00.093.00", "手术编码", "ssbm"),
    Col("op_name", "str:100", "DE06.00.094.00", "手术名称", "ssmc"),
    Col("op_date", "date", "DE06.00.095.00", "手术日期", "ssrq"),
    Col("anaesthesia", "str:4", "DE06.00.073.00", "麻醉方式", "mzfs"),
    Col("surgeon", "str:40", "DE02.01.039.02", "主刀医生", "zdys"),
    Col("progress_note", "text", "DE04.01.200.00", "病程记录", "bcjl", embeds=True),
))  # fmt: skip

DEPARTMENT = TableSpec("department", "科室字典", "kszd", "Department", (
    Col("dept_id", "int", SURROGATE, "科室ID", "ksid"),
    Col("dept_name", "str:40", "DE08.10.026.00", "科室名称", "ksmc"),
    Col("beds", "int", "DE08.30.004.00", "床位数", "cws"),
    Col("location", "str:40", "", "位置", "wz"),
), personal=False)  # fmt: skip

STAFF = TableSpec("staff", "职工信息", "zgxx", "Staff", (
    Col("staff_no", "str:10", STAFF_NO, "工号", "gh"),
    Col("name", "str:40", "DE02.01.039.02", "姓名", "xm"),
    Col("gender", "str:4", "DE02.01.040.00", "性别", "xb"),
    Col("title", "str:20", "DE08.30.002.00", "职称", "zc"),
    Col("licence_no", "str:20", "DE08.30.003.00", "执业证书编码", "zyzsbm"),
    Col("dept_id", "int", SURROGATE, "科室ID", "ksid"),
    Col("mobile", "str:20", "DE02.01.010.00", "手机号码", "sjhm"),
    Col("id_no", "str:18", "DE02.01.030.00", "身份证号", "sfzh"),
))  # fmt: skip

DRUG_CATALOG = TableSpec("drug_catalog", "药品目录", "ypml", "DrugCatalog", (
    Col("drug_code", "str:20", "", "药品编码", "ypbm"),
    Col("generic_name", "str:100", "DE08.50.022.00", "通用名", "tym"),
    Col("brand_name", "str:60", "DE08.50.022.00", "商品名", "spm"),
    Col("spec", "str:60", "DE08.50.043.00", "规格", "gg"),
    Col("unit", "str:10", "", "单位", "dw"),
    Col("manufacturer", "str:100", "", "生产厂家", "sccj"),
    Col("price", "money", "DE07.00.013.00", "零售价", "lsj"),
), personal=False)  # fmt: skip

EQUIPMENT = TableSpec("equipment", "设备台账", "sbtz", "Equipment", (
    Col("asset_no", "str:20", "", "资产编号", "zcbh"),
    Col("name", "str:60", "DE08.30.005.00", "设备名称", "sbmc"),
    Col("model", "str:40", "", "型号", "xh"),
    Col("dept_id", "int", SURROGATE, "科室ID", "ksid"),
    Col("purchase_date", "date", "", "购置日期", "gzrq"),
), personal=False)  # fmt: skip

SYS_PARAM = TableSpec("sys_param", "系统参数", "xtcs", "SysParam", (
    Col("param_key", "str:40", "", "参数名", "csm"),
    Col("param_value", "str:200", "", "参数值", "csz"),
    Col("updated_at", "datetime", TIMESTAMP, "更新时间", "gxsj"),
), personal=False)  # fmt: skip

# The column that identifies a row, where one does (prescriptions and lab results are keyed by
# two columns in the source systems and get no declared key here).
PRIMARY_KEYS = {
    "patient": "patient_id", "visit": "visit_id", "diagnosis": "diag_id",
    "medical_order": "order_no", "operation_record": "op_id", "department": "dept_id",
    "staff": "staff_no", "drug_catalog": "drug_code", "equipment": "asset_no",
    "sys_param": "param_key",
}  # fmt: skip

# Secondary indexes a careful vendor puts on the live tables (R14 times statements by indexes).
INDEXES: dict[str, tuple[str, ...]] = {
    "visit": ("patient_id", "visit_time"), "diagnosis": ("visit_id",),
    "prescription": ("visit_id", "patient_id"), "medical_order": ("visit_id",),
    "lab_result": ("visit_id",), "operation_record": ("visit_id",), "patient": ("id_no",),
}  # fmt: skip

TABLES: tuple[TableSpec, ...] = (
    PATIENT, VISIT, DIAGNOSIS, PRESCRIPTION, MEDICAL_ORDER, LAB_RESULT, OPERATION,
    DEPARTMENT, STAFF, DRUG_CATALOG, EQUIPMENT, SYS_PARAM,
)  # fmt: skip

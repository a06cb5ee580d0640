"""The demo ledger's content: categories with their bureaus, the problems the article names,
reply templates and resolutions, and the showcase stories (see ``issues.demo``)."""

from issues.models import Rating

# (code, name, default bureau code, grid / bureau / task-force days): the article's common difficulties.
CATEGORIES = (
    ("orders", "订单与市场开拓", "commerce", 3, 10, 20),
    ("financing", "融资贷款", "finance-office", 3, 10, 20),
    ("labour", "用工招工", "hr", 3, 10, 20),
    ("land", "用地与厂房", "planning", 3, 15, 30),
    ("policy", "政策兑现", "econ", 3, 10, 20),
    ("funds", "扶持资金申报", "finance", 3, 10, 20),
    ("tax", "税费政策", "tax", 3, 10, 20),
    ("permits", "项目审批与环评", "ecology", 3, 15, 30),
    ("utilities", "水电气保障", "municipal", 2, 7, 15),
    # A flooded road or a blocked drain at the gate stops the lorries: the municipal bureau, quickly.
    ("municipal", "市政道路与排水", "municipal", 2, 7, 15),
    ("safety", "安全生产", "safety", 2, 7, 15),
    ("fire", "消防验收", "fire", 3, 10, 20),
    ("technology", "技术改造与智能化", "science", 3, 10, 20),
    ("schooling", "高管子女入学", "education", 3, 10, 20),
)

# (category code, title, description), several per category.
PROBLEMS = {
    "orders": [
        (
            "订单同比下降，希望对接区内整车企业",
            "今年以来主机厂订单同比下降约三成，产能利用率不足六成，希望通过区内配套平台对接整车企业采购。",
        ),
        ("外贸订单受阻，需拓展国内市场", "海外客户取消部分订单，库存积压，希望参加区内产销对接会。"),
        ("新产品缺少首批用户", "自主研发的新型零部件已通过检测，缺少首批应用场景，希望推荐区内企业试用。"),
    ],
    "financing": [
        ("流动资金紧张，申请银企对接", "原材料涨价占用资金，银行授信即将到期，希望参加银企对接会并协调续贷。"),
        ("贷款到期需续贷", "一笔 800 万元流动资金贷款下月到期，企业经营正常，希望协调无还本续贷。"),
        ("申请央行专项再贷款", "企业符合再贷款支持条件，希望了解申报流程并协调合作银行。"),
    ],
    "labour": [
        ("一线操作工缺口较大", "新增生产线投产，缺少一线操作工约 60 人，希望通过人力资源平台调剂。"),
        ("技术工人招聘难", "数控、焊接等技术工种招聘困难，希望对接职业院校定向培养。"),
        ("阶段性富余员工需转岗", "订单下降导致约 40 名员工阶段性富余，希望协调区内用工企业共享用工。"),
    ],
    "land": [
        ("扩产需要新增厂房", "企业计划扩产，现有厂房不足，希望对接区内闲置厂房租赁。"),
        ("闲置土地希望定制化建设厂房", "企业有闲置土地约 20 亩，希望按需建设标准厂房并办理相关手续。"),
    ],
    "policy": [
        ("稳岗补贴尚未兑现", "去年申报的稳岗补贴至今未到账，希望协调兑现进度。"),
        ("不清楚可享受哪些扶持政策", "企业新转型智能制造，希望网格员上门解读适用政策并指导申报。"),
    ],
    "funds": [
        ("信息化项目补助申报", "企业实施了 MES 系统建设，希望申报信息化专项补助资金。"),
        ("中央专项资金申报材料指导", "企业拟申报中央专项资金，材料准备有困难，希望科室辅导。"),
    ],
    "tax": [
        ("西部大开发鼓励类产业确认", "企业主营业务属于鼓励类产业目录，希望办理确认以享受企业所得税优惠。"),
        ("留抵退税办理进度", "增值税留抵退税申请已提交一个月，希望了解办理进度。"),
    ],
    "permits": [
        ("技改项目环评审批", "企业技改项目需办理环评手续，希望了解审批流程和时限。"),
        ("排污许可证变更", "生产线调整后需变更排污许可证，希望协助办理。"),
    ],
    "utilities": [
        ("用电增容需求", "新增设备后变压器容量不足，需增容 800 千伏安，希望协调供电部门。"),
        ("天然气供应压力不足", "冬季用气高峰期供气压力不足，影响热处理工序。"),
    ],
    "municipal": [
        ("厂区道路积水影响运输", "雨季厂区门前道路积水严重，货车进出困难，希望市政部门整治。"),
        ("雨水管网排水不畅", "园区支路雨水井堵塞，暴雨时厂区门口积水倒灌仓库，希望疏通排水管网。"),
        ("门前道路破损需修补", "厂区门前道路路面破损、坑洼较多，重载货车通行存在安全隐患，希望尽快修补。"),
        ("路灯损坏夜间通行不便", "厂区周边路段多盏路灯不亮，夜班员工上下班通行不便，希望维修。"),
    ],
    "safety": [
        ("安全生产标准化达标辅导", "企业计划申报安全生产标准化三级达标，希望应急管理部门辅导。"),
        ("危化品仓库整改指导", "检查中发现危化品仓库存在隐患，希望指导整改方案。"),
    ],
    "fire": [
        ("新建厂房消防验收", "新建厂房已完工，希望尽快安排消防验收以便投产。"),
    ],
    "technology": [
        ("智能化改造项目申报", "企业计划对焊装线进行智能化改造，希望申报智能制造项目支持。"),
        ("工业互联网上云", "希望了解工业互联网平台上云上平台的补贴政策和服务商。"),
    ],
    "schooling": [
        ("引进高管子女入学", "新引进的技术副总子女需就近入读小学二年级，希望协调学位。"),
        ("外籍专家子女入学咨询", "外籍专家子女需入读初中，希望了解入学政策。"),
    ],
}

TEMPLATES = {
    "orders": ("已对接区内采购", "已将贵企业产品信息推送至区内配套平台，并对接了 {n} 家区内采购企业，请保持联系。"),
    "financing": ("已组织银企对接", "已将贵企业融资需求推送至合作银行，银行客户经理将于近日上门对接。"),
    "labour": ("已发布用工需求", "已通过人力资源平台发布用工需求，并联系职业院校推荐人员。"),
    "schooling": ("学位已协调", "已与教育部门协调落实学位，请按通知携带材料办理入学手续。"),
    "municipal": ("已转市政部门现场查看", "您反映的道路和排水问题已转市政管理局，工作人员将于近日到现场查看处置。"),
}
GENERAL_TEMPLATES = (
    ("已受理，正在办理", "您反映的问题已受理，我们将在办结时限内办理并及时反馈。"),
    ("需补充材料", "为加快办理，请补充以下材料：……"),
)

# Resolutions the handlers write, by category.
RESOLUTIONS = {
    "orders": "组织参加区内产销对接会，达成采购意向，企业已接到首批订单。",
    "financing": "协调合作银行完成授信审批，贷款已发放到位。",
    "labour": "通过人力资源平台调剂用工，已到岗。",
    "land": "对接区内闲置厂房，双方已签订租赁协议。",
    "policy": "协调相关部门完成审核，补贴资金已拨付。",
    "funds": "指导完成申报材料，项目已通过评审。",
    "tax": "完成鼓励类产业确认，企业已享受税收优惠。",
    "permits": "开辟绿色通道，审批手续已办结。",
    "utilities": "协调相关单位完成整改，已恢复正常。",
    "municipal": "市政部门已完成道路修补和排水管网疏通，现场已恢复通行。",
    "safety": "安排专家上门指导，隐患已整改完毕。",
    "fire": "已完成消防验收，出具合格意见。",
    "technology": "指导项目申报，已列入年度智能化改造项目。",
    "schooling": "协调教育部门落实学位，已入学。",
}

CATEGORY_WEIGHTS = {
    "orders": 16,
    "financing": 18,
    "labour": 14,
    "land": 8,
    "policy": 9,
    "funds": 7,
    "tax": 6,
    "permits": 5,
    "utilities": 5,
    "municipal": 4,
    "safety": 5,
    "fire": 3,
    "technology": 6,
    "schooling": 6,
}


# Stories told the same way every time, so that the demo always shows every state and level:
# (working days ago, which enterprise — "first" is enterprise-001's, "dup" shares one —, the script).
SHOWCASE = (
    (0, "first", {"stop": "accept"}),  # submitted, the response clock running
    (3, "any", {"stop": "start"}),  # accepted by the grid
    (12, "dup", {"path": "grid", "stop": "resolve"}),  # in progress at the grid and overdue
    (2, "dup", {"stop": "accept", "merge": True}),  # a second report of the same problem: merged
    (6, "any", {"path": "bureau", "stop": "bureau_start"}),  # escalated, waiting for the bureau to sign
    (22, "any", {"path": "bureau", "extend": False, "stop": "resolve"}),  # in progress at a bureau, overdue
    (10, "any", {"path": "task_force", "stop": "resolve"}),  # with the joint task force
    (9, "first", {"path": "grid", "stop": "feedback", "late": False}),  # resolved: enterprise-001 gives feedback
    (4, "any", {"reject": True}),  # not accepted
    (
        20,
        "first",
        {"path": "grid", "late": False, "rating": Rating.DISSATISFIED, "stop": "reopened"},
    ),  # 不满意: reopened
    (25, "any", {"path": "bureau", "extend": True, "late": False}),  # extended, then closed
)

"""The demo library: fictional policies at every level, their clauses, criteria and test cases.

Clause names are stable: the funding demo finds its clauses by (policy title, clause number):

* 企业信息化专项资金 #1 (市级, municipal 100 %) — informatization funds;
* 经开区工业企业发展扶持资金 #1 and #2 (district 40 % / zone 60 %, district 50 % / zone 50 %) —
  district/zone support funds;
* 南岸区民营经济发展扶持办法 #1 (区级, district 100 %) — district support funds;
* 制造业高质量发展中央财政专项资金 #1 (中央, central 100 %) — central special funds.
"""

from decimal import Decimal

MANUFACTURING = ["automotive", "electronics", "equipment", "materials", "biomedicine", "metalwork"]

INFORMATIZATION = "企业信息化专项资金"
ZONE_SUPPORT = "经开区工业企业发展扶持资金"
DISTRICT_SUPPORT = "南岸区民营经济发展扶持办法"
CENTRAL_SPECIAL = "制造业高质量发展中央财政专项资金"

POLICIES = [
    {
        "title": INFORMATIZATION,
        "level": "municipal",
        "issuing_body": "市经济和信息化委员会",
        "document_number": "市经信发〔2026〕18号",
        "key_points": "支持工业企业实施信息化改造、工业互联网上云用云和智能工厂建设，按项目实际投资给予补助。",
        "applies_to": "在本市依法登记注册、具有独立法人资格的规模以上工业企业。",
        "how_to_apply": "企业在线填报申报书 → 网格员初审 → 经发局审核 → 市经信委评审公示 → 资金拨付。",
        "contact": "经发局产业科 023-6000 1001",
        "target_industries": MANUFACTURING,
        "state": "published",
        "clauses": [
            {
                "number": 1,
                "title": "信息化改造项目补助",
                "article": "第三条",
                "mode": "apply",
                "amount_rule": "按项目信息化投资额的 20% 给予补助。",
                "max_amount": Decimal("200"),
                "shares": {"municipal": 100},
                "criteria": [
                    {"fact": "industry", "operator": "in", "value": MANUFACTURING, "article": "第二条"},
                    {"fact": "above_scale", "operator": "eq", "value": True, "article": "第二条"},
                    {
                        "fact": "informatization_investment",
                        "operator": "gte",
                        "value": 100,
                        "article": "第三条第（一）项",
                    },
                    {
                        "fact": "rd_spend",
                        "operator": "gte",
                        "value": 50,
                        "is_hard": False,
                        "article": "第三条第（二）项",
                    },
                ],
                "cases": [
                    {
                        "name": "规上装备企业投资 300 万元",
                        "facts": {"industry": "equipment", "above_scale": True, "informatization_investment": 300},
                        "expected": "eligible",
                    },
                    {
                        "name": "投资额未采集",
                        "facts": {"industry": "equipment", "above_scale": True},
                        "expected": "unknown",
                    },
                    {
                        "name": "食品企业不在支持行业",
                        "facts": {"industry": "food", "above_scale": True, "informatization_investment": 300},
                        "expected": "ineligible",
                    },
                    {
                        "name": "规下企业",
                        "facts": {"industry": "electronics", "above_scale": False},
                        "expected": "ineligible",
                    },
                ],
            },
            {
                "number": 2,
                "title": "工业互联网上云补贴",
                "article": "第四条",
                "mode": "fast",
                "amount_rule": "按上云服务费的 30% 给予补贴。",
                "max_amount": Decimal("50"),
                "shares": {"municipal": 100},
                "criteria": [
                    {"fact": "informatization_investment", "operator": "gte", "value": 20, "article": "第四条"},
                    {"fact": "ownership", "operator": "eq", "value": "private", "is_hard": False, "article": "第四条"},
                ],
                "cases": [
                    {"name": "上云投入 30 万元", "facts": {"informatization_investment": 30}, "expected": "eligible"},
                    {"name": "上云投入 5 万元", "facts": {"informatization_investment": 5}, "expected": "ineligible"},
                    {"name": "未采集", "facts": {}, "expected": "unknown"},
                ],
            },
        ],
    },
    {
        "title": ZONE_SUPPORT,
        "level": "zone",
        "issuing_body": "经开区管委会",
        "document_number": "经开管发〔2026〕7号",
        "key_points": "对技术改造、稳岗纾困的工业企业给予区、园区两级扶持资金。",
        "applies_to": "经开区内注册并实际经营的工业企业。",
        "how_to_apply": "网格员上门指导 → 企业提交材料 → 经发局审核 → 管委会审定 → 拨付。",
        "contact": "经发局企业服务科 023-6000 1002",
        "target_industries": [],
        "state": "published",
        "clauses": [
            {
                "number": 1,
                "title": "技术改造扶持",
                "article": "第五条",
                "mode": "apply",
                "amount_rule": "按设备投资额的 10% 给予扶持。",
                "max_amount": Decimal("100"),
                "shares": {"district": 40, "zone": 60},
                "criteria": [
                    {"fact": "employees", "operator": "gte", "value": 20, "article": "第五条第（一）项"},
                    {
                        "fact": "tier",
                        "operator": "in",
                        "value": ["leading", "backbone", "growth"],
                        "article": "第五条第（二）项",
                    },
                    {"fact": "output_value", "operator": "gte", "value": 100, "is_hard": False, "article": "第五条"},
                ],
                "cases": [
                    {
                        "name": "骨干企业 120 人",
                        "facts": {"employees": 120, "tier": "backbone"},
                        "expected": "eligible",
                    },
                    {"name": "困难企业", "facts": {"employees": 120, "tier": "struggling"}, "expected": "ineligible"},
                    {"name": "人数未知", "facts": {"tier": "growth"}, "expected": "unknown"},
                ],
            },
            {
                "number": 2,
                "title": "困难企业稳岗纾困",
                "article": "第六条",
                "mode": "exempt",
                "amount_rule": "按在岗职工每人 1000 元给予一次性纾困补助。",
                "max_amount": Decimal("30"),
                "shares": {"district": 50, "zone": 50},
                "criteria": [
                    {"fact": "tier", "operator": "eq", "value": "struggling", "article": "第六条"},
                    {"fact": "employees", "operator": "gte", "value": 10, "article": "第六条"},
                ],
                "cases": [
                    {
                        "name": "困难企业 60 人",
                        "facts": {"tier": "struggling", "employees": 60},
                        "expected": "eligible",
                    },
                    {"name": "龙头企业", "facts": {"tier": "leading", "employees": 600}, "expected": "ineligible"},
                ],
            },
        ],
    },
    {
        "title": DISTRICT_SUPPORT,
        "level": "district",
        "issuing_body": "南岸区人民政府",
        "document_number": "南岸府发〔2026〕3号",
        "key_points": "民营企业贷款贴息、首次升规奖励，支持民营经济发展。",
        "applies_to": "南岸区（含经开区）民营工业企业。",
        "how_to_apply": "企业提出申请 → 区经信委、区财政局联审 → 公示 → 拨付。",
        "contact": "区经信委 023-6000 2001",
        "target_industries": [],
        "state": "published",
        "clauses": [
            {
                "number": 1,
                "title": "民营企业贷款贴息",
                "article": "第二条",
                "mode": "fast",
                "amount_rule": "按贷款基准利率的 50% 贴息，期限一年。",
                "max_amount": Decimal("50"),
                "shares": {"district": 100},
                "criteria": [
                    {"fact": "ownership", "operator": "eq", "value": "private", "article": "第二条"},
                    {"fact": "above_scale", "operator": "eq", "value": True, "is_hard": False, "article": "第二条"},
                ],
                "cases": [
                    {"name": "民营企业", "facts": {"ownership": "private"}, "expected": "eligible"},
                    {"name": "国有企业", "facts": {"ownership": "state"}, "expected": "ineligible"},
                ],
            },
        ],
    },
    {
        "title": CENTRAL_SPECIAL,
        "level": "central",
        "issuing_body": "工业和信息化部、财政部",
        "document_number": "工信部联规〔2026〕21号",
        "key_points": "支持产业基础再造、制造业高质量发展重点项目，中央财政专项资金补助。",
        "applies_to": "通过高新技术企业认定、上年营业收入 5000 万元以上的制造业企业。",
        "how_to_apply": "企业申报 → 区县推荐 → 市级审核 → 部委评审 → 下达资金。",
        "contact": "经发局项目科 023-6000 1003",
        "target_industries": MANUFACTURING,
        "state": "published",
        "clauses": [
            {
                "number": 1,
                "title": "制造业高质量发展项目补助",
                "article": "第四条",
                "mode": "apply",
                "amount_rule": "按项目总投资的 15% 给予补助。",
                "max_amount": Decimal("1000"),
                "shares": {"central": 100},
                "criteria": [
                    {"fact": "high_tech_certified", "operator": "eq", "value": True, "article": "第三条第（一）项"},
                    {"fact": "last_year_revenue", "operator": "gte", "value": 5000, "article": "第三条第（二）项"},
                    {"fact": "rd_spend", "operator": "gte", "value": 300, "is_hard": False, "article": "第三条"},
                ],
                "cases": [
                    {
                        "name": "高企营收 8000 万元",
                        "facts": {"high_tech_certified": True, "last_year_revenue": 8000},
                        "expected": "eligible",
                    },
                    {"name": "非高企", "facts": {"high_tech_certified": False}, "expected": "ineligible"},
                    {"name": "营收未采集", "facts": {"high_tech_certified": True}, "expected": "unknown"},
                ],
            },
        ],
    },
    {
        "title": "西部大开发鼓励类产业企业所得税优惠",
        "level": "central",
        "issuing_body": "财政部、税务总局、国家发展改革委",
        "document_number": "财政部公告2026年第9号",
        "key_points": "设在西部地区的鼓励类产业企业减按 15% 的税率征收企业所得税。",
        "applies_to": "主营业务属于《西部地区鼓励类产业目录》且占收入总额 60% 以上的企业。",
        "how_to_apply": "企业自行判别、申报享受，留存备查资料；税务局协助确认。",
        "contact": "区税务局 12366",
        "target_industries": [],
        "state": "published",
        "clauses": [
            {
                "number": 1,
                "title": "减按15%税率征收企业所得税",
                "article": "第一条",
                "mode": "exempt",
                "amount_rule": "减按 15% 税率征收（不涉及财政资金拨付）。",
                "max_amount": None,
                "shares": {"central": 100},
                "criteria": [{"fact": "above_scale", "operator": "eq", "value": True, "is_hard": False}],
                "cases": [{"name": "任何企业可自行判别", "facts": {}, "expected": "eligible"}],
            },
        ],
    },
    {
        "title": "经开区企业高管子女入学服务办法",
        "level": "zone",
        "issuing_body": "经开区管委会",
        "document_number": "经开管办〔2026〕15号",
        "key_points": "为龙头、骨干企业高管人才子女就近入学提供协调服务。",
        "applies_to": "经开区龙头企业、骨干企业的高级管理和技术人员。",
        "how_to_apply": "企业向网格员提出 → 社会事务局协调学位。",
        "contact": "社会事务局 023-6000 3001",
        "target_industries": [],
        "state": "published",
        "clauses": [
            {
                "number": 1,
                "title": "高管子女入学协调",
                "article": "第三条",
                "mode": "apply",
                "amount_rule": "协调学位（不涉及资金）。",
                "max_amount": None,
                "shares": {"zone": 100},
                "criteria": [{"fact": "tier", "operator": "in", "value": ["leading", "backbone"], "article": "第二条"}],
                "cases": [
                    {"name": "龙头企业", "facts": {"tier": "leading"}, "expected": "eligible"},
                    {"name": "成长型企业", "facts": {"tier": "growth"}, "expected": "ineligible"},
                ],
            },
        ],
    },
    {
        "title": "经开区数字化转型扶持办法（征求意见稿）",
        "level": "zone",
        "issuing_body": "经开区管委会",
        "document_number": "",
        "key_points": "对数字化车间、智能工厂建设给予扶持（征求意见中）。",
        "applies_to": "经开区工业企业。",
        "how_to_apply": "待正式发布。",
        "contact": "",
        "target_industries": [],
        "state": "draft",
        "clauses": [
            {
                "number": 1,
                "title": "数字化车间奖励",
                "article": "第四条",
                "mode": "apply",
                "amount_rule": "每个数字化车间奖励 50 万元。",
                "max_amount": Decimal("50"),
                "shares": {"zone": 100},
                "criteria": [{"fact": "above_scale", "operator": "eq", "value": True}],
                "cases": [{"name": "规上企业", "facts": {"above_scale": True}, "expected": "eligible"}],
            },
        ],
    },
    {
        "title": "2025年度稳岗返还政策",
        "level": "district",
        "issuing_body": "南岸区人力社保局",
        "document_number": "南岸人社发〔2025〕4号",
        "key_points": "上年度未裁员或裁员率低于规定的企业，返还失业保险费。",
        "applies_to": "依法参加失业保险的企业。",
        "how_to_apply": "免申即享，系统比对后直接返还。",
        "contact": "区人力社保局 023-6000 4001",
        "target_industries": [],
        "state": "expired",
        "clauses": [
            {
                "number": 1,
                "title": "失业保险费返还",
                "article": "第二条",
                "mode": "exempt",
                "amount_rule": "返还上年度实际缴纳失业保险费的 60%。",
                "max_amount": None,
                "shares": {"district": 100},
                "criteria": [{"fact": "employees", "operator": "gte", "value": 1}],
                "cases": [{"name": "有职工的企业", "facts": {"employees": 30}, "expected": "eligible"}],
            },
        ],
    },
]

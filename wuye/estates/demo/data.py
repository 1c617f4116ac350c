"""The demo estates: three properties in Hangzhou managed by the demo company."""

import datetime as dt

from wuye.estates.choices import BuildingKind, CommitteeStatus, CustomerKind, EstateKind, EstateStatus, IdType

D = dt.date
HIGH, MID, SHOP = BuildingKind.HIGH_RISE, BuildingKind.MID_RISE, BuildingKind.COMMERCIAL


def _term(number, start, end, filing, status=CommitteeStatus.ACTIVE, size=5, notes=""):
    """An owners' committee term (established on its first day) and how many members to seat."""
    return {"term_number": number, "established_on": start, "term_start": start, "term_end": end,
            "filing_number": filing, "status": status, "size": size, "notes": notes}


ESTATES = [
    {
        "code": "yqya", "name": "云栖雅苑", "kind": EstateKind.NEW_BUILD, "status": EstateStatus.MANAGED,
        "province": "浙江省", "city": "杭州市", "district": "西湖区", "address": "杭州市西湖区转塘街道云栖路88号",
        "floor_area": "186500.00", "site_area": "61200.00", "service_phone": "0571-87651001",
        "managed_since": D(2025, 5, 1),
        "notes": "新建商品住宅小区，2025年6月集中交付；前期物业服务合同与开发公司签订。",
        # number, name, kind, floors, entrances, units per floor and entrance, year completed
        "buildings": [("1", "1号楼", HIGH, 18, 2, 2, 2025), ("2", "2号楼", HIGH, 18, 2, 2, 2025),
                      ("3", "3号楼", HIGH, 18, 2, 2, 2025)],
        "delivered": D(2025, 6, 28), "areas": ("98.60", "128.75"),
        "committees": [_term(1, D(2026, 9, 20), D(2031, 9, 19), "西转街备〔2026〕12号",
                             notes="首届业主委员会；待与其续签物业服务合同。")],
    },
    {
        "code": "jghy", "name": "金桂花园", "kind": EstateKind.EXISTING, "status": EstateStatus.MANAGED,
        "province": "浙江省", "city": "杭州市", "district": "拱墅区", "address": "杭州市拱墅区湖墅南路306号",
        "floor_area": "58600.00", "site_area": "23400.00", "service_phone": "0571-87651002",
        "managed_since": D(2019, 3, 1), "notes": "2006年建成的老小区，2019年经业主大会选聘接管。",
        "buildings": [("1", "1号楼", MID, 6, 2, 2, 2006), ("2", "2号楼", MID, 6, 2, 2, 2006),
                      ("3", "3号楼", MID, 6, 2, 2, 2006), ("4", "4号楼", MID, 6, 2, 2, 2006),
                      ("S", "沿街商铺", SHOP, 1, 0, 6, 2006)],
        "delivered": D(2006, 10, 15), "areas": ("76.40", "92.15"),
        "committees": [_term(2, D(2017, 6, 18), D(2022, 6, 17), "拱湖街备〔2017〕5号", CommitteeStatus.ENDED),
                       _term(3, D(2022, 6, 18), D(2027, 6, 17), "拱湖街备〔2022〕9号", size=7)],
    },
    {
        "code": "qtmzy", "name": "钱塘明珠苑", "kind": EstateKind.EXISTING, "status": EstateStatus.MANAGED,
        "province": "浙江省", "city": "杭州市", "district": "滨江区", "address": "杭州市滨江区江南大道1588号",
        "floor_area": "96800.00", "site_area": "30500.00", "service_phone": "0571-87651003",
        "managed_since": D(2021, 7, 1), "notes": "2012年建成；2021年7月与业主委员会签订物业服务合同后接管。",
        "buildings": [("1", "1号楼", HIGH, 15, 2, 2, 2012), ("2", "2号楼", HIGH, 15, 2, 2, 2012)],
        "delivered": D(2012, 12, 20), "areas": ("105.20", "139.80"),
        "committees": [_term(1, D(2021, 3, 25), D(2026, 12, 24), "滨西兴街备〔2021〕3号",
                             notes="任期将满，换届筹备中。")],
    },
]

DEVELOPER = {
    "mobile": "13900000571", "kind": CustomerKind.DEVELOPER, "name": "杭州云栖置业有限公司",
    "id_type": IdType.BUSINESS, "id_number": "91330106241960205M", "phone": "0571-87659999",
    "emergency_contact": "周建国（项目经理）", "notes": "云栖雅苑开发建设单位；未售房屋的业主。",
}

RESIDENT_UNIT = "3-2-1201"  # the resident login owns this flat of the new-build estate

STAFF_ESTATES = {
    # employee number -> the estates they serve (see org.demo)
    "KF001": ["yqya", "jghy", "qtmzy"],
    "KF002": ["yqya", "jghy", "qtmzy"],
    "KF003": ["yqya", "jghy"],
    "KF004": ["qtmzy"],
    "KF005": ["yqya"],
    "KF006": ["jghy"],
}

NOTES = [
    "老人独居，停水停电请提前电话告知。",
    "对噪音较敏感，曾反映楼上装修噪音。",
    "常年在外地工作，联系请先发短信。",
    "家有婴儿，上门服务请提前预约。",
    "愿意参与业主志愿服务活动。",
    "车位：地下二层B-126。",
]

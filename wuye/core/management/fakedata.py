"""Deterministic, valid fake personal data for demos and benchmarks (no domain models here).

Every function takes a ``random.Random`` so a fixed seed gives the same data on every run:

- ``person(rng)``: a Chinese name with a sex, drawn from common surnames and given-name characters.
- ``mobile(rng)``: an 11-digit mobile number on a real operator prefix (passes ``validate_mobile``);
  ``demo_mobile(rng, used)`` gives the demo's recognisable ``1xx0000xxxx`` pattern, unique within ``used``.
- ``resident_id(rng, sex=..., birth=...)``: an 18-digit resident ID number with a real area code, a plausible
  birth date, a sequence number whose parity matches the sex, and the GB 11643 check digit.
- ``credit_code(rng)``: a unified social credit code (GB 32100) with both of its check characters.
"""

from __future__ import annotations

import datetime as dt
import random

from wuye.core.personal import id_check_digit

# The most common surnames, most frequent first (repeated entries weight the draw).
SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋"
    "蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官")
MALE_CHARS = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"  # noqa: E501
FEMALE_CHARS = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵罡恒鸿桦骅剑娇纪宽苛灵玛媚琪晴容睿烁堂唯威韦雯苇萱阅彦宇雨洋忠宗曼紫逸贤蝶菡绿蓝儿翠烟"  # noqa: E501

# Area codes of the first six ID digits: mostly Hangzhou and Zhejiang, some from other provinces.
AREA_CODES = (
    "330102", "330105", "330106", "330108", "330109", "330110", "330111", "330122", "330127", "330182",
    "330102", "330106", "330108", "330302", "330402", "330483", "330602", "330681", "330782", "331002",
    "110105", "310104", "320102", "320583", "340104", "350203", "360102", "370102", "410105", "420106",
    "430104", "440106", "500103", "510107", "610113", "340121", "342401", "362330", "412726", "522121",
)
# Real operator prefixes (China Mobile, Unicom, Telecom and virtual operators).
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
    "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184",
    "185", "186", "187", "188", "189", "191", "198", "199",
)


def person(rng: random.Random) -> tuple[str, str]:
    """``(name, sex)`` with sex ``"M"`` or ``"F"``; given names have one or (mostly) two characters."""
    sex = "M" if rng.random() < 0.5 else "F"
    chars = MALE_CHARS if sex == "M" else FEMALE_CHARS
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.01 else rng.choice(SURNAMES)
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.8 else "")
    return surname + given, sex


def mobile(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"


def demo_mobile(rng: random.Random, used: set[str]) -> str:
    """``1xx0000xxxx``: valid, and recognisably not a real subscriber; unique within ``used``."""
    while True:
        value = f"{rng.choice(MOBILE_PREFIXES)}0000{rng.randrange(10**4):04d}"
        if value not in used:
            used.add(value)
            return value


def birth_date(rng: random.Random, *, oldest: int = 1945, youngest: int = 2004) -> dt.date:
    start = dt.date(oldest, 1, 1).toordinal()
    end = dt.date(youngest, 12, 31).toordinal()
    return dt.date.fromordinal(rng.randint(start, end))


def resident_id(rng: random.Random, *, sex: str = "M", birth: dt.date | None = None, area: str | None = None) -> str:
    """An ID number that passes ``validate_resident_id``; the 17th digit is odd for men, even for women."""
    birth = birth or birth_date(rng)
    area = area or rng.choice(AREA_CODES)
    seq = rng.randrange(100) * 10 + rng.choice((1, 3, 5, 7, 9) if sex == "M" else (0, 2, 4, 6, 8))
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_code(rng: random.Random, *, area: str = "330106") -> str:
    """A unified social credit code of a company (登记管理部门 9, 类别 1) with valid check characters."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    org_check = 11 - sum(int(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    org_code = body + {10: "X", 11: "0"}.get(org_check, str(org_check))
    first17 = f"91{area}{org_code}"
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return first17 + _USCC_CHARS[(31 - total % 31) % 31]

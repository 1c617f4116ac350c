"""The appraisal reports (``selectors.reports``) against numbers computed by hand.

The form version of ``factories_reports``: section A (3 items, weight 1) and B (2 items, weight 2); the weighted
total is (A + 2·B) / 3, each average rounded to 2 places half up. The cycle (seen by the manager):

=====  ===============  =========  ====  ====  =====  ====
who    state            A scores   A     B     total  grade
=====  ===============  =========  ====  ====  =====  ====
孙一    final            5 5 4      4.67  4.50  4.56   优秀
钱二    acknowledgement  3 3 3      3.00  4.00  3.67   良好
赵三    final            4 4 4      4.00  3.50  3.67   良好
李四    scoring          —          —     —     —      —
周五    superseded       2 2 2      2.00  2.00  2.00   待改进  (gives way to its revision: left out)
吴六    final (工程部)    2 2 2      2.00  2.00  2.00   待改进  (another department, its own appraiser)
郑七    final (客服一组)  5 5 5      5.00  5.00  5.00   优秀    (a group under the manager's department)
=====  ===============  =========  ====  ====  =====  ====
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from wuye.appraisals.choices import AppraisalState
from wuye.appraisals.selectors import reports
from wuye.appraisals.tests.factories_reports import (
    Q1,
    Q2,
    Q3,
    department,
    make_appraisal,
    make_cycle,
    make_version,
    staff,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def cycle_world(world):
    version = make_version()
    cycle = make_cycle(version)
    engineering = department(world, "工程部")
    group = department(world, "客服一组", parent=world.department)
    people = {name: staff(world, name) for name in ("孙一", "钱二", "赵三", "李四", "周五")}
    people["吴六"] = staff(world, "吴六", engineering)
    people["郑七"] = staff(world, "郑七", group)
    spec = {
        "孙一": (AppraisalState.FINAL, [[5, 5, 4], [5, 4]]),
        "钱二": (AppraisalState.ACKNOWLEDGEMENT, [[3, 3, 3], [4, 4]]),
        "赵三": (AppraisalState.FINAL, [[4, 4, 4], [3, 4]]),
        "李四": (AppraisalState.SCORING, None),
        "周五": (AppraisalState.SUPERSEDED, [[2, 2, 2], [2, 2]]),
        "吴六": (AppraisalState.FINAL, [[2, 2, 2], [2, 2]]),
        "郑七": (AppraisalState.FINAL, [[5, 5, 5], [5, 5]]),
    }
    head = staff(world, "工程部经理", engineering, post="经理")
    appraisals = {name: make_appraisal(world, version=version, cycle=cycle, appraisee=people[name], state=state,
                                       scores=scores, appraiser=head if name == "吴六" else None)
                  for name, (state, scores) in spec.items()}
    return {"version": version, "cycle": cycle, "people": people, "appraisals": appraisals,
            "engineering": engineering, "group": group}


def test_totals_as_submitting_stores_them(cycle_world):
    a = cycle_world["appraisals"]
    assert (a["孙一"].total, a["孙一"].grade) == (D("4.56"), "优秀")
    assert (a["钱二"].total, a["赵三"].total) == (D("3.67"), D("3.67"))
    assert a["李四"].total is None


def test_ranking_shares_ranks_and_leaves_out_what_has_no_result(world, cycle_world):
    ranking = reports.cycle_ranking(user=world.users["cs_manager"], cycle=cycle_world["cycle"])
    assert [(r.appraisee.name, r.total, r.rank) for r in ranking] == [
        ("郑七", D("5.00"), 1), ("孙一", D("4.56"), 2), ("赵三", D("3.67"), 3), ("钱二", D("3.67"), 3)] or \
        [(r.appraisee.name, r.total, r.rank) for r in ranking] == [
        ("郑七", D("5.00"), 1), ("孙一", D("4.56"), 2), ("钱二", D("3.67"), 3), ("赵三", D("3.67"), 3)]
    names = {r.appraisee.name for r in ranking}
    assert "吴六" not in names and "李四" not in names and "周五" not in names


def test_grade_distribution_in_band_order(world, cycle_world):
    grades = reports.grade_distribution(user=world.users["cs_manager"], cycle=cycle_world["cycle"])
    assert [(g["grade"], g["count"]) for g in grades] == [("优秀", 2), ("良好", 2), ("合格", 0), ("待改进", 0),
                                                          ("不合格", 0)]
    assert grades[0]["percent"] == 50.0


def test_section_averages_by_title(world, cycle_world):
    sections = reports.section_averages(reports.results_of(world.users["cs_manager"], cycle=cycle_world["cycle"]))
    # A: (14 + 9 + 12 + 15) / 12 = 4.1667; B: (9 + 8 + 7 + 10) / 8 = 4.25
    assert [(s["title"], s["average"], s["appraisals"]) for s in sections] == [
        ("受命准备", D("4.17"), 4), ("业务活动", D("4.25"), 4)]


def test_completion(world, cycle_world):
    c = reports.cycle_completion(user=world.users["cs_manager"], cycle=cycle_world["cycle"])
    # 孙一, 钱二, 赵三, 李四, 郑七 (周五 superseded, 吴六 not the manager's)
    assert c["total"] == 5 and c["final"] == 3 and c["with_result"] == 4
    assert c["final_percent"] == 60.0 and c["result_percent"] == 80.0
    states = {s["state"]: s["count"] for s in c["states"]}
    assert states[AppraisalState.SCORING] == 1 and AppraisalState.SUPERSEDED not in states


def test_cycle_results_figures(world, cycle_world):
    results = reports.cycle_results(user=world.users["cs_manager"], cycle=cycle_world["cycle"])
    # (5.00 + 4.56 + 3.67 + 3.67) / 4 = 4.225 -> 4.23 (half up)
    assert results["average"] == D("4.23")
    assert (results["lowest"], results["highest"]) == (D("3.67"), D("5.00"))
    assert results["chart"]["grades"]["counts"] == [2, 2, 0, 0, 0]
    assert results["chart"]["sections"]["averages"] == [4.17, 4.25]


def test_department_comparison(world, cycle_world):
    rows = reports.department_comparison(user=world.users["cs_manager"], cycle=cycle_world["cycle"])
    assert [(r["department"], r["count"], r["average"], r["lowest"], r["highest"]) for r in rows] == [
        ("客服一组", 1, D("5.00"), D("5.00"), D("5.00")),
        # (4.56 + 3.67 + 3.67) / 3 = 3.9667
        ("客户服务部", 3, D("3.97"), D("3.67"), D("4.56")),
    ]
    sections = reports.department_section_averages(user=world.users["cs_manager"], cycle=cycle_world["cycle"])
    # 客户服务部 A: (14 + 9 + 12) / 9 = 3.89, B: (9 + 8 + 7) / 6 = 4.00
    assert sections[world.department.pk] == [{"title": "受命准备", "average": D("3.89")},
                                             {"title": "业务活动", "average": D("4.00")}]


def test_department_comparison_by_period(world, cycle_world):
    version = cycle_world["version"]
    make_appraisal(world, version=version, appraisee=cycle_world["people"]["孙一"], period=Q2,
                   scores=[[3, 3, 3], [3, 3]])
    q2 = reports.department_comparison(user=world.users["cs_manager"], start=Q2[0], end=Q2[1])
    assert [(r["department"], r["count"], r["average"]) for r in q2] == [("客户服务部", 1, D("3.00"))]
    year = reports.department_comparison(user=world.users["cs_manager"], start=Q1[0], end=Q2[1])
    assert {r["department"]: r["count"] for r in year} == {"客户服务部": 4, "客服一组": 1}


def test_staff_history_and_trend(world, cycle_world):
    version = cycle_world["version"]
    agent = world.staff["agent"]
    make_appraisal(world, version=version, appraisee=agent, period=Q1, scores=[[3, 3, 3], [3, 3]])   # 3.00
    make_appraisal(world, version=version, appraisee=agent, period=Q2, scores=[[4, 4, 4], [3, 3]])   # 3.33
    make_appraisal(world, version=version, appraisee=agent, period=Q3, scores=[[5, 5, 5], [4, 4]])   # 4.33
    make_appraisal(world, version=version, appraisee=agent, period=(Q3[1].replace(month=10, day=1),
                                                                    Q3[1].replace(month=12, day=31)),
                   state=AppraisalState.ACKNOWLEDGEMENT, scores=[[1, 1, 1], [1, 1]])  # not final: not history
    history = reports.staff_history(user=world.users["cs_manager"], staff=agent)
    assert [a.total for a in history["appraisals"]] == [D("3.00"), D("3.33"), D("4.33")]
    assert history["change"] == D("1.00")
    # least squares over x = 0, 1, 2: (-1·3.00 + 0·3.33 + 1·4.33) / 2 = 0.665 -> 0.67
    assert history["slope"] == D("0.67") and history["direction"] == "up"
    assert history["chart"] == {"labels": ["2025-01-01", "2025-04-01", "2025-07-01"], "totals": [3.0, 3.33, 4.33]}


def test_history_of_one_appraisal_has_no_trend(world, cycle_world):
    history = reports.staff_history(user=world.users["cs_manager"], staff=cycle_world["people"]["孙一"])
    assert len(history["appraisals"]) == 1 and history["change"] is None and history["direction"] is None


def test_reports_show_only_what_the_user_may_see(world, cycle_world):
    cycle = cycle_world["cycle"]
    # the agent is neither appraisee nor appraiser of any of these: nothing
    assert reports.cycle_ranking(user=world.users["agent"], cycle=cycle) == []
    assert reports.cycle_completion(user=world.users["agent"], cycle=cycle)["total"] == 0
    # the appraisee sees their own result only
    own = cycle_world["people"]["孙一"]
    own.user.groups.set(world.users["agent"].groups.all())
    assert [r.appraisee.name for r in reports.cycle_ranking(user=own.user, cycle=cycle)] == ["孙一"]
    # nobody's appraisals for a resident
    assert reports.department_comparison(user=world.users["resident"], cycle=cycle) == []


def test_cycle_sheet_rows(world, cycle_world):
    titles, rows = reports.cycle_sheet(user=world.users["cs_manager"], cycle=cycle_world["cycle"])
    assert titles == ["受命准备", "业务活动"]
    by_name = {r[0]: r for r in rows}
    assert set(by_name) == {"孙一", "钱二", "赵三", "李四", "郑七"}
    assert by_name["孙一"][8:] == [D("4.67"), D("4.50"), D("4.56"), "优秀"]
    assert by_name["李四"][8:] == [None, None, None, ""]
    assert by_name["郑七"][2] == "客服一组"


def test_form_sheet(world, cycle_world):
    appraisal = cycle_world["appraisals"]["孙一"]
    sheet = reports.form_sheet(appraisal)
    assert [level["label"] for level in sheet["scale"]] == ["优秀", "良好", "合格", "待改进", "不合格"]
    first = sheet["sections"][0]
    assert first["title"] == "受命准备" and first["average"] == D("4.67")
    assert [i["score"] for i in first["items"]] == [5, 5, 4]
    assert first["items"][2]["marks"] == [False, True, False, False, False]
    assert sheet["total"] == D("4.56") and sheet["grade"] == "优秀" and not sheet["provisional"]

"""Who may do what in the report centre (manager form 审查报告 1–10).

- The customer-service manager generates every kind, writes and submits their own reports and reviews the others'
  (never their own).
- Agents generate and submit the reports of the estates they serve (e.g. the service work report) but do not review.
- Top management sees every report, reviews them and writes the work summary (工作总结).
- The document controller generates the archives report (档案文件编制报告) and sees the reports.
- The quality auditor reads the reports. Residents see nothing.
Data scope: ``Report.scope_estate = "estate"``: a report of all estates is seen only by those who see every estate.
"""

from wuye.core.roles import Role

_VIEW = ["reports.view_report", "reports.view_reportversion", "reports.view_reportreview"]
_WRITE = ["reports.add_report", "reports.change_report", "reports.add_reportversion"]
_REVIEW = ["reports.review_report", "reports.add_reportreview"]
_ARCHIVES = ["reports.generate_archives_report"]
_SUMMARY = ["reports.generate_work_summary"]

GRANTS = {
    Role.CS_MANAGER: _VIEW + _WRITE + _REVIEW + _ARCHIVES + _SUMMARY,
    Role.ADMIN: _VIEW + _WRITE + _REVIEW + _ARCHIVES + _SUMMARY,
    Role.AGENT: _VIEW + _WRITE,
    Role.EXECUTIVE: _VIEW + ["reports.change_report"] + _REVIEW + _SUMMARY,
    Role.DOCUMENT_CONTROLLER: _VIEW + ["reports.change_report"] + _ARCHIVES,
    Role.QUALITY_AUDITOR: list(_VIEW),
    Role.RESIDENT: [],
}

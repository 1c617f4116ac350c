"""Quality records in the full-text index: policies, work plans, audits, findings, corrective actions, management
reviews and meetings (number, title and their main text). Reports and appeals are not indexed: appeals are
confidential, and a report is found from its register."""

from wuye.core import search

from .models import Audit, CorrectiveAction, Finding, ManagementReview, Meeting, QualityPolicy, WorkPlan

search.register(QualityPolicy, title=lambda p: str(p), text=lambda p: [p.statement, p.change_note],
                subtitle=lambda p: p.get_status_display(), mostly_shared=True)
search.register(WorkPlan, title=lambda p: str(p), text=lambda p: [p.targets, p.description],
                subtitle=lambda p: p.get_status_display(), mostly_shared=True)
search.register(Audit, title=lambda a: a.title, text=lambda a: [a.number, a.scope, a.certification_body, a.summary],
                subtitle=lambda a: f"{a.number} · {a.get_kind_display()}", mostly_shared=True)
search.register(Finding, title=lambda f: f.statement[:100], text=lambda f: [f.reference, f.statement, f.evidence],
                estate=lambda f: f.estate_id, subtitle=lambda f: f"{f.reference} · {f.get_grade_display()}",
                select_related=("audit",))
search.register(CorrectiveAction, title=lambda c: c.title,
                text=lambda c: [c.number, c.description, c.root_cause, c.action_plan, c.source_reference],
                estate=lambda c: c.estate_id, subtitle=lambda c: f"{c.number} · {c.get_state_display()}")
search.register(ManagementReview, title=lambda r: r.title, text=lambda r: [r.number, r.minutes, r.conclusion],
                subtitle=lambda r: r.number, mostly_shared=True)
search.register(Meeting, title=lambda m: m.title, text=lambda m: [m.number, m.agenda, m.minutes, m.decisions],
                subtitle=lambda m: f"{m.number} · {m.starts_at:%Y-%m-%d}", mostly_shared=True)

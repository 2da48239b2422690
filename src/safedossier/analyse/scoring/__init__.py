"""Self-assessment on an assessment form: schemes as data (`scheme`), the office's grades
(`assess`), scores and verdicts (`score`) and their text form (`render_text`)."""

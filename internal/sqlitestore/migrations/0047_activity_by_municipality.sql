-- 0047: one municipality's activity counts read its own rows only, and the country's paper forms
-- are counted from the paper answers alone instead of every child's answer.
CREATE INDEX answers_paper_forms ON answers (municipality, created_at, participant_id) WHERE source = 'paper';
CREATE INDEX live_sessions_by_municipality ON live_sessions (municipality, started_at);
CREATE INDEX receipt_codes_by_municipality ON receipt_codes (municipality, opened_after_feedback_on);

-- Receipt codes: a child's code is kept only as its HMAC (hash), with the consultation it
-- opens. No participant, session, answer or time of day: the UTC day of issue is enough for
-- the national reports. opened_after_feedback_on is the day it was first opened after the
-- consultation's feedback was published; answered_back says it has answered back once.
CREATE TABLE receipt_codes (
	hash                     TEXT PRIMARY KEY,
	consultation_id          TEXT NOT NULL,
	municipality             INTEGER NOT NULL,
	issued_on                TEXT NOT NULL,
	lang                     TEXT NOT NULL,
	opened_after_feedback_on TEXT NOT NULL DEFAULT '',
	answered_back            INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX receipt_codes_by_consultation ON receipt_codes (consultation_id, opened_after_feedback_on);

-- What children answered back on the council's answer, counted per consultation and never
-- linked to a receipt.
CREATE TABLE receipt_answer_back (
	consultation_id TEXT PRIMARY KEY,
	clear           INTEGER NOT NULL DEFAULT 0,
	not_clear       INTEGER NOT NULL DEFAULT 0,
	agree           INTEGER NOT NULL DEFAULT 0,
	disagree        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

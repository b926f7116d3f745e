-- 0049: every answer keeps its text folded (voci.FoldForSearch: lower case, no diacritics) in
-- text_folded, written with the text, so that the review workspace's word search is an exact
-- substring test in SQL and pages in SQL. The answers stored before are folded by the Go step
-- of this migration (foldAnswerTexts), in the same transaction.
ALTER TABLE answers ADD COLUMN text_folded TEXT NOT NULL DEFAULT '';

-- A word search counts and pages through an index that holds the folded text too, so it reads
-- the index alone and only the texts of the page from the table. Listing without words keeps
-- the narrower answers_approved.
CREATE INDEX answers_approved_words ON answers (consultation_id, created_at, id, question_id, source, age_band, session_id, text_folded)
    WHERE moderation = 'approved';

-- The public municipality page reads the themes of all the municipality's consultations at once.
CREATE INDEX themes_by_municipality ON themes (municipality, created_at, id);

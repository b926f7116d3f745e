-- 0057: the language a paper form was printed in, kept on its answers ('' for the other
-- channels and for forms typed in before), so that it counts among the languages a
-- consultation's children used (ParticipantLanguages), as a live or self-paced child's does.
ALTER TABLE answers ADD COLUMN lang TEXT NOT NULL DEFAULT '';

CREATE INDEX answers_paper_langs ON answers (consultation_id, lang) WHERE source = 'paper';

-- A question's revision (every change of its content) and the versions of its wording: an
-- answer checked against an unfrozen question is stored only if the question is still at the
-- revision it was checked against, and a wording changed after answers is a new version, the
-- earlier ones kept (dated) in earlier_prompts. Each answer records the version it answered.
ALTER TABLE questions ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE questions ADD COLUMN prompt_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE questions ADD COLUMN prompt_since TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN earlier_prompts TEXT NOT NULL DEFAULT '[]';
UPDATE questions SET prompt_since = created_at;
ALTER TABLE answers ADD COLUMN prompt_version INTEGER NOT NULL DEFAULT 1;

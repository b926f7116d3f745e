-- 0065: minutes whose secretary's edit screening holds keep the text the members last could
-- read (shown_text, '' while nothing is held); approved while an edit was held, they are
-- approved as the members read them, and the dropped edit's author and time are kept.
ALTER TABLE meeting_minutes ADD COLUMN shown_text TEXT NOT NULL DEFAULT '';
ALTER TABLE meeting_minutes ADD COLUMN dropped_edit_by TEXT NOT NULL DEFAULT '';
ALTER TABLE meeting_minutes ADD COLUMN dropped_edit_at TEXT NOT NULL DEFAULT '';

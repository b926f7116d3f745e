-- 0066: who typed which paper form in, in which sitting of the entry screen, under which
-- number (voci.PaperFormEntry), so that the sitting's list survives a reload. Nothing of the
-- child: the form's answers stay under its participant in answers.
CREATE TABLE paper_form_entries (
    consultation_id TEXT    NOT NULL,
    form_key        TEXT    NOT NULL,
    participant_id  TEXT    NOT NULL,
    municipality    INTEGER NOT NULL,
    entered_by      TEXT    NOT NULL,
    sitting         TEXT    NOT NULL,
    number          INTEGER NOT NULL,
    lang            TEXT    NOT NULL, -- the language the form was printed in, '' when not said
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (consultation_id, form_key)
) STRICT;
CREATE INDEX paper_form_entries_sitting ON paper_form_entries (consultation_id, entered_by, sitting, number);
CREATE INDEX paper_form_entries_participant ON paper_form_entries (consultation_id, participant_id);

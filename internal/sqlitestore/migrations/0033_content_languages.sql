-- Content in several languages: the languages a consultation is offered in (the first is the
-- one its texts are written in) and its texts, and its questions' wordings, in the others.
-- Earlier consultations were written in Romanian.
ALTER TABLE consultations ADD COLUMN languages TEXT NOT NULL DEFAULT '["ro"]';
ALTER TABLE consultations ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';
ALTER TABLE questions ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';

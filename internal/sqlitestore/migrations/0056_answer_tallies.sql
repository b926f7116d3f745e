-- 0056: counts of answers kept as answers are written, by triggers in the same transaction,
-- so that a request no longer counts a consultation's thousands of answers afresh.
-- answer_tally holds what CountAnswers returns: the visible answers (moderation '' or
-- 'approved') of a question counted by choices, age band, gender and channel.
-- approved_text_tally holds how many approved texts a consultation has per question, channel,
-- age band and session: the review workspace's total for a filter without words.
-- A count that falls to 0 stays as a row with n = 0; readers skip those.
CREATE TABLE answer_tally (
    question_id TEXT    NOT NULL,
    choices     TEXT    NOT NULL,
    age_band    TEXT    NOT NULL,
    gender      TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (question_id, choices, age_band, gender, source)
) STRICT, WITHOUT ROWID;

CREATE TABLE approved_text_tally (
    consultation_id TEXT    NOT NULL,
    question_id     TEXT    NOT NULL,
    source          TEXT    NOT NULL,
    age_band        TEXT    NOT NULL,
    session_id      TEXT    NOT NULL,
    n               INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, question_id, source, age_band, session_id)
) STRICT, WITHOUT ROWID;

INSERT INTO answer_tally (question_id, choices, age_band, gender, source, n)
    SELECT question_id, choices, age_band, gender, source, count(*) FROM answers
    WHERE moderation IN ('', 'approved') GROUP BY question_id, choices, age_band, gender, source;

INSERT INTO approved_text_tally (consultation_id, question_id, source, age_band, session_id, n)
    SELECT consultation_id, question_id, source, age_band, session_id, count(*) FROM answers
    WHERE moderation = 'approved' GROUP BY consultation_id, question_id, source, age_band, session_id;

CREATE TRIGGER answers_tally_insert AFTER INSERT ON answers BEGIN
    INSERT INTO answer_tally (question_id, choices, age_band, gender, source, n)
        SELECT NEW.question_id, NEW.choices, NEW.age_band, NEW.gender, NEW.source, 1 WHERE NEW.moderation IN ('', 'approved')
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO approved_text_tally (consultation_id, question_id, source, age_band, session_id, n)
        SELECT NEW.consultation_id, NEW.question_id, NEW.source, NEW.age_band, NEW.session_id, 1 WHERE NEW.moderation = 'approved'
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER answers_tally_delete AFTER DELETE ON answers BEGIN
    UPDATE answer_tally SET n = n - 1 WHERE OLD.moderation IN ('', 'approved') AND question_id = OLD.question_id
        AND choices = OLD.choices AND age_band = OLD.age_band AND gender = OLD.gender AND source = OLD.source;
    UPDATE approved_text_tally SET n = n - 1 WHERE OLD.moderation = 'approved' AND consultation_id = OLD.consultation_id
        AND question_id = OLD.question_id AND source = OLD.source AND age_band = OLD.age_band AND session_id = OLD.session_id;
END;

CREATE TRIGGER answers_tally_update AFTER UPDATE OF question_id, consultation_id, session_id, source, choices, moderation, age_band, gender
ON answers BEGIN
    UPDATE answer_tally SET n = n - 1 WHERE OLD.moderation IN ('', 'approved') AND question_id = OLD.question_id
        AND choices = OLD.choices AND age_band = OLD.age_band AND gender = OLD.gender AND source = OLD.source;
    UPDATE approved_text_tally SET n = n - 1 WHERE OLD.moderation = 'approved' AND consultation_id = OLD.consultation_id
        AND question_id = OLD.question_id AND source = OLD.source AND age_band = OLD.age_band AND session_id = OLD.session_id;
    INSERT INTO answer_tally (question_id, choices, age_band, gender, source, n)
        SELECT NEW.question_id, NEW.choices, NEW.age_band, NEW.gender, NEW.source, 1 WHERE NEW.moderation IN ('', 'approved')
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO approved_text_tally (consultation_id, question_id, source, age_band, session_id, n)
        SELECT NEW.consultation_id, NEW.question_id, NEW.source, NEW.age_band, NEW.session_id, 1 WHERE NEW.moderation = 'approved'
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

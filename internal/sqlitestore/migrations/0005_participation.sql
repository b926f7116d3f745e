-- 0005: consultations, questions, live sessions, participants, answers and help requests.
--
-- Lists (age bands, goals, topics, modes, options, choices, flags) are JSON arrays in TEXT
-- columns: they are read and written whole, never queried inside. A time that is not set is ''.

CREATE TABLE consultations (
    id               TEXT    NOT NULL PRIMARY KEY,
    municipality     INTEGER NOT NULL,
    title            TEXT    NOT NULL,
    purpose          TEXT    NOT NULL,
    easy_read        TEXT    NOT NULL,
    age_bands        TEXT    NOT NULL,
    goals            TEXT    NOT NULL,
    topics           TEXT    NOT NULL,
    audience_body    TEXT    NOT NULL,
    answer_by        TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    modes            TEXT    NOT NULL,
    self_paced_from  TEXT    NOT NULL,
    self_paced_until TEXT    NOT NULL,
    created_by       TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
) STRICT;

CREATE INDEX consultations_by_municipality ON consultations (municipality, created_at DESC, id DESC);

CREATE TABLE questions (
    id              TEXT    NOT NULL PRIMARY KEY,
    consultation_id TEXT    NOT NULL REFERENCES consultations (id),
    municipality    INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    kind            TEXT    NOT NULL,
    prompt          TEXT    NOT NULL,
    easy_read       TEXT    NOT NULL,
    options         TEXT    NOT NULL,
    emoji_faces     INTEGER NOT NULL CHECK (emoji_faces IN (0, 1)),
    max_choices     INTEGER NOT NULL,
    frozen          INTEGER NOT NULL CHECK (frozen IN (0, 1)),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) STRICT;

CREATE INDEX questions_by_consultation ON questions (consultation_id, position, created_at);

CREATE TABLE live_sessions (
    id              TEXT    NOT NULL PRIMARY KEY,
    consultation_id TEXT    NOT NULL REFERENCES consultations (id),
    municipality    INTEGER NOT NULL,
    join_code       TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    question_id     TEXT    NOT NULL,
    deadline        TEXT    NOT NULL,
    revealed        TEXT    NOT NULL,
    trust_text      INTEGER NOT NULL CHECK (trust_text IN (0, 1)),
    started_by      TEXT    NOT NULL,
    started_at      TEXT    NOT NULL,
    ended_at        TEXT    NOT NULL
) STRICT;

-- A join code is unique among the sessions that have not ended; ended sessions free theirs.
CREATE UNIQUE INDEX live_sessions_active_code ON live_sessions (join_code) WHERE state <> 'ended';
CREATE INDEX live_sessions_by_consultation ON live_sessions (consultation_id, started_at DESC, id DESC);

-- A participant is a child in one session: an alias and, if given, an age band and a gender.
-- token_hash is the SHA-256 of the token on the child's device, never the token.
CREATE TABLE participants (
    id         TEXT    NOT NULL PRIMARY KEY,
    session_id TEXT    NOT NULL REFERENCES live_sessions (id),
    token_hash TEXT    NOT NULL UNIQUE,
    alias      TEXT    NOT NULL,
    lang       TEXT    NOT NULL,
    age_band   TEXT    NOT NULL,
    gender     TEXT    NOT NULL,
    rerolls    INTEGER NOT NULL,
    removed    INTEGER NOT NULL CHECK (removed IN (0, 1)),
    joined_at  TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
) STRICT;

CREATE INDEX participants_by_session ON participants (session_id, removed);

-- One current answer per participant and question: answering again replaces it.
CREATE TABLE answers (
    id              TEXT    NOT NULL PRIMARY KEY,
    question_id     TEXT    NOT NULL,
    consultation_id TEXT    NOT NULL,
    session_id      TEXT    NOT NULL,
    participant_id  TEXT    NOT NULL,
    municipality    INTEGER NOT NULL,
    source          TEXT    NOT NULL,
    choices         TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    moderation      TEXT    NOT NULL,
    flags           TEXT    NOT NULL,
    age_band        TEXT    NOT NULL,
    gender          TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    revision        INTEGER NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    moderated_by    TEXT    NOT NULL,
    moderated_at    TEXT    NOT NULL,
    UNIQUE (participant_id, question_id)
) STRICT;

CREATE INDEX answers_by_question ON answers (question_id, created_at, id);
CREATE INDEX answers_by_participant ON answers (participant_id);
CREATE INDEX answers_to_moderate ON answers (consultation_id, created_at, id) WHERE moderation IN ('held', 'pending');

-- Every submission's key, so that a retry is answered with the first receipt and counted once.
CREATE TABLE answer_receipts (
    participant_id  TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    question_id     TEXT NOT NULL,
    answer_id       TEXT NOT NULL,
    moderation      TEXT NOT NULL,
    accepted_at     TEXT NOT NULL,
    PRIMARY KEY (participant_id, idempotency_key)
) STRICT;

-- "I need to talk to someone": for the safeguarding lead, never part of results.
CREATE TABLE help_requests (
    id              TEXT    NOT NULL PRIMARY KEY,
    municipality    INTEGER NOT NULL,
    session_id      TEXT    NOT NULL,
    participant_id  TEXT    NOT NULL,
    alias           TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    acknowledged_by TEXT    NOT NULL,
    acknowledged_at TEXT    NOT NULL
) STRICT;

CREATE INDEX help_requests_by_municipality ON help_requests (municipality, created_at DESC, id DESC);

-- Reactions to ideas of an idea board: one per child and idea, replaced when the child changes
-- their mind.
CREATE TABLE idea_reactions (
    idea_id        TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    question_id    TEXT NOT NULL,
    session_id     TEXT NOT NULL,
    reaction       TEXT NOT NULL CHECK (reaction IN ('agree', 'disagree', 'pass')),
    at             TEXT NOT NULL,
    PRIMARY KEY (idea_id, participant_id)
) STRICT;

CREATE INDEX idea_reactions_by_question ON idea_reactions (question_id, idea_id);

-- 0003: one-time links: invitations and password resets. Only the SHA-256 of a link's secret
-- is stored, so a copy of the database opens nothing. A link is used by one conditional
-- UPDATE (used_at IS NULL AND expires_at > now), so of two racing requests exactly one wins.
-- used_at and revoked_at are NULL until set.

CREATE TABLE invitations (
    id         TEXT NOT NULL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    email      TEXT NOT NULL,
    invited_by TEXT NOT NULL,
    lang       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    revoked_at TEXT
) STRICT;

CREATE INDEX invitations_by_created ON invitations (created_at DESC, id DESC);

-- municipality is 0 for platform-wide roles, as in account_roles.
CREATE TABLE invitation_roles (
    invitation_id TEXT    NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    role          TEXT    NOT NULL,
    municipality  INTEGER NOT NULL,
    PRIMARY KEY (invitation_id, role, municipality)
) STRICT;

CREATE INDEX invitation_roles_by_municipality ON invitation_roles (municipality, invitation_id);

CREATE TABLE password_resets (
    token_hash TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT;

CREATE INDEX password_resets_by_account ON password_resets (account_id);

-- People of a municipality: the accounts holding a role there.
CREATE INDEX account_roles_by_municipality ON account_roles (municipality, account_id);

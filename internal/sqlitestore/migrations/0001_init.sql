-- 0001: reference data (counties, municipalities) and adults' accounts.
--
-- search_key holds voci.FoldForSearch(name): lower case, no diacritics. Listings sort on it and
-- searches match against it, so "Sălaj" sorts among the S's and "brasov" finds "Brașov".
-- Times are UTC text in a fixed-width RFC 3339 form, so they stay readable and sort correctly.

CREATE TABLE counties (
    code       INTEGER PRIMARY KEY,
    siruta     INTEGER NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    abbrev     TEXT    NOT NULL,
    search_key TEXT    NOT NULL
) STRICT;

CREATE INDEX counties_by_search_key ON counties (search_key, code);

CREATE TABLE municipalities (
    siruta      INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    search_key  TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('municipality', 'town', 'commune')),
    urban       INTEGER NOT NULL CHECK (urban IN (0, 1)),
    county_code INTEGER NOT NULL REFERENCES counties (code),
    enrolled    INTEGER NOT NULL DEFAULT 0 CHECK (enrolled IN (0, 1))
) STRICT;

-- Every listing is ordered by (search_key, siruta); each filter gets an index that ends in that
-- order so a page is read in index order.
CREATE INDEX municipalities_by_search_key ON municipalities (search_key, siruta);
CREATE INDEX municipalities_by_county ON municipalities (county_code, search_key, siruta);
CREATE INDEX municipalities_by_enrolled ON municipalities (enrolled, search_key, siruta);

CREATE TABLE accounts (
    id            TEXT    PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    totp_secret   TEXT    NOT NULL DEFAULT '',
    totp_enabled  INTEGER NOT NULL DEFAULT 0 CHECK (totp_enabled IN (0, 1)),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
) STRICT;

-- municipality is 0 for platform-wide roles, so it carries no foreign key; the domain checks
-- grants (voci.RoleGrant.Validate). Rows are read back in rowid order, which is the order the
-- grants were written in.
CREATE TABLE account_roles (
    account_id   TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role         TEXT    NOT NULL,
    municipality INTEGER NOT NULL,
    PRIMARY KEY (account_id, role, municipality)
) STRICT;

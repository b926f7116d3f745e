-- 0010: the language Voci writes to an adult in (voci.Account.Lang): '' until known, which
-- means Romanian; then ro, en or hu.
ALTER TABLE accounts ADD COLUMN lang TEXT NOT NULL DEFAULT '' CHECK (lang IN ('', 'ro', 'en', 'hu'));

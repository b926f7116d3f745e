-- Files kept beside the database (in its directory's "files" folder): this table holds their
-- records; a file's content is written whole (a temporary file renamed) before its record.
CREATE TABLE files (
	id           TEXT PRIMARY KEY,
	municipality INTEGER NOT NULL,
	purpose      TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	created_at   TEXT NOT NULL
);
-- A question's own picture (JSON: file, alt, width, height; '' for none). Options' pictures
-- are kept with the options.
ALTER TABLE questions ADD COLUMN picture TEXT NOT NULL DEFAULT '';

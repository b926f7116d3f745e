// Package frontend embeds the built web interface.
package frontend

import (
	"embed"
	"io/fs"
)

// dist holds the output of `npm run build`. Before the first build it contains
// only .gitkeep, so `go build` works on a fresh clone.
//
//go:embed all:dist
var dist embed.FS

// Files returns the built frontend, rooted at its index.html.
func Files() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // unreachable: "dist" is a valid path embedded above
	}
	return sub
}

// auditWords is the audit log's actions and kinds of objects in words, in every language of
// the interface: the file the audit page imports. The server's CSV export reads the same
// file, so that the page and the export never say different things and one test
// (TestEveryAuditCodeHasWords) keeps both complete; a Go copy would have to be kept in step.
//
//go:embed src/lib/audit/words.json
var auditWords []byte

// AuditWords returns src/lib/audit/words.json: {"actions": {code: {lang: words}},
// "objects": {type: {lang: words}}}.
func AuditWords() []byte { return auditWords }

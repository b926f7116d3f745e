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

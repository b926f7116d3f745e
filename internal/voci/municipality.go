package voci

import (
	"context"
	"strings"
	"time"
	"unicode"
)

// County is one of Romania's 41 counties or the Municipality of Bucharest, as classified by
// SIRUTA. Code is the county number (JUD), stable across SIRUTA editions.
type County struct {
	Code   int
	SIRUTA int
	Name   string // proper Romanian case with diacritics: "Bistrița-Năsăud"
	Abbrev string // the two-letter code used on number plates and maps: "BN"
}

// MunicipalityKind is the legal kind of a level-2 administrative unit (UAT).
type MunicipalityKind string

const (
	KindMunicipality MunicipalityKind = "municipality" // municipiu (including Bucharest)
	KindTown         MunicipalityKind = "town"         // oraș
	KindCommune      MunicipalityKind = "commune"      // comună
)

// Valid reports whether k is one of the known kinds.
func (k MunicipalityKind) Valid() bool {
	switch k {
	case KindMunicipality, KindTown, KindCommune:
		return true
	}
	return false
}

// Municipality is a level-2 administrative unit: the body that can join the Child Friendly
// Cities Initiative. SIRUTA is its identity; names repeat across counties (there are two
// Colonești), so nothing may be matched on name.
type Municipality struct {
	SIRUTA     int
	Name       string // without the legal prefix: "Brașov", not "Municipiul Brașov"
	Kind       MunicipalityKind
	Urban      bool
	CountyCode int
	CountyName string
	// Enrolled is true once the municipality takes part in the Child Friendly Cities Initiative.
	Enrolled bool
	// Stage is where it stands in the initiative (StageNone if never enrolled), and StageSince
	// the calendar day that stage took effect (midnight UTC; zero with StageNone). Both change
	// only through CFCIStore.RecordStage, together with Enrolled.
	Stage      Stage
	StageSince time.Time
}

// SearchKey is the form of the name that searches match against: see FoldForSearch.
func (m *Municipality) SearchKey() string { return FoldForSearch(m.Name) }

// MunicipalityFilter selects municipalities. Nil pointers mean "any".
type MunicipalityFilter struct {
	// Query matches a substring of the name, ignoring case and diacritics.
	Query      string
	CountyCode *int
	Enrolled   *bool
	Offset     int
	Limit      int
}

// MaxPageSize caps how many records one listing returns.
const MaxPageSize = 100

// Normalize folds the query for matching and bounds the page. It returns EINVALID, naming the
// field, for a negative offset or a limit outside 1..MaxPageSize, and for a query over 100
// characters.
func (f *MunicipalityFilter) Normalize() error {
	if len([]rune(f.Query)) > 100 {
		return InvalidParam("q", "The search text may have at most 100 characters.")
	}
	f.Query = FoldForSearch(f.Query)
	if f.Offset < 0 {
		return InvalidParam("page", "The page must be 1 or more.")
	}
	if f.Limit < 1 || f.Limit > MaxPageSize {
		return InvalidParam("limit", "The page size must be between 1 and %d.", MaxPageSize)
	}
	return nil
}

// MunicipalityStore keeps the reference list of counties and municipalities.
type MunicipalityStore interface {
	// SeedReferenceData adds the counties and municipalities that are not stored yet and leaves
	// existing ones untouched, so that a municipality's enrolment survives a re-seed. It returns
	// how many municipalities it added.
	SeedReferenceData(ctx context.Context, counties []County, municipalities []Municipality) (added int, err error)

	// ListCounties returns every county ordered by the folded name (FoldForSearch), so that
	// "Șă…" sorts among the S's rather than after Z.
	ListCounties(ctx context.Context) ([]County, error)

	// FindMunicipalityBySIRUTA returns ENOTFOUND when no municipality has that code.
	FindMunicipalityBySIRUTA(ctx context.Context, siruta int) (*Municipality, error)

	// FindMunicipalities returns one page of the municipalities matching a normalized filter,
	// ordered by folded name then SIRUTA code, and the total number of matches. A query
	// matches when it is a substring of the folded name.
	FindMunicipalities(ctx context.Context, filter MunicipalityFilter) ([]Municipality, int, error)

	// ListMunicipalities returns every municipality matching the filter's query, county and
	// enrolment, in FindMunicipalities' order, in one read (its Limit and Offset are ignored):
	// the national table lists all 3,181 at once. EINVALID for a query that does not normalize.
	ListMunicipalities(ctx context.Context, filter MunicipalityFilter) ([]Municipality, error)

	// SetMunicipalityEnrolled records whether a municipality takes part in the initiative.
	// It returns ENOTFOUND for an unknown code.
	SetMunicipalityEnrolled(ctx context.Context, siruta int, enrolled bool) error
}

// FoldForSearch lowers s and strips Romanian and Hungarian diacritics, so that "brasov" finds
// "Brașov" and "szekely" finds "Székely". Both the stored search key and the query go through
// it; stores compare the folded forms only.
func FoldForSearch(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(foldRune(unicode.ToLower(r)))
	}
	return b.String()
}

func foldRune(r rune) rune {
	switch r {
	case 'ă', 'â', 'á', 'à', 'ä':
		return 'a'
	case 'î', 'í':
		return 'i'
	case 'ș', 'ş':
		return 's'
	case 'ț', 'ţ':
		return 't'
	case 'é', 'ë':
		return 'e'
	case 'ó', 'ö', 'ő':
		return 'o'
	case 'ú', 'ü', 'ű':
		return 'u'
	}
	return r
}

// RomanianTitleCase turns SIRUTA's upper-case names into the form people write:
// "SÂNPETRU DE CÂMPIE" → "Sânpetru de Câmpie", "BISTRIȚA-NĂSĂUD" → "Bistrița-Năsăud".
func RomanianTitleCase(upper string) string {
	lowerWords := map[string]bool{"de": true, "la": true, "din": true, "pe": true, "cu": true, "lui": true, "sub": true}
	words := strings.Fields(strings.ToLower(upper))
	for i, w := range words {
		if i > 0 && lowerWords[w] {
			continue
		}
		parts := strings.Split(w, "-")
		for j, p := range parts {
			if j > 0 && lowerWords[p] {
				continue
			}
			parts[j] = capitalize(p)
		}
		words[i] = strings.Join(parts, "-")
	}
	return strings.Join(words, " ")
}

// capitalize upper-cases the first letter of s and every letter after a dot, for initials
// such as "C.A.Rosetti".
func capitalize(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		if upper && unicode.IsLetter(r) {
			r = unicode.ToUpper(r)
			upper = false
		}
		if r == '.' {
			upper = true
		}
		b.WriteRune(r)
	}
	return b.String()
}

package voci

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
)

// AuditEntry records one state change made by an adult. Entries are only ever appended.
type AuditEntry struct {
	ID           string
	At           time.Time
	ActorID      string // the account that acted
	ActorEmail   string // kept as it was then, so the trail reads well after an account changes
	ActorRole    Role   // the role the adult acted in
	Municipality int    // the municipality concerned; 0 for platform-wide changes
	Action       string // dotted verb, e.g. "invitation.create", "municipality.stage"
	ObjectType   string // e.g. "account", "invitation", "municipality"
	ObjectID     string
	RequestID    string
	Detail       string // a short, human-readable summary; never a child's data
}

// AuditFilter selects audit entries. Nil or empty fields mean "any".
type AuditFilter struct {
	Municipalities []int // entries of any of these municipalities; nil means all
	ActorID        string
	Action         string
	From, Until    *time.Time
	Offset, Limit  int
}

// MaxAuditActionChars bounds an action name in a filter.
const MaxAuditActionChars = 64

// Normalize checks the filter and puts it in the form stores expect: municipalities sorted
// without repeats (nil stays nil: "all"; empty stays empty: "none"), an offset of 0 or more, a
// limit from 1 to MaxPageSize, an action that is a dotted name ("municipality.stage"), an
// actor ID of at most 100 characters, and From before Until. It is idempotent. It returns
// EINVALID naming the parameter at fault ("municipality", "page", "limit", "action", "actor",
// "to").
func (f *AuditFilter) Normalize() error {
	if f.Municipalities != nil {
		ms := make([]int, 0, len(f.Municipalities))
		for _, m := range f.Municipalities {
			if m <= 0 {
				return InvalidParam("municipality", "A SIRUTA code is a positive whole number.")
			}
			ms = append(ms, m)
		}
		slices.Sort(ms)
		f.Municipalities = slices.Compact(ms)
	}
	if f.Offset < 0 {
		return InvalidParam("page", "The page must be 1 or more.")
	}
	if f.Limit < 1 || f.Limit > MaxPageSize {
		return InvalidParam("limit", "The page size must be between 1 and %d.", MaxPageSize)
	}
	if f.Action != "" && !isDottedName(f.Action, MaxAuditActionChars) {
		return InvalidParam("action", "An action is a dotted name of lower-case letters and underscores, such as municipality.stage, of at most %d characters.", MaxAuditActionChars)
	}
	if len(f.ActorID) > 100 || strings.ContainsFunc(f.ActorID, unicode.IsControl) {
		return InvalidParam("actor", "The actor is not a valid account identifier.")
	}
	if f.From != nil && f.Until != nil && !f.From.Before(*f.Until) {
		return InvalidParam("to", "The end of the period must come after its start.")
	}
	return nil
}

// isDottedName reports whether s is words of a–z and _ joined by single dots, at most max bytes.
func isDottedName(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if part == "" {
			return false
		}
		for _, r := range part {
			if (r < 'a' || r > 'z') && r != '_' {
				return false
			}
		}
	}
	return true
}

// AuditOf makes the audit entry of a change from the record the change is about, once the
// domain has found or made it, so that the store writes the entry with the change. A nil
// AuditOf records nothing.
type AuditOf[T any] func(*T) *AuditEntry

func (f AuditOf[T]) of(v *T) *AuditEntry {
	if f == nil {
		return nil
	}
	return f(v)
}

// AuditStore keeps the audit trail. A change that is audited is written with its entry: the
// store's write methods that take an *AuditEntry store both, or neither (in one transaction,
// or through the changed record's outbox, see AuditOutbox). AppendAudit alone is for events
// that change nothing else.
type AuditStore interface {
	// AppendAudit stores a new entry; ECONFLICT if its ID exists.
	AppendAudit(ctx context.Context, e *AuditEntry) error
	// FindAudit returns one page of entries, newest first, and the number of matches. It
	// normalizes the filter itself (see AuditFilter.Normalize) and returns its EINVALID.
	FindAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error)
}

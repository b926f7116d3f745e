package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// sessionStore returns the store's voci.SessionStore, or skips the test when the store does
// not keep sessions.
func sessionStore(t *testing.T, s voci.Store) voci.SessionStore {
	t.Helper()
	ss, ok := s.(voci.SessionStore)
	if !ok {
		t.Skipf("%T does not implement voci.SessionStore", s)
	}
	return ss
}

// auditStore returns the store's voci.AuditStore, or skips the test when the store does not
// keep the audit trail.
func auditStore(t *testing.T, s voci.Store) voci.AuditStore {
	t.Helper()
	as, ok := s.(voci.AuditStore)
	if !ok {
		t.Skipf("%T does not implement voci.AuditStore", s)
	}
	return as
}

func sameSession(t *testing.T, what string, got, want voci.Session) {
	t.Helper()
	if got.ID != want.ID || got.AccountID != want.AccountID || got.CSRFToken != want.CSRFToken || got.UserAgent != want.UserAgent {
		t.Errorf("%s: got %+v, want %+v", what, got, want)
	}
	for _, tt := range []struct {
		name      string
		got, want time.Time
	}{{"CreatedAt", got.CreatedAt, want.CreatedAt}, {"LastSeenAt", got.LastSeenAt, want.LastSeenAt}} {
		if !tt.got.Equal(tt.want) || tt.got.Location() != time.UTC {
			t.Errorf("%s: %s = %v, want %v in UTC", what, tt.name, tt.got, tt.want)
		}
	}
}

// newSessions stores an account and n sessions for it, created a minute apart, oldest first.
func newSessions(t *testing.T, s voci.Store, accountID string, n int) []voci.Session {
	t.Helper()
	ctx := t.Context()
	if err := s.CreateAccount(ctx, newAccount(accountID, accountID+"@example.org")); err != nil {
		t.Fatalf("CreateAccount(%s): %v", accountID, err)
	}
	start := time.Date(2025, 9, 1, 17, 0, 0, 250_000_000, bucharest)
	var sessions []voci.Session
	for i := range n {
		sess := voci.Session{
			ID:         voci.SessionID(fmt.Sprintf("token-%s-%d", accountID, i)),
			AccountID:  accountID,
			CSRFToken:  fmt.Sprintf("csrf-%s-%d", accountID, i),
			UserAgent:  "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
			CreatedAt:  start.Add(time.Duration(i) * time.Minute),
			LastSeenAt: start.Add(time.Duration(i)*time.Minute + time.Second),
		}
		if err := sessionStore(t, s).CreateSession(ctx, &sess, nil); err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		sessions = append(sessions, sess)
	}
	return sessions
}

func sessionIDs(sessions []voci.Session) []string {
	ids := []string{}
	for _, s := range sessions {
		ids = append(ids, s.ID)
	}
	return ids
}

func testSessionRoundTrip(t *testing.T, s voci.Store) {
	ss := sessionStore(t, s)
	ctx := t.Context()
	ana := newSessions(t, s, "acc-ana", 3)
	ion := newSessions(t, s, "acc-ion", 1)

	got, err := ss.FindSession(ctx, ana[1].ID)
	if err != nil {
		t.Fatalf("FindSession: %v", err)
	}
	sameSession(t, "FindSession", *got, ana[1])
	_, err = ss.FindSession(ctx, voci.SessionID("no such token"))
	wantCode(t, "FindSession(unknown)", err, voci.ENOTFOUND)

	list, err := ss.ListAccountSessions(ctx, "acc-ana")
	if err != nil {
		t.Fatalf("ListAccountSessions: %v", err)
	}
	want := []string{ana[2].ID, ana[1].ID, ana[0].ID}
	if !slices.Equal(sessionIDs(list), want) {
		t.Fatalf("ListAccountSessions = %v, want newest first %v", sessionIDs(list), want)
	}
	sameSession(t, "listed session", list[0], ana[2])
	list, err = ss.ListAccountSessions(ctx, "acc-nobody")
	if err != nil || len(list) != 0 {
		t.Fatalf("ListAccountSessions(unknown) = %v, %v; want none", list, err)
	}

	dup := ion[0]
	dup.CSRFToken = "another"
	wantCode(t, "CreateSession with a taken ID", ss.CreateSession(ctx, &dup, nil), voci.ECONFLICT)
	got, err = ss.FindSession(ctx, ion[0].ID)
	if err != nil {
		t.Fatalf("FindSession: %v", err)
	}
	sameSession(t, "session after a conflicting create", *got, ion[0])
}

func testTouchSession(t *testing.T, s voci.Store) {
	ss := sessionStore(t, s)
	ctx := t.Context()
	sessions := newSessions(t, s, "acc-ana", 2)

	seen := time.Date(2025, 9, 1, 19, 45, 0, 125_000_000, bucharest)
	if err := ss.TouchSession(ctx, sessions[0].ID, seen); err != nil {
		t.Fatalf("TouchSession: %v", err)
	}
	want := sessions[0]
	want.LastSeenAt = seen
	got, err := ss.FindSession(ctx, want.ID)
	if err != nil {
		t.Fatalf("FindSession: %v", err)
	}
	sameSession(t, "touched session", *got, want)
	got, err = ss.FindSession(ctx, sessions[1].ID)
	if err != nil {
		t.Fatalf("FindSession: %v", err)
	}
	sameSession(t, "untouched session", *got, sessions[1])

	wantCode(t, "TouchSession(unknown)", ss.TouchSession(ctx, voci.SessionID("gone"), seen), voci.ENOTFOUND)
}

func testDeleteSessions(t *testing.T, s voci.Store) {
	ss := sessionStore(t, s)
	ctx := t.Context()
	ana := newSessions(t, s, "acc-ana", 4)
	ion := newSessions(t, s, "acc-ion", 2)

	if err := ss.DeleteSession(ctx, ana[0].ID, nil); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	_, err := ss.FindSession(ctx, ana[0].ID)
	wantCode(t, "FindSession after DeleteSession", err, voci.ENOTFOUND)
	if err := ss.DeleteSession(ctx, ana[0].ID, nil); err != nil {
		t.Fatalf("DeleteSession twice: %v, want no error", err)
	}

	// Sign out everywhere else: the current session stays.
	n, err := ss.DeleteAccountSessions(ctx, "acc-ana", ana[2].ID, nil)
	if err != nil || n != 2 {
		t.Fatalf("DeleteAccountSessions(except one) = %d, %v; want 2", n, err)
	}
	list, err := ss.ListAccountSessions(ctx, "acc-ana")
	if err != nil || !slices.Equal(sessionIDs(list), []string{ana[2].ID}) {
		t.Fatalf("after DeleteAccountSessions: %v, %v; want only %s", sessionIDs(list), err, ana[2].ID)
	}

	// Another account's sessions are not touched.
	list, err = ss.ListAccountSessions(ctx, "acc-ion")
	if err != nil || len(list) != 2 {
		t.Fatalf("the other account's sessions: %v, %v; want 2", sessionIDs(list), err)
	}

	// Sign out everywhere.
	n, err = ss.DeleteAccountSessions(ctx, "acc-ion", "", nil)
	if err != nil || n != 2 {
		t.Fatalf("DeleteAccountSessions(all) = %d, %v; want 2", n, err)
	}
	for _, sess := range ion {
		_, err := ss.FindSession(ctx, sess.ID)
		wantCode(t, "FindSession after DeleteAccountSessions", err, voci.ENOTFOUND)
	}
	n, err = ss.DeleteAccountSessions(ctx, "acc-nobody", "", nil)
	if err != nil || n != 0 {
		t.Fatalf("DeleteAccountSessions(unknown) = %d, %v; want 0", n, err)
	}
}

// fixtureAudit is a small trail, in the order it was written. Two entries share a time, so
// the tie-break (ID, descending) is exercised.
func fixtureAudit() []voci.AuditEntry {
	at := func(h, m int) time.Time { return time.Date(2025, 10, 6, h, m, 0, 500_000_000, bucharest) }
	return []voci.AuditEntry{
		{ID: "au-1", At: at(9, 0), ActorID: "acc-admin", ActorEmail: "admin@voci.ro", ActorRole: voci.RolePlatformAdmin, Action: "municipality.enrol", ObjectType: "municipality", ObjectID: "40198", Municipality: 40198, RequestID: "req-1", Detail: "Brașov enrolled"},
		{ID: "au-2", At: at(9, 5), ActorID: "acc-admin", ActorEmail: "admin@voci.ro", ActorRole: voci.RolePlatformAdmin, Action: "municipality.enrol", ObjectType: "municipality", ObjectID: "21891", Municipality: 21891, RequestID: "req-2", Detail: "Colonești (Bacău) enrolled"},
		{ID: "au-3", At: at(10, 0), ActorID: "acc-ana", ActorEmail: "ana@primaria-brasov.ro", ActorRole: voci.RoleCoordinator, Action: "invitation.create", ObjectType: "invitation", ObjectID: "inv-1", Municipality: 40198, RequestID: "req-3", Detail: "Invited a facilitator"},
		{ID: "au-4", At: at(10, 0), ActorID: "acc-ana", ActorEmail: "ana@primaria-brasov.ro", ActorRole: voci.RoleCoordinator, Action: "invitation.create", ObjectType: "invitation", ObjectID: "inv-2", Municipality: 40198, RequestID: "req-4", Detail: "Invited a council member"},
		{ID: "au-5", At: at(11, 30), ActorID: "acc-ion", ActorEmail: "ion@primaria-colonesti.ro", ActorRole: voci.RoleCoordinator, Action: "invitation.create", ObjectType: "invitation", ObjectID: "inv-3", Municipality: 126228, RequestID: "req-5", Detail: "Invited a facilitator"},
		{ID: "au-6", At: at(12, 0), ActorID: "acc-admin", ActorEmail: "admin@voci.ro", ActorRole: voci.RolePlatformAdmin, Action: "account.disable", ObjectType: "account", ObjectID: "acc-x", RequestID: "req-6", Detail: "Disabled an account"},
	}
}

func testAudit(t *testing.T, s voci.Store) {
	as := auditStore(t, s)
	ctx := t.Context()
	entries := fixtureAudit()
	for i := range entries {
		if err := as.AppendAudit(ctx, &entries[i]); err != nil {
			t.Fatalf("AppendAudit(%s): %v", entries[i].ID, err)
		}
	}
	dup := entries[0]
	dup.Detail = "rewritten history"
	wantCode(t, "AppendAudit with a taken ID", as.AppendAudit(ctx, &dup), voci.ECONFLICT)

	find := func(f voci.AuditFilter) ([]string, int) {
		t.Helper()
		if f.Limit == 0 {
			f.Limit = voci.MaxPageSize
		}
		page, total, err := as.FindAudit(ctx, f)
		if err != nil {
			t.Fatalf("FindAudit(%+v): %v", f, err)
		}
		ids := []string{}
		for _, e := range page {
			ids = append(ids, e.ID)
		}
		return ids, total
	}

	page, total, err := as.FindAudit(ctx, voci.AuditFilter{Limit: 1})
	if err != nil || total != len(entries) || len(page) != 1 {
		t.Fatalf("FindAudit(limit 1) = %d entries, total %d, %v", len(page), total, err)
	}
	if got, want := page[0], entries[5]; got.ID != want.ID || got.ActorID != want.ActorID || got.ActorEmail != want.ActorEmail ||
		got.ActorRole != want.ActorRole || got.Municipality != want.Municipality || got.Action != want.Action ||
		got.ObjectType != want.ObjectType || got.ObjectID != want.ObjectID || got.RequestID != want.RequestID ||
		got.Detail != want.Detail || !got.At.Equal(want.At) || got.At.Location() != time.UTC {
		t.Fatalf("newest entry = %+v, want %+v with the time in UTC", got, want)
	}

	from, until := entries[2].At, entries[5].At
	tests := []struct {
		name   string
		filter voci.AuditFilter
		want   []string
	}{
		{"all, newest first, ties by ID", voci.AuditFilter{}, []string{"au-6", "au-5", "au-4", "au-3", "au-2", "au-1"}},
		{"one municipality", voci.AuditFilter{Municipalities: []int{40198}}, []string{"au-4", "au-3", "au-1"}},
		{"two municipalities", voci.AuditFilter{Municipalities: []int{21891, 126228}}, []string{"au-5", "au-2"}},
		{"no municipality at all", voci.AuditFilter{Municipalities: []int{}}, []string{}},
		{"actor", voci.AuditFilter{ActorID: "acc-admin"}, []string{"au-6", "au-2", "au-1"}},
		{"action", voci.AuditFilter{Action: "invitation.create"}, []string{"au-5", "au-4", "au-3"}},
		{"from is inclusive, until exclusive", voci.AuditFilter{From: &from, Until: &until}, []string{"au-5", "au-4", "au-3"}},
		{"everything together", voci.AuditFilter{Municipalities: []int{40198, 126228}, ActorID: "acc-ana", Action: "invitation.create", From: &from}, []string{"au-4", "au-3"}},
		{"page", voci.AuditFilter{Offset: 2, Limit: 2}, []string{"au-4", "au-3"}},
		{"past the end", voci.AuditFilter{Offset: 10, Limit: 2}, []string{}},
	}
	for _, tt := range tests {
		ids, total := find(tt.filter)
		wantTotal := len(tt.want)
		if tt.name == "page" || tt.name == "past the end" {
			wantTotal = len(entries)
		}
		if !slices.Equal(ids, tt.want) || total != wantTotal {
			t.Errorf("%s: %v (total %d), want %v (total %d)", tt.name, ids, total, tt.want, wantTotal)
		}
	}

	for _, f := range []voci.AuditFilter{{Limit: 0}, {Limit: voci.MaxPageSize + 1}, {Limit: 10, Offset: -1}} {
		_, _, err := as.FindAudit(ctx, f)
		wantCode(t, fmt.Sprintf("FindAudit(%+v)", f), err, voci.EINVALID)
	}
}

func testDeleteExpiredSessions(t *testing.T, s voci.Store) {
	ctx := t.Context()
	sessions := newSessions(t, s, "acc-old", 4) // created start+i min, last seen 1 s later
	start := sessions[0].CreatedAt
	n, err := s.DeleteExpiredSessions(ctx, start.Add(time.Minute+2*time.Second), start.Add(-time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("idle purge: %d, %v; want 2 (sessions 0 and 1 were last seen before the cut)", n, err)
	}
	n, err = s.DeleteExpiredSessions(ctx, start.Add(-time.Hour), start.Add(3*time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("absolute purge: %d, %v; want 1 (session 2 was created before the cut; 3 exactly at it)", n, err)
	}
	left, err := s.ListAccountSessions(ctx, "acc-old")
	if err != nil || len(left) != 1 || left[0].ID != sessions[3].ID {
		t.Fatalf("left %v, %v; want only the newest session", sessionIDs(left), err)
	}
}

package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// auditedChange is one store write that takes its audit entry: setup stores what it changes,
// change makes the change with the entry, and landed reports whether the change is stored.
type auditedChange struct {
	name    string
	setup   func(t *testing.T, s voci.Store)
	change  func(t *testing.T, s voci.Store, e *voci.AuditEntry) error
	landed  func(t *testing.T, s voci.Store) bool
	objType string
}

var auditAt = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// auditedAccount is an account that is nobody's last platform admin.
func auditedAccount(t *testing.T, s voci.Store, id string) {
	t.Helper()
	a := newAccount(id, id+"@example.org")
	a.Roles = []voci.RoleGrant{{Role: voci.RoleFacilitator, Municipality: 21891}, {Role: voci.RoleCouncilMember, Municipality: 21891}}
	if err := s.CreateAccount(t.Context(), a); err != nil {
		t.Fatal(err)
	}
}

func findAccount(t *testing.T, s voci.Store, id string) *voci.Account {
	t.Helper()
	a, err := s.FindAccountByID(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func findInvitation(t *testing.T, s voci.Store, id string) *voci.Invitation {
	t.Helper()
	inv, err := s.FindInvitationByID(t.Context(), id)
	if voci.ErrorCode(err) == voci.ENOTFOUND {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// auditedChanges are the store's writes that carry their audit entry.
func auditedChanges() []auditedChange {
	pending := func(id string) func(t *testing.T, s voci.Store) {
		return func(t *testing.T, s voci.Store) {
			if err := s.CreateInvitation(t.Context(), newInvitation(id, voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: 21891}), nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	seeded := func(t *testing.T, s voci.Store) {
		if _, err := s.SeedReferenceData(t.Context(), fixtureCounties(), fixtureMunicipalities()); err != nil {
			t.Fatal(err)
		}
	}
	live := func(id string) func(t *testing.T, s voci.Store) {
		return func(t *testing.T, s voci.Store) {
			c := newConsultation(t, s, "cons-"+id)
			l := newLive(t, s, c, "live-"+id, code(id))
			newParticipant(t, s, l, "part-"+id)
		}
	}
	session := func(t *testing.T, s voci.Store, id string) *voci.LiveSession {
		l, err := s.FindLiveSessionByID(t.Context(), "live-"+id)
		if voci.ErrorCode(err) == voci.ENOTFOUND {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	help := func(id string) func(t *testing.T, s voci.Store) {
		return func(t *testing.T, s voci.Store) {
			h := &voci.HelpRequest{ID: id, Municipality: 20297, SessionID: "live-h", ParticipantID: "p-" + id, Alias: "Brave Otter 7", CreatedAt: liveStart}
			if err := s.CreateHelpRequest(t.Context(), h); err != nil {
				t.Fatal(err)
			}
		}
	}
	helpRequest := func(t *testing.T, s voci.Store, id string) *voci.HelpRequest {
		h, err := s.FindHelpRequestByID(t.Context(), 20297, id)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	// signedIn reports whether none of the sessions is ended: a session signed out must be
	// gone to every lookup at once, before its entry has moved.
	signedIn := func(t *testing.T, s voci.Store, ids ...string) bool {
		t.Helper()
		for _, id := range ids {
			_, err := s.FindSession(t.Context(), id)
			if voci.ErrorCode(err) == voci.ENOTFOUND {
				return false
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		return true
	}
	listed := func(t *testing.T, s voci.Store, accountID string) []string {
		t.Helper()
		list, err := s.ListAccountSessions(t.Context(), accountID)
		if err != nil {
			t.Fatal(err)
		}
		return sessionIDs(list)
	}
	sid := func(accountID string, i int) string { return voci.SessionID(fmt.Sprintf("token-%s-%d", accountID, i)) }
	return []auditedChange{
		{name: "DeleteSession", objType: "account",
			setup: func(t *testing.T, s voci.Store) { newSessions(t, s, "acc-au-signout", 2) },
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				return s.DeleteSession(t.Context(), sid("acc-au-signout", 0), e)
			},
			landed: func(t *testing.T, s voci.Store) bool {
				gone := !signedIn(t, s, sid("acc-au-signout", 0))
				if !signedIn(t, s, sid("acc-au-signout", 1)) {
					t.Fatal("signing one session out ended another")
				}
				if l := listed(t, s, "acc-au-signout"); gone != (len(l) == 1) {
					t.Fatalf("session ended %v, but the account lists %d", gone, len(l))
				}
				return gone
			}},
		{name: "DeleteAccountSessions", objType: "account",
			setup: func(t *testing.T, s voci.Store) { newSessions(t, s, "acc-au-everywhere", 3) },
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				_, err := s.DeleteAccountSessions(t.Context(), "acc-au-everywhere", sid("acc-au-everywhere", 1), e)
				return err
			},
			landed: func(t *testing.T, s voci.Store) bool {
				if !signedIn(t, s, sid("acc-au-everywhere", 1)) {
					t.Fatal("the session kept was ended")
				}
				first, last := signedIn(t, s, sid("acc-au-everywhere", 0)), signedIn(t, s, sid("acc-au-everywhere", 2))
				if first != last {
					t.Fatalf("sessions ended by halves: %v, %v", first, last)
				}
				if l := listed(t, s, "acc-au-everywhere"); first != (len(l) == 3) {
					t.Fatalf("sessions ended %v, but the account lists %d", !first, len(l))
				}
				return !first
			}},
		{name: "CreateSession", objType: "account",
			setup: func(t *testing.T, s voci.Store) { auditedAccount(t, s, "acc-au-signin") },
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				return s.CreateSession(t.Context(), &voci.Session{ID: voci.SessionID("token-au-signin"), AccountID: "acc-au-signin",
					CSRFToken: "csrf", UserAgent: "Firefox", CreatedAt: auditAt, LastSeenAt: auditAt}, e)
			},
			landed: func(t *testing.T, s voci.Store) bool {
				_, err := s.FindSession(t.Context(), voci.SessionID("token-au-signin"))
				return err == nil
			}},
		{name: "CreatePasswordReset", objType: "account",
			setup: func(t *testing.T, s voci.Store) { auditedAccount(t, s, "acc-au-reset") },
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				return s.CreatePasswordReset(t.Context(), &voci.PasswordReset{TokenHash: voci.TokenHash("reset-au"), AccountID: "acc-au-reset",
					CreatedAt: auditAt, ExpiresAt: auditAt.Add(voci.PasswordResetTTL)}, e)
			},
			landed: func(t *testing.T, s voci.Store) bool {
				_, err := s.FindPasswordReset(t.Context(), voci.TokenHash("reset-au"))
				return err == nil
			}},
		{name: "CreateLiveSession", objType: "live_session",
			setup: func(t *testing.T, s voci.Store) { newConsultation(t, s, "cons-au-start") },
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				return s.CreateLiveSession(t.Context(), &voci.LiveSession{ID: "live-au-start", ConsultationID: "cons-au-start", Municipality: 20297,
					JoinCode: "746101", State: voci.LiveLobby, StartedBy: "acct-1", StartedAt: liveStart}, e)
			},
			landed: func(t *testing.T, s voci.Store) bool { return session(t, s, "au-start") != nil }},
		{name: "UpdateLiveSession", objType: "live_session", setup: live("au-lock"),
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				l := session(t, s, "au-lock")
				l.JoinsLocked = true
				return s.UpdateLiveSession(t.Context(), l, e)
			},
			landed: func(t *testing.T, s voci.Store) bool { return session(t, s, "au-lock").JoinsLocked }},
		{name: "UpdateParticipant", objType: "participant", setup: live("au-remove"),
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				p, err := s.FindParticipantByID(t.Context(), "part-au-remove")
				if err != nil {
					t.Fatal(err)
				}
				p.Removed = true
				return s.UpdateParticipant(t.Context(), p, e)
			},
			landed: func(t *testing.T, s voci.Store) bool {
				p, err := s.FindParticipantByID(t.Context(), "part-au-remove")
				if err != nil {
					t.Fatal(err)
				}
				return p.Removed
			}},
		{name: "SetGroupFacts", objType: "live_session", setup: live("au-facts"),
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				l := session(t, s, "au-facts")
				return s.SetGroupFacts(t.Context(), &voci.GroupFacts{SessionID: l.ID, ConsultationID: l.ConsultationID, Municipality: l.Municipality,
					Present: 24, Counts: map[voci.GroupCategory]int{voci.GroupRural: 9}, RecordedBy: "acct-1", RecordedAt: auditAt}, e)
			},
			landed: func(t *testing.T, s voci.Store) bool {
				_, err := s.FindGroupFacts(t.Context(), "live-au-facts")
				return err == nil
			}},
		{name: "ModerateAnswer", objType: "answer",
			setup: func(t *testing.T, s voci.Store) {
				c := newConsultation(t, s, "cons-au-mod")
				q := newQuestion(t, s, c, "q-au-mod", 0)
				l := newLive(t, s, c, "live-au-mod", "746102")
				p := newParticipant(t, s, l, "part-au-mod")
				a := textAnswer(p, q, "au-mod-key-1", "Mai mulți copaci", liveStart)
				a.ID = "answer-au-mod"
				if _, err := s.SaveAnswer(t.Context(), a); err != nil {
					t.Fatal(err)
				}
			},
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				_, err := s.ModerateAnswer(t.Context(), "answer-au-mod", 1, voci.ModerationApproved, "acct-1", auditAt, e)
				return err
			},
			landed: func(t *testing.T, s voci.Store) bool {
				a, err := s.FindAnswerByID(t.Context(), "answer-au-mod")
				if err != nil {
					t.Fatal(err)
				}
				return a.Moderation == voci.ModerationApproved
			}},
		{name: "AcknowledgeHelpRequest", objType: "help_request", setup: help("help-au-ack"),
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				return s.AcknowledgeHelpRequest(t.Context(), 20297, "help-au-ack", "lead-1", auditAt, e)
			},
			landed: func(t *testing.T, s voci.Store) bool {
				return helpRequest(t, s, "help-au-ack").AcknowledgedBy == "lead-1"
			}},
		{name: "NoteHelpRequest", objType: "help_request", setup: help("help-au-note"),
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				return s.NoteHelpRequest(t.Context(), 20297, "help-au-note", "Called the school", "lead-1", auditAt, e)
			},
			landed: func(t *testing.T, s voci.Store) bool {
				return helpRequest(t, s, "help-au-note").Note == "Called the school"
			}},
		{name: "CloseHelpRequest", objType: "help_request", setup: help("help-au-close"),
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				return s.CloseHelpRequest(t.Context(), 20297, "help-au-close", "lead-1", auditAt, e)
			},
			landed: func(t *testing.T, s voci.Store) bool { return !helpRequest(t, s, "help-au-close").ClosedAt.IsZero() }},
		{name: "RecordStage", objType: "municipality", setup: seeded,
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				return s.RecordStage(t.Context(), stageChange("st-au", 21891, voci.StageMemorandumSigned, "2026-03-01", auditAt), voci.StageNone, e)
			},
			landed: func(t *testing.T, s voci.Store) bool {
				return municipality(t, s, 21891).Stage == voci.StageMemorandumSigned
			}},
		{name: "UpdateMunicipalityProfile", objType: "municipality", setup: seeded,
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				_, err := s.UpdateMunicipalityProfile(t.Context(), 20876, voci.ProfileUpdate{FeedbackDeadlineDays: ptr(45), UpdatedAt: auditAt, UpdatedBy: "acc-x", Audit: e})
				return err
			},
			landed: func(t *testing.T, s voci.Store) bool {
				p, err := s.FindMunicipalityProfile(t.Context(), 20876)
				if err != nil {
					t.Fatal(err)
				}
				return p.FeedbackDeadlineDays == 45
			}},
		{name: "UpdateAccount", objType: "account",
			setup: func(t *testing.T, s voci.Store) { auditedAccount(t, s, "acc-au-upd") },
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				name := "Ana Changed"
				_, err := s.UpdateAccount(t.Context(), "acc-au-upd", voci.AccountUpdate{DisplayName: &name, UpdatedAt: auditAt, Audit: e})
				return err
			},
			landed: func(t *testing.T, s voci.Store) bool {
				return findAccount(t, s, "acc-au-upd").DisplayName == "Ana Changed"
			}},
		{name: "SetAccountDisabled", objType: "account",
			setup: func(t *testing.T, s voci.Store) { auditedAccount(t, s, "acc-au-dis") },
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				_, err := s.SetAccountDisabled(t.Context(), "acc-au-dis", true, auditAt, e)
				return err
			},
			landed: func(t *testing.T, s voci.Store) bool { return findAccount(t, s, "acc-au-dis").Disabled }},
		{name: "RemoveAccountRole", objType: "account",
			setup: func(t *testing.T, s voci.Store) { auditedAccount(t, s, "acc-au-role") },
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				_, err := s.RemoveAccountRole(t.Context(), "acc-au-role", voci.RoleGrant{Role: voci.RoleCouncilMember, Municipality: 21891}, auditAt, e)
				return err
			},
			landed: func(t *testing.T, s voci.Store) bool {
				return !findAccount(t, s, "acc-au-role").HasRole(voci.RoleCouncilMember, 21891)
			}},
		{name: "DeleteTheme", objType: "theme",
			setup: func(t *testing.T, s voci.Store) {
				th := &voci.Theme{ID: "th-au-del", Municipality: 21891, ConsultationID: "cons-au-del", Title: "Gone", Revision: 1,
					CreatedBy: "acc-au", CreatedAt: auditAt, UpdatedAt: auditAt}
				if err := s.CreateTheme(t.Context(), th, nil); err != nil {
					t.Fatal(err)
				}
			},
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				return s.DeleteTheme(t.Context(), "th-au-del", 1, e)
			},
			landed: func(t *testing.T, s voci.Store) bool {
				_, err := s.FindTheme(t.Context(), "th-au-del")
				return voci.ErrorCode(err) == voci.ENOTFOUND
			}},
		{name: "CreateInvitation", objType: "invitation",
			setup: func(*testing.T, voci.Store) {},
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				return s.CreateInvitation(t.Context(), newInvitation("inv-au-new", voci.RoleGrant{Role: voci.RoleFacilitator, Municipality: 21891}), e)
			},
			landed: func(t *testing.T, s voci.Store) bool { return findInvitation(t, s, "inv-au-new") != nil }},
		{name: "RenewInvitation", objType: "invitation", setup: pending("inv-au-renew"),
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				_, err := s.RenewInvitation(t.Context(), "inv-au-renew", voci.TokenHash("renewed"), inviteAt.Add(30*24*time.Hour), e)
				return err
			},
			landed: func(t *testing.T, s voci.Store) bool {
				return findInvitation(t, s, "inv-au-renew").TokenHash == voci.TokenHash("renewed")
			}},
		{name: "RevokeInvitation", objType: "invitation", setup: pending("inv-au-revoke"),
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				return s.RevokeInvitation(t.Context(), "inv-au-revoke", inviteAt.Add(time.Hour), e)
			},
			landed: func(t *testing.T, s voci.Store) bool {
				return !findInvitation(t, s, "inv-au-revoke").RevokedAt.IsZero()
			}},
		{name: "ConsumeInvitation", objType: "invitation", setup: pending("inv-au-use"),
			change: func(t *testing.T, s voci.Store, e *voci.AuditEntry) error {
				_, err := s.ConsumeInvitation(t.Context(), voci.TokenHash("secret-inv-au-use"), inviteAt.Add(time.Hour), e)
				return err
			},
			landed: func(t *testing.T, s voci.Store) bool { return !findInvitation(t, s, "inv-au-use").UsedAt.IsZero() }},
	}
}

// code is a join code of its own for each fixture.
func code(id string) string {
	return map[string]string{"au-lock": "746103", "au-remove": "746104", "au-facts": "746105"}[id]
}

func auditedEntry(c auditedChange) *voci.AuditEntry {
	return &voci.AuditEntry{ID: "au-" + c.name, At: auditAt, ActorID: "acc-actor-" + c.name, ActorEmail: "actor@example.org",
		ActorRole: voci.RoleCoordinator, Municipality: 21891, Action: "test.audited_change", ObjectType: c.objType,
		ObjectID: "object-" + c.name, RequestID: "req-" + c.name, Detail: c.name}
}

// entryStored reports whether c's entry is in the trail, failing when it is there twice.
func entryStored(t *testing.T, s voci.Store, c auditedChange) bool {
	t.Helper()
	entries, total, err := s.FindAudit(t.Context(), voci.AuditFilter{ActorID: "acc-actor-" + c.name, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if total > 1 {
		t.Fatalf("%s: the entry is in the trail %d times", c.name, total)
	}
	return total == 1 && entries[0].ID == "au-"+c.name && entries[0].Detail == c.name
}

// testAuditedChangesCarryTheirEntry: every write that takes an audit entry stores the change
// and its entry, once, on both stores.
func testAuditedChangesCarryTheirEntry(t *testing.T, s voci.Store) {
	changes := auditedChanges()
	for _, c := range changes {
		c.setup(t, s)
		if err := c.change(t, s, auditedEntry(c)); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
	}
	if _, err := s.CompletePendingAudit(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if !c.landed(t, s) || !entryStored(t, s, c) {
			t.Errorf("%s: change stored %v, entry stored %v; want both", c.name, c.landed(t, s), entryStored(t, s, c))
		}
	}
	// A nil entry writes the change alone.
	if _, total, err := s.FindAudit(t.Context(), voci.AuditFilter{Limit: 100}); err != nil || total != len(changes) {
		t.Fatalf("trail holds %d entries, %v; want %d", total, err, len(changes))
	}
}

// RunAuditFailure runs every write that takes an audit entry while the audit trail refuses
// every insert (breakAudit makes it so, mendAudit undoes it), then mends the trail and
// completes what is pending, as a restart does. Whatever the store does when the trail fails
// (refuse the change, or keep the entry with the change until it can be moved), afterwards a
// change is stored exactly when its entry is: never one without the other.
func RunAuditFailure(t *testing.T, open func(t *testing.T) voci.Store, breakAudit, mendAudit func(t *testing.T, s voci.Store)) {
	for _, c := range auditedChanges() {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			c.setup(t, s)
			breakAudit(t, s)
			err := c.change(t, s, auditedEntry(c))
			landedNow := c.landed(t, s)
			if err != nil && landedNow {
				t.Fatalf("the write failed (%v) but the change is stored", err)
			}
			mendAudit(t, s)
			if _, err := s.CompletePendingAudit(t.Context()); err != nil {
				t.Fatal(err)
			}
			landed, stored := c.landed(t, s), entryStored(t, s, c)
			if landed != stored {
				t.Fatalf("after a failing trail and a restart: change stored %v, entry stored %v", landed, stored)
			}
			if landedNow != landed {
				t.Fatalf("the change came or went with the restart: %v then %v", landedNow, landed)
			}
		})
	}
}

package voci

import (
	"context"
	"strings"
	"unicode/utf8"
)

// AuditObjectStore is what naming the objects of audit entries reads.
type AuditObjectStore interface {
	FindAccountByID(ctx context.Context, id string) (*Account, error)
	FindInvitationByID(ctx context.Context, id string) (*Invitation, error)
	FindMunicipalityBySIRUTA(ctx context.Context, siruta int) (*Municipality, error)
	FindConsultationByID(ctx context.Context, id string) (*Consultation, error)
	FindQuestionByID(ctx context.Context, id string) (*Question, error)
	FindLiveSessionByID(ctx context.Context, id string) (*LiveSession, error)
	FindTheme(ctx context.Context, id string) (*Theme, error)
	FindRecommendation(ctx context.Context, id string) (*Recommendation, error)
	FindDecision(ctx context.Context, id string) (*Decision, error)
	FindPlannedSession(ctx context.Context, id string) (*PlannedSession, error)
}

// AuditObjectNamer names the objects of audit entries in words a person understands, for
// one reader of the trail: a consultation by its title, a question by its prompt, a live
// session by its consultation and join code, a planned session by its consultation, time and
// group, a theme or a recommendation by its title, a
// council decision by its number and title, a municipality by its name, and an adult (or
// an invitation) by name and email where the reader may see that person: readers with a
// platform-wide role always, a coordinator for people who hold a role, or are invited to
// one, in a municipality they coordinate. Children (participants), their answers and help
// requests are never named. An object that cannot be named gets "", and is shown by kind
// and a short ID. A namer keeps what it read, so make one per page of entries.
type AuditObjectNamer struct {
	store  AuditObjectStore
	reader *Account
	names  map[string]string
}

// NewAuditObjectNamer returns a namer for reader.
func NewAuditObjectNamer(store AuditObjectStore, reader *Account) *AuditObjectNamer {
	return &AuditObjectNamer{store: store, reader: reader, names: map[string]string{}}
}

// maxObjectNameRunes bounds a name shown in the trail.
const maxObjectNameRunes = 80

// Name returns the words for e's object, or "" when it has none for this reader. Errors are
// the store's, other than ENOTFOUND (a deleted question is named "").
func (n *AuditObjectNamer) Name(ctx context.Context, e *AuditEntry) (string, error) {
	if e.ObjectID == "" {
		return "", nil
	}
	key := e.ObjectType + "\x00" + e.ObjectID
	if name, ok := n.names[key]; ok {
		return name, nil
	}
	name, err := n.name(ctx, e)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return "", err
	}
	name = shorten(name)
	n.names[key] = name
	return name, nil
}

func (n *AuditObjectNamer) name(ctx context.Context, e *AuditEntry) (string, error) {
	switch e.ObjectType {
	case "consultation":
		c, err := n.store.FindConsultationByID(ctx, e.ObjectID)
		if err != nil || !n.readsMunicipality(c.Municipality) {
			return "", err
		}
		return c.Title, nil
	case "question":
		q, err := n.store.FindQuestionByID(ctx, e.ObjectID)
		if err != nil || !n.readsMunicipality(q.Municipality) {
			return "", err
		}
		return q.Prompt, nil
	case "live_session":
		l, err := n.store.FindLiveSessionByID(ctx, e.ObjectID)
		if err != nil || !n.readsMunicipality(l.Municipality) {
			return "", err
		}
		c, err := n.store.FindConsultationByID(ctx, l.ConsultationID)
		if err != nil {
			return l.JoinCode, err
		}
		return c.Title + " · " + l.JoinCode, nil
	case "planned_session":
		p, err := n.store.FindPlannedSession(ctx, e.ObjectID)
		if err != nil || !n.readsMunicipality(p.Municipality) {
			return "", err
		}
		name := p.StartsAt.In(romania).Format("02.01.2006 15:04") + " · " + p.Group
		if c, err := n.store.FindConsultationByID(ctx, p.ConsultationID); err == nil {
			name = c.Title + " · " + name
		}
		return name, nil
	case "theme":
		t, err := n.store.FindTheme(ctx, e.ObjectID)
		if err != nil || !n.readsMunicipality(t.Municipality) {
			return "", err
		}
		return t.Title, nil
	case "recommendation":
		r, err := n.store.FindRecommendation(ctx, e.ObjectID)
		if err != nil || !n.readsMunicipality(r.Municipality) {
			return "", err
		}
		return r.Title, nil
	case "decision":
		d, err := n.store.FindDecision(ctx, e.ObjectID)
		if err != nil || !n.readsMunicipality(d.Municipality) {
			return "", err
		}
		if c := d.Current(); c.Number != "" {
			return "HCL " + c.Number + ": " + c.Title, nil
		}
		return d.Current().Title, nil
	case "municipality":
		m, err := n.store.FindMunicipalityBySIRUTA(ctx, atoiOrZero(e.ObjectID))
		if err != nil {
			return "", err
		}
		return m.Name, nil
	case "account":
		a, err := n.store.FindAccountByID(ctx, e.ObjectID)
		if err != nil || !n.seesPerson(a.ID, a.Roles) {
			return "", err
		}
		if a.DisplayName == "" {
			return a.Email, nil
		}
		return a.DisplayName + " <" + a.Email + ">", nil
	case "invitation":
		inv, err := n.store.FindInvitationByID(ctx, e.ObjectID)
		if err != nil || !n.seesPerson("", inv.Roles) {
			return "", err
		}
		return inv.Email, nil
	}
	return "", nil
}

func (n *AuditObjectNamer) platformWide() bool {
	return n.reader.HasRole(RolePlatformAdmin, 0) || n.reader.HasRole(RoleNationalCommittee, 0)
}

// readsMunicipality: the trail of a municipality is its coordinators' and the platform's.
func (n *AuditObjectNamer) readsMunicipality(siruta int) bool {
	return n.platformWide() || (siruta != 0 && n.reader.HasRole(RoleCoordinator, siruta))
}

func (n *AuditObjectNamer) seesPerson(id string, roles []RoleGrant) bool {
	if n.platformWide() || (id != "" && id == n.reader.ID) {
		return true
	}
	for _, g := range roles {
		if g.Municipality != 0 && n.reader.HasRole(RoleCoordinator, g.Municipality) {
			return true
		}
	}
	return false
}

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxObjectNameRunes {
		return s
	}
	r := []rune(s)
	return string(r[:maxObjectNameRunes-1]) + "…"
}

func atoiOrZero(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' || n > 1e8 {
			return 0
		}
		n = n*10 + int(r-'0')
	}
	return n
}

package voci

import (
	"context"
	"time"
)

// StartPage is what needs one adult now, one part per role they hold and per municipality
// they hold it in: the page an adult lands on after signing in. It is built from the
// adult's own role grants, so it tells nothing of a municipality where they hold none.
// Help requests are not in it: the count behind the menu's badge serves the page too.
type StartPage struct {
	Facilitating []FacilitatorStart
	Coordinating []CoordinatorStart
	Council      []CouncilStart
	// Safeguarding lists the municipalities whose help requests the adult follows up as
	// safeguarding lead.
	Safeguarding []StartMunicipality
	// Municipalities are the enrolled municipalities, for admins and national committee
	// members (nil for everyone else), and MunicipalitiesTotal how many there are.
	Municipalities      []Municipality
	MunicipalitiesTotal int
}

// StartMunicipality names the municipality a part of the start page is about.
type StartMunicipality struct {
	SIRUTA int
	Name   string
}

// FacilitatorStart is a facilitator's work in one municipality: the live sessions that have
// not ended and the texts waiting for moderation, counted per session.
type FacilitatorStart struct {
	StartMunicipality
	Sessions   []StartSession
	Moderation []ModerationCount
	// Planned are the next planned sessions, from today on, soonest first.
	Planned []StartPlanned
}

// StartPlanned is a planned session that has not started, as a start page lists it. Mine
// marks the reader's own (they will run it); Due one whose time has come.
type StartPlanned struct {
	PlannedSession
	ConsultationTitle string
	FacilitatorName   string
	Mine, Due         bool
}

// StartSession is a live session that has not ended.
type StartSession struct {
	LiveSession
	ConsultationTitle string
}

// ModerationCount counts the texts of one open consultation waiting for a decision, from one
// live session (SessionID and JoinCode empty: from the self-paced link and paper forms). Held
// counts the texts screening flagged, Pending the others.
type ModerationCount struct {
	ConsultationID    string
	ConsultationTitle string
	SessionID         string
	JoinCode          string
	Pending, Held     int
}

// CoordinatorStart is a coordinator's work in one municipality: its open consultations (the
// newest StartListLimit, of OpenTotal) and the invitations nobody has accepted yet.
type CoordinatorStart struct {
	StartMunicipality
	Open               []Consultation
	OpenTotal          int
	PendingInvitations int
	// Planned are the next planned sessions, as for a facilitator; empty when the adult
	// facilitates in the municipality too, whose part lists them already.
	Planned []StartPlanned
}

// CouncilStart is what a council member may review in one municipality: its open and closed
// consultations, newest first (at most StartListLimit of each).
type CouncilStart struct {
	StartMunicipality
	Consultations []Consultation
}

// StartListLimit bounds each list of a start page; the pages behind its links hold the rest.
const StartListLimit = 10

// startScanLimit bounds the open consultations whose sessions and texts are looked at.
const startScanLimit = 20

// StartPageStore is what the start page reads.
type StartPageStore interface {
	FindMunicipalityBySIRUTA(ctx context.Context, siruta int) (*Municipality, error)
	FindMunicipalities(ctx context.Context, filter MunicipalityFilter) ([]Municipality, int, error)
	FindConsultations(ctx context.Context, f ConsultationFilter) ([]Consultation, int, error)
	ListLiveSessions(ctx context.Context, consultationID string) ([]LiveSession, error)
	FindModerationQueue(ctx context.Context, consultationID string) ([]Answer, error)
	FindPendingInvitations(ctx context.Context, f InvitationFilter) ([]Invitation, error)
	FindConsultationByID(ctx context.Context, id string) (*Consultation, error)
	FindAccountByID(ctx context.Context, id string) (*Account, error)
	FindUpcomingPlannedSessions(ctx context.Context, municipality int, from time.Time, limit int) ([]PlannedSession, error)
}

// BuildStartPage gathers what needs the account now, for each role it holds, in the
// municipalities it holds the role for and nowhere else. Errors are the store's.
func BuildStartPage(ctx context.Context, store StartPageStore, a *Account, now time.Time) (*StartPage, error) {
	page := &StartPage{}
	names := map[int]string{}
	place := func(siruta int) (StartMunicipality, error) {
		if name, ok := names[siruta]; ok {
			return StartMunicipality{SIRUTA: siruta, Name: name}, nil
		}
		m, err := store.FindMunicipalityBySIRUTA(ctx, siruta)
		if err != nil {
			return StartMunicipality{}, err
		}
		names[siruta] = m.Name
		return StartMunicipality{SIRUTA: siruta, Name: m.Name}, nil
	}
	seen := map[RoleGrant]bool{}
	for _, g := range a.Roles {
		if seen[g] {
			continue
		}
		seen[g] = true
		if g.Role.PlatformWide() {
			continue
		}
		where, err := place(g.Municipality)
		if err != nil {
			return nil, err
		}
		switch g.Role {
		case RoleFacilitator:
			f, err := facilitatorStart(ctx, store, where)
			if err != nil {
				return nil, err
			}
			if f.Planned, err = plannedStart(ctx, store, a, where.SIRUTA, now); err != nil {
				return nil, err
			}
			page.Facilitating = append(page.Facilitating, *f)
		case RoleCoordinator:
			open, total, err := store.FindConsultations(ctx, ConsultationFilter{Municipality: where.SIRUTA, Status: StatusOpen, Limit: StartListLimit})
			if err != nil {
				return nil, err
			}
			invitations, err := store.FindPendingInvitations(ctx, InvitationFilter{Municipalities: []int{where.SIRUTA}, Now: now, Limit: MaxPageSize})
			if err != nil {
				return nil, err
			}
			var planned []StartPlanned
			if !a.HasRole(RoleFacilitator, where.SIRUTA) {
				if planned, err = plannedStart(ctx, store, a, where.SIRUTA, now); err != nil {
					return nil, err
				}
			}
			page.Coordinating = append(page.Coordinating, CoordinatorStart{StartMunicipality: where, Open: open, OpenTotal: total,
				PendingInvitations: len(invitations), Planned: planned})
		case RoleCouncilMember:
			c := CouncilStart{StartMunicipality: where}
			for _, st := range []ConsultationStatus{StatusOpen, StatusClosed} {
				found, _, err := store.FindConsultations(ctx, ConsultationFilter{Municipality: where.SIRUTA, Status: st, Limit: StartListLimit})
				if err != nil {
					return nil, err
				}
				c.Consultations = append(c.Consultations, found...)
			}
			page.Council = append(page.Council, c)
		case RoleSafeguardingLead:
			page.Safeguarding = append(page.Safeguarding, where)
		}
	}
	if a.HasRole(RolePlatformAdmin, 0) || a.HasRole(RoleNationalCommittee, 0) {
		enrolled := true
		found, total, err := store.FindMunicipalities(ctx, MunicipalityFilter{Enrolled: &enrolled, Limit: MaxPageSize})
		if err != nil {
			return nil, err
		}
		page.Municipalities, page.MunicipalitiesTotal = found, total
		if page.Municipalities == nil {
			page.Municipalities = []Municipality{}
		}
	}
	return page, nil
}

// facilitatorStart reads the live sessions and moderation queues of the municipality's open
// consultations (the newest startScanLimit).
func facilitatorStart(ctx context.Context, store StartPageStore, where StartMunicipality) (*FacilitatorStart, error) {
	f := &FacilitatorStart{StartMunicipality: where}
	open, _, err := store.FindConsultations(ctx, ConsultationFilter{Municipality: where.SIRUTA, Status: StatusOpen, Limit: startScanLimit})
	if err != nil {
		return nil, err
	}
	for i := range open {
		c := &open[i]
		sessions, err := store.ListLiveSessions(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		codes := map[string]string{}
		for _, s := range sessions {
			codes[s.ID] = s.JoinCode
			if s.Active() && s.Municipality == where.SIRUTA {
				f.Sessions = append(f.Sessions, StartSession{LiveSession: s, ConsultationTitle: c.Title})
			}
		}
		queue, err := store.FindModerationQueue(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		// One count per session, in the order their first text arrived.
		var counts []ModerationCount
		at := map[string]int{}
		for _, ans := range queue {
			if ans.Municipality != where.SIRUTA {
				continue
			}
			i, ok := at[ans.SessionID]
			if !ok {
				i = len(counts)
				at[ans.SessionID] = i
				counts = append(counts, ModerationCount{ConsultationID: c.ID, ConsultationTitle: c.Title, SessionID: ans.SessionID, JoinCode: codes[ans.SessionID]})
			}
			if ans.Moderation == ModerationHeld {
				counts[i].Held++
			} else {
				counts[i].Pending++
			}
		}
		f.Moderation = append(f.Moderation, counts...)
	}
	return f, nil
}

// plannedStart lists the municipality's next planned sessions from the start of Romania's
// today, so that one planned for this morning and not started yet is still there, marked due.
// A plan whose consultation has closed is left out: it can no longer start.
func plannedStart(ctx context.Context, store StartPageStore, a *Account, siruta int, now time.Time) ([]StartPlanned, error) {
	plans, err := store.FindUpcomingPlannedSessions(ctx, siruta, RomanianDayStart(now), StartListLimit)
	if err != nil {
		return nil, err
	}
	out := []StartPlanned{}
	titles, names := map[string]string{}, map[string]string{}
	for _, p := range plans {
		title, ok := titles[p.ConsultationID]
		if !ok {
			c, err := store.FindConsultationByID(ctx, p.ConsultationID)
			if err != nil {
				return nil, err
			}
			if c.Status == StatusClosed {
				title = ""
			} else {
				title = c.Title
			}
			titles[p.ConsultationID] = title
		}
		if title == "" {
			continue
		}
		name, ok := names[p.FacilitatorID]
		if !ok {
			f, err := store.FindAccountByID(ctx, p.FacilitatorID)
			switch {
			case err == nil:
				name = f.DisplayName
			case ErrorCode(err) != ENOTFOUND:
				return nil, err
			}
			names[p.FacilitatorID] = name
		}
		out = append(out, StartPlanned{PlannedSession: p, ConsultationTitle: title, FacilitatorName: name,
			Mine: p.FacilitatorID == a.ID, Due: p.Due(now)})
	}
	return out, nil
}

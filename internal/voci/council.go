package voci

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
)

// A municipality's youth council (see youthcouncil.go for the words its meetings share): the
// council and its rules, its members, their guardians' consent, and the personal sign-in
// cards that let a member open their council on their own phone without an email or a
// password.

// Codes of the youth council.
const (
	// ECARDINVALID: a sign-in card's link that Voci never issued (or a mistyped one).
	ECARDINVALID = "card_invalid"
	// ECARDREVOKED: a card that was revoked or replaced by a newer one, or whose member has
	// left the council. Only the card's holder learns it.
	ECARDREVOKED = "card_revoked"
	// EOFFICETAKEN: another member in office already holds the office.
	EOFFICETAKEN = "office_taken"
	// EMEMBERLEFT: the member has left the council; their record can no longer change.
	EMEMBERLEFT = "member_left"
	// ECOUNCILNOTFOUND: the municipality has no youth council yet.
	ECOUNCILNOTFOUND = "youth_council_not_found"
)

// ChairRule says who may chair the council's meetings.
type ChairRule string

const (
	ChairPresident          ChairRule = "president"
	ChairPresidentOrVice    ChairRule = "president_or_vice"
	ChairAnyMember          ChairRule = "any_member"
	maxCouncilNameChars               = 120
	maxDisplayNameChars               = 24
	maxConsentScopeChars              = 300
	maxGuardianNameChars              = 100
	defaultCouncilTermYears           = 2
	// MaxCouncilMembers bounds a council's roll, left members included.
	MaxCouncilMembers = 200
)

// ChairRules lists the rules, the default first.
var ChairRules = []ChairRule{ChairPresident, ChairPresidentOrVice, ChairAnyMember}

// ConsentMethod is how a guardian gave consent.
type ConsentMethod string

const (
	ConsentPaperForm  ConsentMethod = "paper_form"
	ConsentInPerson   ConsentMethod = "in_person"
	ConsentElectronic ConsentMethod = "electronic"
)

// ConsentMethods lists the ways consent is given, in the order forms show them.
var ConsentMethods = []ConsentMethod{ConsentPaperForm, ConsentInPerson, ConsentElectronic}

// CouncilAgeBands are the age bands a member may have: about 10 to 18.
var CouncilAgeBands = []AgeBand{Age10to12, Age13to15, Age16to18}

// Why a member cannot take part in a meeting (CouncilMember.CanTakePart).
const (
	PartReasonLeft             = "left"
	PartReasonConsentMissing   = "consent_missing"
	PartReasonConsentWithdrawn = "consent_withdrawn"
)

// YouthCouncil is a municipality's youth council: one per municipality.
type YouthCouncil struct {
	ID           string
	Municipality int
	Name         string
	TermStart    time.Time // a date (UTC midnight)
	TermEnd      time.Time // a date after TermStart
	Quorum       QuorumRule
	Majority     MajorityRule // the default majority of its motions
	Chair        ChairRule
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Validate checks the council's fields; EINVALID names the field at fault.
func (c *YouthCouncil) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	if err := ValidateText("name", c.Name, 1, maxCouncilNameChars); err != nil {
		return err
	}
	if c.TermStart.IsZero() {
		return InvalidParam("termStart", "Give the date the council's term starts.")
	}
	if !c.TermEnd.After(c.TermStart) {
		return InvalidParam("termEnd", "The term must end after it starts.")
	}
	if !c.Quorum.Valid() {
		return InvalidParam("quorum", "The quorum is a share of the members in office: a fraction from 0 up to, but not including, 1.")
	}
	if !c.Majority.Valid() {
		return InvalidParam("majority", "The majority is simple, absolute or two_thirds.")
	}
	if !slices.Contains(ChairRules, c.Chair) {
		return InvalidParam("chair", "Who may chair is president, president_or_vice or any_member.")
	}
	return nil
}

// MayChair reports whether the member may chair the council's meetings under its rule.
func (c *YouthCouncil) MayChair(m *CouncilMember) bool {
	if ok, _ := m.CanTakePart(); !ok {
		return false
	}
	switch c.Chair {
	case ChairAnyMember:
		return true
	case ChairPresidentOrVice:
		return m.Office == CouncilRolePresident || m.Office == CouncilRoleVicePresident
	}
	return m.Office == CouncilRolePresident
}

// GuardianConsent is a guardian's consent for a member under 16 to sit on the council. The
// guardian is an adult, whose name may be kept; it is shown only to the municipality's
// coordinator and the platform's admins.
type GuardianConsent struct {
	GuardianName string
	GivenOn      time.Time // a date
	Method       ConsentMethod
	Scope        string // what was consented to, in a few words
	RecordedBy   string // account ID
	RecordedAt   time.Time
	WithdrawnOn  time.Time // a date; zero while in force
}

// Validate checks the consent's fields; EINVALID names the field at fault.
func (g *GuardianConsent) Validate() error {
	g.GuardianName, g.Scope = strings.TrimSpace(g.GuardianName), strings.TrimSpace(g.Scope)
	if err := ValidateText("guardianName", g.GuardianName, 2, maxGuardianNameChars); err != nil {
		return err
	}
	if g.GivenOn.IsZero() {
		return InvalidParam("givenOn", "Give the date the guardian consented.")
	}
	if !slices.Contains(ConsentMethods, g.Method) {
		return InvalidParam("method", "Consent is given on a paper form, in person or electronically.")
	}
	return ValidateText("scope", g.Scope, 2, maxConsentScopeChars)
}

// CouncilMember is a young person on a youth council. They are known by a display name the
// coordinator chooses (a first name or a nickname, never a surname) and an age band; nothing
// else about them is kept.
type CouncilMember struct {
	ID           string
	CouncilID    string
	Municipality int
	DisplayName  string
	AgeBand      AgeBand
	Office       CouncilRole
	JoinedOn     time.Time // a date
	LeftOn       time.Time // a date; zero while the member is in office
	// NameRemoved: the member left or their consent was withdrawn, so records made from now
	// on show "a former member" instead of their name. Past records are not rewritten.
	NameRemoved bool
	// Consent is the guardian's consent, nil when none was recorded.
	Consent *GuardianConsent
	// CardID is the member's one valid sign-in card, "" when none is.
	CardID string
	// Version counts the changes to the member's record: a change made on an older version
	// is refused (ECONFLICT), so that two coordinators cannot undo each other's edits.
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// InOffice reports whether the member has not left the council.
func (m *CouncilMember) InOffice() bool { return m.LeftOn.IsZero() }

// NeedsConsent reports whether the member's age band is under 16, so that a guardian's
// consent is required.
func (m *CouncilMember) NeedsConsent() bool { return m.AgeBand == Age10to12 || m.AgeBand == Age13to15 }

// ConsentInForce reports whether a guardian's consent is recorded and not withdrawn.
func (m *CouncilMember) ConsentInForce() bool {
	return m.Consent != nil && m.Consent.WithdrawnOn.IsZero()
}

// CanTakePart reports whether the member may join a meeting, and when not, why: they left
// (PartReasonLeft), or they are under 16 with no consent (PartReasonConsentMissing) or one
// withdrawn (PartReasonConsentWithdrawn).
func (m *CouncilMember) CanTakePart() (bool, string) {
	switch {
	case !m.InOffice():
		return false, PartReasonLeft
	case m.NeedsConsent() && m.Consent != nil && !m.Consent.WithdrawnOn.IsZero():
		return false, PartReasonConsentWithdrawn
	case m.NeedsConsent() && m.Consent == nil:
		return false, PartReasonConsentMissing
	}
	return true, ""
}

// RecordName is the name records made from now on show: the display name, or "" for a
// member whose name was removed (shown as "a former member").
func (m *CouncilMember) RecordName() string {
	if m.NameRemoved {
		return ""
	}
	return m.DisplayName
}

// ValidateDisplayName checks a member's display name: a first name or a nickname of one or
// two words, letters only (with a hyphen or an apostrophe), so that it cannot carry a phone
// number, an email or a handle, and that the screening of children's text does not take for
// a full name or contact details. It returns the name trimmed, or EINVALID (param
// "displayName").
func ValidateDisplayName(name string, screener TextScreener) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	bad := InvalidParam("displayName", "Use a first name or a nickname only: one or two words of letters, at most %d characters, without a surname, digits or contact details.", maxDisplayNameChars)
	n := 0
	for _, r := range name {
		n++
		if !unicode.IsLetter(r) && r != ' ' && r != '-' && r != '\'' && r != '’' {
			return "", bad
		}
	}
	if n < 2 || n > maxDisplayNameChars || len(strings.Fields(name)) > 2 {
		return "", bad
	}
	if screener != nil {
		if _, flags := screener.Screen(name); len(flags) > 0 {
			return "", InvalidParam("displayName", "This looks like a full name or contact details. Use a first name or a nickname only.")
		}
	}
	return name, nil
}

// CouncilCard is a member's personal sign-in card: a link with a secret, printed with its QR
// code. Only the secret's hash is kept. A member has at most one valid card: the one their
// record names (CouncilMember.CardID); a card revoked, or replaced by a newer one, opens
// nothing.
type CouncilCard struct {
	ID           string
	MemberID     string
	CouncilID    string
	Municipality int
	TokenHash    string
	IssuedBy     string // account ID
	IssuedAt     time.Time
	RevokedAt    time.Time // zero unless revoked or replaced
}

// MemberSession is a council member signed in on their phone with their card. It is apart
// from adults' sessions: it opens the member's own council page and nothing else.
type MemberSession struct {
	ID           string // SessionID of the cookie's token
	MemberID     string
	CouncilID    string
	Municipality int
	CardID       string // the card it was opened with: revoking the card ends it
	CSRFToken    string
	CreatedAt    time.Time
}

// MemberSessionTTL is how long a member stays signed in on their phone: a school term's
// month, after which they scan their card again.
const MemberSessionTTL = 30 * 24 * time.Hour

// YouthCouncilStore keeps youth councils, their members, sign-in cards and members' sessions.
// Each write to a member is one atomic write of the member's record, conditional on its
// Version, with its audit entry when not nil.
type YouthCouncilStore interface {
	// CreateYouthCouncil stores a new council; ECONFLICT when the municipality has one.
	CreateYouthCouncil(ctx context.Context, c *YouthCouncil, audit *AuditEntry) error
	// FindYouthCouncil returns the municipality's council; ECOUNCILNOTFOUND when it has none.
	FindYouthCouncil(ctx context.Context, municipality int) (*YouthCouncil, error)
	// UpdateYouthCouncil replaces the council's name, term and rules; ECOUNCILNOTFOUND for
	// an unknown one.
	UpdateYouthCouncil(ctx context.Context, c *YouthCouncil, audit *AuditEntry) error

	// CreateCouncilMember stores a new member (Version 1). EOFFICETAKEN when another member
	// in office of the council holds the member's office.
	CreateCouncilMember(ctx context.Context, m *CouncilMember, audit *AuditEntry) error
	// FindCouncilMember returns ENOTFOUND for an unknown member.
	FindCouncilMember(ctx context.Context, id string) (*CouncilMember, error)
	// ListCouncilMembers returns the council's members, those who left included, in the
	// order they were added (their creation time; members added in the same instant by ID).
	ListCouncilMembers(ctx context.Context, councilID string) ([]CouncilMember, error)
	// UpdateCouncilMember stores m's display name, age band, office, dates, name removal and
	// consent (not its card) if the stored record is still at version m.Version-1, and
	// returns ECONFLICT otherwise; EOFFICETAKEN as CreateCouncilMember; ENOTFOUND for an
	// unknown member.
	UpdateCouncilMember(ctx context.Context, m *CouncilMember, audit *AuditEntry) error

	// IssueCouncilCard stores the card and makes it its member's one valid card, so that the
	// member's earlier card opens nothing from then on (it is marked revoked at card.IssuedAt).
	// ENOTFOUND for an unknown member, EMEMBERLEFT for one who left; ECONFLICT when the hash
	// is taken.
	IssueCouncilCard(ctx context.Context, card *CouncilCard, audit *AuditEntry) error
	// RevokeCouncilCard marks the member's valid card revoked at `at` and leaves them none.
	// ENOTFOUND when the member has no valid card.
	RevokeCouncilCard(ctx context.Context, memberID string, at time.Time, audit *AuditEntry) error
	// FindCouncilCardByTokenHash returns ENOTFOUND when no card has the hash.
	FindCouncilCardByTokenHash(ctx context.Context, hash string) (*CouncilCard, error)

	// CreateMemberSession stores a member's new session; ECONFLICT if its ID exists.
	CreateMemberSession(ctx context.Context, s *MemberSession) error
	// FindMemberSession returns ENOTFOUND for an unknown session.
	FindMemberSession(ctx context.Context, id string) (*MemberSession, error)
	// DeleteMemberSession ends a session; deleting one that is not there is no error.
	DeleteMemberSession(ctx context.Context, id string) error
}

// YouthCouncils holds the rules of youth councils: their rolls, consent and cards.
type YouthCouncils struct {
	Store    YouthCouncilStore
	Screener TextScreener // screens display names; nil screens nothing
	Clock    Clock
}

// NewYouthCouncils returns the rules of youth councils on store.
func NewYouthCouncils(store YouthCouncilStore, screener TextScreener, clock Clock) *YouthCouncils {
	if clock == nil {
		clock = time.Now
	}
	return &YouthCouncils{Store: store, Screener: screener, Clock: clock}
}

func (y *YouthCouncils) now() time.Time { return y.Clock().UTC() }

// today is the date of now, as dates are stored.
func (y *YouthCouncils) today() time.Time {
	n := y.now()
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// CouncilInput is what a coordinator sets on a council. A zero field takes its default when
// the council is created and is left as it is when it is updated.
type CouncilInput struct {
	Name      string
	TermStart time.Time
	TermEnd   time.Time
	Quorum    *QuorumRule
	Majority  MajorityRule
	Chair     ChairRule
}

// SaveCouncil creates the municipality's council, or updates the one it has, and reports
// whether it was created. A new council's term starts today and lasts two years, its quorum
// is a majority, its majority simple and its chair the president, unless in says otherwise.
// EINVALID for a bad field.
func (y *YouthCouncils) SaveCouncil(ctx context.Context, municipality int, in CouncilInput, audit AuditOf[YouthCouncil]) (*YouthCouncil, bool, error) {
	c, err := y.Store.FindYouthCouncil(ctx, municipality)
	created := ErrorCode(err) == ECOUNCILNOTFOUND
	if err != nil && !created {
		return nil, false, err
	}
	now := y.now()
	if created {
		c = &YouthCouncil{ID: RandomID(), Municipality: municipality, Quorum: DefaultQuorum, Majority: MajoritySimple,
			Chair: ChairPresident, TermStart: y.today(), CreatedAt: now}
		c.TermEnd = c.TermStart.AddDate(defaultCouncilTermYears, 0, 0)
	}
	if in.Name != "" || created {
		c.Name = in.Name
	}
	if !in.TermStart.IsZero() {
		c.TermStart = in.TermStart
	}
	if !in.TermEnd.IsZero() {
		c.TermEnd = in.TermEnd
	}
	if in.Quorum != nil {
		c.Quorum = *in.Quorum
	}
	if in.Majority != "" {
		c.Majority = in.Majority
	}
	if in.Chair != "" {
		c.Chair = in.Chair
	}
	c.UpdatedAt = now
	if err := c.Validate(); err != nil {
		return nil, false, err
	}
	if created {
		err = y.Store.CreateYouthCouncil(ctx, c, audit.of(c))
	} else {
		err = y.Store.UpdateYouthCouncil(ctx, c, audit.of(c))
	}
	if err != nil {
		return nil, false, err
	}
	return c, created, nil
}

// MemberInput is a new member, or the fields to change of one (nil: leave as it is).
type MemberInput struct {
	DisplayName *string
	AgeBand     *AgeBand
	Office      *CouncilRole
	JoinedOn    *time.Time
	// Version is the version of the record the change was made on; 0 for a new member.
	Version int
}

// AddMember adds a member to the council. The display name and age band are required; the
// member joins today unless JoinedOn says otherwise. EINVALID for a bad field, ECONFLICT
// for a name another member in office has, EOFFICETAKEN for an office held.
func (y *YouthCouncils) AddMember(ctx context.Context, c *YouthCouncil, in MemberInput, audit AuditOf[CouncilMember]) (*CouncilMember, error) {
	now := y.now()
	m := &CouncilMember{ID: RandomID(), CouncilID: c.ID, Municipality: c.Municipality, JoinedOn: y.today(), Version: 1, CreatedAt: now, UpdatedAt: now}
	if in.DisplayName == nil {
		return nil, InvalidParam("displayName", "Give the member a first name or a nickname.")
	}
	if in.AgeBand == nil {
		return nil, InvalidParam("ageBand", "Give the member's age band.")
	}
	members, err := y.Store.ListCouncilMembers(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if len(members) >= MaxCouncilMembers {
		return nil, InvalidParam("displayName", "A council has at most %d members, those who left included.", MaxCouncilMembers)
	}
	if err := y.apply(m, in, members); err != nil {
		return nil, err
	}
	if err := y.Store.CreateCouncilMember(ctx, m, audit.of(m)); err != nil {
		return nil, err
	}
	return m, nil
}

// UpdateMember changes a member's display name, age band, office or joining date. ENOTFOUND
// for a member of another council, EMEMBERLEFT for one who left, ECONFLICT when the record
// changed since in.Version, and AddMember's errors.
func (y *YouthCouncils) UpdateMember(ctx context.Context, c *YouthCouncil, id string, in MemberInput, audit AuditOf[CouncilMember]) (*CouncilMember, error) {
	m, err := y.memberToChange(ctx, c, id, in.Version)
	if err != nil {
		return nil, err
	}
	members, err := y.Store.ListCouncilMembers(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if err := y.apply(m, in, members); err != nil {
		return nil, err
	}
	return m, y.save(ctx, m, audit)
}

// apply sets in's fields on m and checks them against the other members.
func (y *YouthCouncils) apply(m *CouncilMember, in MemberInput, members []CouncilMember) error {
	if in.DisplayName != nil {
		name, err := ValidateDisplayName(*in.DisplayName, y.Screener)
		if err != nil {
			return err
		}
		m.DisplayName = name
	}
	if in.AgeBand != nil {
		if !slices.Contains(CouncilAgeBands, *in.AgeBand) {
			return InvalidParam("ageBand", "A member's age band is 10_12, 13_15 or 16_18.")
		}
		m.AgeBand = *in.AgeBand
	}
	if in.Office != nil {
		if !in.Office.Valid() {
			return InvalidParam("office", "The office is president, vice_president, secretary or none.")
		}
		m.Office = *in.Office
	}
	if in.JoinedOn != nil {
		if in.JoinedOn.IsZero() || in.JoinedOn.After(y.today()) {
			return InvalidParam("joinedOn", "The joining date is today or earlier.")
		}
		m.JoinedOn = *in.JoinedOn
	}
	for i := range members {
		o := &members[i]
		if o.ID == m.ID || !o.InOffice() {
			continue
		}
		if strings.EqualFold(o.DisplayName, m.DisplayName) {
			return &Error{Code: ECONFLICT, Param: "displayName", Message: "Another member has this name. Choose one that tells them apart."}
		}
		if m.Office != CouncilRoleNone && o.Office == m.Office {
			return officeTaken(m.Office)
		}
	}
	return nil
}

// officeTaken is the error of an office another member in office holds.
func officeTaken(r CouncilRole) error {
	return &Error{Code: EOFFICETAKEN, Param: "office", Message: "Another member in office is the council's " + strings.ReplaceAll(string(r), "_", "-") + ". Change their office first."}
}

// OfficeTaken is the error a store returns when an office is held (see officeTaken).
func OfficeTaken(r CouncilRole) error { return officeTaken(r) }

// MemberLeaves records that the member left the council on the date (today when zero): they
// are no longer in office, lose their office and card, and records made from now on no
// longer show their name. EINVALID for a date in the future or before they joined, and
// UpdateMember's errors.
func (y *YouthCouncils) MemberLeaves(ctx context.Context, c *YouthCouncil, id string, on time.Time, version int, audit AuditOf[CouncilMember]) (*CouncilMember, error) {
	m, err := y.memberToChange(ctx, c, id, version)
	if err != nil {
		return nil, err
	}
	if on.IsZero() {
		on = y.today()
	}
	if on.After(y.today()) || on.Before(m.JoinedOn) {
		return nil, InvalidParam("leftOn", "The leaving date is between the joining date and today.")
	}
	m.LeftOn, m.Office, m.NameRemoved = on, CouncilRoleNone, true
	if err := y.save(ctx, m, audit); err != nil {
		return nil, err
	}
	if m.CardID != "" {
		if err := y.Store.RevokeCouncilCard(ctx, m.ID, y.now(), nil); err != nil && ErrorCode(err) != ENOTFOUND {
			return nil, err
		}
		m.CardID = ""
	}
	return m, nil
}

// RecordConsent records the guardian's consent for the member, replacing an earlier record
// (the audit trail keeps what it said). EINVALID for a bad field or a date in the future,
// and UpdateMember's errors.
func (y *YouthCouncils) RecordConsent(ctx context.Context, c *YouthCouncil, id string, g GuardianConsent, version int, actorID string, audit AuditOf[CouncilMember]) (*CouncilMember, error) {
	m, err := y.memberToChange(ctx, c, id, version)
	if err != nil {
		return nil, err
	}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if g.GivenOn.After(y.today()) {
		return nil, InvalidParam("givenOn", "The consent's date is today or earlier.")
	}
	g.RecordedBy, g.RecordedAt, g.WithdrawnOn = actorID, y.now(), time.Time{}
	// A member still in office whose guardian consents again is named again.
	m.Consent, m.NameRemoved = &g, false
	return m, y.save(ctx, m, audit)
}

// WithdrawConsent records that the guardian withdrew consent on the date (today when zero):
// the member under 16 can no longer take part, and records made from now on no longer show
// their name. ECONFLICT when no consent is in force, EINVALID for a date in the future or
// before the consent, and UpdateMember's errors.
func (y *YouthCouncils) WithdrawConsent(ctx context.Context, c *YouthCouncil, id string, on time.Time, version int, audit AuditOf[CouncilMember]) (*CouncilMember, error) {
	m, err := y.memberToChange(ctx, c, id, version)
	if err != nil {
		return nil, err
	}
	if !m.ConsentInForce() {
		return nil, Errorf(ECONFLICT, "No consent is in force for this member.")
	}
	if on.IsZero() {
		on = y.today()
	}
	if on.After(y.today()) || on.Before(m.Consent.GivenOn) {
		return nil, InvalidParam("withdrawnOn", "The withdrawal's date is between the consent's and today.")
	}
	g := *m.Consent
	g.WithdrawnOn = on
	m.Consent, m.NameRemoved = &g, true
	return m, y.save(ctx, m, audit)
}

// memberToChange finds a member of the council in office, at version (0: any).
func (y *YouthCouncils) memberToChange(ctx context.Context, c *YouthCouncil, id string, version int) (*CouncilMember, error) {
	m, err := y.FindMember(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if !m.InOffice() {
		return nil, Errorf(EMEMBERLEFT, "This member has left the council; their record can no longer change.")
	}
	if version != 0 && version != m.Version {
		return nil, Errorf(ECONFLICT, "Someone changed this member's record meanwhile. Reload it and try again.")
	}
	return m, nil
}

// FindMember returns a member of the council; ENOTFOUND for one of another council.
func (y *YouthCouncils) FindMember(ctx context.Context, c *YouthCouncil, id string) (*CouncilMember, error) {
	m, err := y.Store.FindCouncilMember(ctx, id)
	if err == nil && m.CouncilID != c.ID {
		err = Errorf(ENOTFOUND, "There is no such member in this council.")
	}
	return m, err
}

func (y *YouthCouncils) save(ctx context.Context, m *CouncilMember, audit AuditOf[CouncilMember]) error {
	m.Version++
	m.UpdatedAt = y.now()
	return y.Store.UpdateCouncilMember(ctx, m, audit.of(m))
}

// IssueCard makes the member a new sign-in card and returns its secret, which goes into the
// printed link and is kept nowhere. The member's earlier card opens nothing from then on.
// ENOTFOUND for a member of another council, EMEMBERLEFT for one who left.
func (y *YouthCouncils) IssueCard(ctx context.Context, c *YouthCouncil, memberID, actorID string, audit AuditOf[CouncilCard]) (string, *CouncilCard, error) {
	m, err := y.FindMember(ctx, c, memberID)
	if err != nil {
		return "", nil, err
	}
	if !m.InOffice() {
		return "", nil, Errorf(EMEMBERLEFT, "This member has left the council; they get no card.")
	}
	secret, hash := NewOneTimeToken()
	card := &CouncilCard{ID: RandomID(), MemberID: m.ID, CouncilID: c.ID, Municipality: c.Municipality, TokenHash: hash,
		IssuedBy: actorID, IssuedAt: y.now()}
	if err := y.Store.IssueCouncilCard(ctx, card, audit.of(card)); err != nil {
		return "", nil, err
	}
	return secret, card, nil
}

// RevokeCard revokes the member's card, so that it and the sessions opened with it open
// nothing. ENOTFOUND for a member of another council or one without a valid card.
func (y *YouthCouncils) RevokeCard(ctx context.Context, c *YouthCouncil, memberID string, audit *AuditEntry) error {
	if _, err := y.FindMember(ctx, c, memberID); err != nil {
		return err
	}
	return y.Store.RevokeCouncilCard(ctx, memberID, y.now(), audit)
}

// MemberSignedIn is a member's open session and the cookie token that proves it.
type MemberSignedIn struct {
	Token   string
	Session *MemberSession
	Member  *CouncilMember
}

// SignInWithCard opens a member session from a card's secret. ECARDINVALID for a secret Voci
// never issued, ECARDREVOKED for a card revoked or replaced, or whose member has left.
func (y *YouthCouncils) SignInWithCard(ctx context.Context, secret string) (*MemberSignedIn, error) {
	invalid := Errorf(ECARDINVALID, "This sign-in card is not valid. Check that the whole link was opened, or ask your coordinator.")
	if !tokenLooksValid(secret) {
		return nil, invalid
	}
	card, err := y.Store.FindCouncilCardByTokenHash(ctx, TokenHash(secret))
	if ErrorCode(err) == ENOTFOUND {
		return nil, invalid
	} else if err != nil {
		return nil, err
	}
	m, err := y.Store.FindCouncilMember(ctx, card.MemberID)
	if err != nil {
		return nil, err
	}
	if m.CardID != card.ID || !m.InOffice() {
		return nil, Errorf(ECARDREVOKED, "This sign-in card no longer works: it was revoked or replaced by a new one. Ask your coordinator for your current card.")
	}
	token, id := NewSessionToken()
	s := &MemberSession{ID: id, MemberID: m.ID, CouncilID: m.CouncilID, Municipality: m.Municipality, CardID: card.ID,
		CSRFToken: NewSecret(), CreatedAt: y.now()}
	if err := y.Store.CreateMemberSession(ctx, s); err != nil {
		return nil, err
	}
	return &MemberSignedIn{Token: token, Session: s, Member: m}, nil
}

// AuthenticateMember returns the session and member a member cookie's token stands for.
// EUNAUTHORIZED when the token is unknown, the session has expired, its card was revoked or
// replaced, or the member has left (the session is then ended).
func (y *YouthCouncils) AuthenticateMember(ctx context.Context, token string) (*MemberSession, *CouncilMember, error) {
	none := Errorf(EUNAUTHORIZED, "Open your sign-in card's link again.")
	if token == "" || len(token) > 100 {
		return nil, nil, none
	}
	s, err := y.Store.FindMemberSession(ctx, SessionID(token))
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, none
	} else if err != nil {
		return nil, nil, err
	}
	m, err := y.Store.FindCouncilMember(ctx, s.MemberID)
	if ErrorCode(err) == ENOTFOUND || (err == nil && (m.CardID != s.CardID || !m.InOffice())) ||
		y.now().Sub(s.CreatedAt) > MemberSessionTTL {
		_ = y.Store.DeleteMemberSession(ctx, s.ID)
		return nil, nil, none
	} else if err != nil {
		return nil, nil, err
	}
	return s, m, nil
}

// MemberView is what a signed-in member sees of their council: its name, their own record,
// and the display names and offices of the other members in office. It holds no consent,
// no age bands of others and no one who left.
type MemberView struct {
	Council *YouthCouncil
	Me      *CouncilMember
	Others  []CouncilMember
}

// ViewForMember returns the member's view of their council.
func (y *YouthCouncils) ViewForMember(ctx context.Context, m *CouncilMember) (*MemberView, error) {
	c, err := y.Store.FindYouthCouncil(ctx, m.Municipality)
	if err != nil {
		return nil, err
	}
	members, err := y.Store.ListCouncilMembers(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	v := &MemberView{Council: c, Me: m}
	for _, o := range members {
		if o.ID != m.ID && o.InOffice() {
			v.Others = append(v.Others, CouncilMember{ID: o.ID, DisplayName: o.RecordName(), Office: o.Office})
		}
	}
	// Officers first, then by name; former members' removed names last.
	rank := func(r CouncilRole) int {
		if i := slices.Index(CouncilRoles, r); i >= 0 {
			return i
		}
		return len(CouncilRoles)
	}
	slices.SortStableFunc(v.Others, func(a, b CouncilMember) int {
		if d := rank(a.Office) - rank(b.Office); d != 0 {
			return d
		}
		if (a.DisplayName == "") != (b.DisplayName == "") {
			if a.DisplayName == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(a.DisplayName, b.DisplayName)
	})
	return v, nil
}

package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// Youth councils. A council is one document (unique by municipality); a member is one
// document holding their guardian's consent and the ID of their one valid sign-in card, so
// that every change to a member, consent or card validity included, is one atomic write of
// that document. Cards are documents of their own (unique by token hash): a card opens
// something only while its member's document names it, so issuing a new card makes the old
// one worthless in the member's one write. A member's office is unique among the members in
// office by a sparse unique index on officeKey, present only while the office is held.

func (s *Store) youthCouncils() *mongo.Collection  { return s.db.Collection("youthCouncils") }
func (s *Store) councilMembers() *mongo.Collection { return s.db.Collection("councilMembers") }
func (s *Store) councilCards() *mongo.Collection   { return s.db.Collection("councilCards") }
func (s *Store) memberSessions() *mongo.Collection { return s.db.Collection("councilMemberSessions") }

// councilIndexes are the indexes of the youth councils' collections.
func (s *Store) councilIndexes(ctx context.Context) error {
	indexes := []struct {
		coll  *mongo.Collection
		model mongo.IndexModel
	}{
		{s.youthCouncils(), mongo.IndexModel{Keys: bson.D{{Key: "municipality", Value: 1}}, Options: options.Index().SetName("municipality_unique").SetUnique(true)}},
		{s.councilMembers(), mongo.IndexModel{Keys: bson.D{{Key: "councilId", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("councilId_createdAt")}},
		{s.councilMembers(), mongo.IndexModel{Keys: bson.D{{Key: "officeKey", Value: 1}}, Options: options.Index().SetName("officeKey_unique").SetUnique(true).SetSparse(true)}},
		{s.councilCards(), mongo.IndexModel{Keys: bson.D{{Key: "tokenHash", Value: 1}}, Options: options.Index().SetName("tokenHash_unique").SetUnique(true)}},
		{s.councilCards(), mongo.IndexModel{Keys: bson.D{{Key: "memberId", Value: 1}}, Options: options.Index().SetName("memberId")}},
		// The server deletes a member's session once it can no longer be used.
		{s.memberSessions(), mongo.IndexModel{Keys: bson.D{{Key: "createdAt", Value: 1}}, Options: options.Index().SetName("createdAt_ttl").
			SetExpireAfterSeconds(int32(voci.MemberSessionTTL / time.Second))}},
	}
	for _, ix := range indexes {
		if _, err := ix.coll.Indexes().CreateOne(ctx, ix.model); err != nil {
			return storeError("create indexes on "+ix.coll.Name(), err)
		}
	}
	return nil
}

type youthCouncilDoc struct {
	ID           string     `bson:"_id"`
	Municipality int        `bson:"municipality"`
	Name         string     `bson:"name"`
	TermStart    time.Time  `bson:"termStart"`
	TermEnd      time.Time  `bson:"termEnd"`
	QuorumNum    int        `bson:"quorumNum"`
	QuorumDen    int        `bson:"quorumDen"`
	Majority     string     `bson:"majority"`
	Chair        string     `bson:"chair"`
	CreatedAt    time.Time  `bson:"createdAt"`
	UpdatedAt    time.Time  `bson:"updatedAt"`
	PendingAudit []auditDoc `bson:"pendingAudit,omitempty"`
}

// CreateYouthCouncil stores a new council; ECONFLICT when the municipality has one.
func (s *Store) CreateYouthCouncil(ctx context.Context, c *voci.YouthCouncil, audit *voci.AuditEntry) error {
	_, err := s.youthCouncils().InsertOne(ctx, youthCouncilDoc{ID: c.ID, Municipality: c.Municipality, Name: c.Name,
		TermStart: c.TermStart.UTC(), TermEnd: c.TermEnd.UTC(), QuorumNum: c.Quorum.Numerator, QuorumDen: c.Quorum.Denominator,
		Majority: string(c.Majority), Chair: string(c.Chair), CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(), PendingAudit: pending(audit)})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "This municipality already has a youth council.")
	}
	if err != nil {
		return storeError("create youth council", err)
	}
	s.completeOne(ctx, s.youthCouncils(), c.ID)
	return nil
}

// FindYouthCouncil returns the municipality's council; ECOUNCILNOTFOUND when it has none.
func (s *Store) FindYouthCouncil(ctx context.Context, municipality int) (*voci.YouthCouncil, error) {
	d, err := findOne[youthCouncilDoc](ctx, s.youthCouncils(), bson.D{{Key: "municipality", Value: municipality}}, "youth council")
	if voci.ErrorCode(err) == voci.ENOTFOUND {
		return nil, voci.Errorf(voci.ECOUNCILNOTFOUND, "This municipality has no youth council yet.")
	}
	if err != nil {
		return nil, err
	}
	return &voci.YouthCouncil{ID: d.ID, Municipality: d.Municipality, Name: d.Name, TermStart: d.TermStart.UTC(), TermEnd: d.TermEnd.UTC(),
		Quorum: voci.QuorumRule{Numerator: d.QuorumNum, Denominator: d.QuorumDen}, Majority: voci.MajorityRule(d.Majority),
		Chair: voci.ChairRule(d.Chair), CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}, nil
}

// UpdateYouthCouncil replaces the council's name, term and rules.
func (s *Store) UpdateYouthCouncil(ctx context.Context, c *voci.YouthCouncil, audit *voci.AuditEntry) error {
	set := bson.D{{Key: "name", Value: c.Name}, {Key: "termStart", Value: c.TermStart.UTC()}, {Key: "termEnd", Value: c.TermEnd.UTC()},
		{Key: "quorumNum", Value: c.Quorum.Numerator}, {Key: "quorumDen", Value: c.Quorum.Denominator},
		{Key: "majority", Value: string(c.Majority)}, {Key: "chair", Value: string(c.Chair)}, {Key: "updatedAt", Value: c.UpdatedAt.UTC()}}
	res, err := s.youthCouncils().UpdateOne(ctx, bson.D{{Key: "_id", Value: c.ID}}, withPending(bson.D{{Key: "$set", Value: set}}, audit))
	if err != nil {
		return storeError("update youth council", err)
	}
	if res.MatchedCount == 0 {
		return voci.Errorf(voci.ECOUNCILNOTFOUND, "This municipality has no youth council yet.")
	}
	s.completeOne(ctx, s.youthCouncils(), c.ID)
	return nil
}

type consentDoc struct {
	GuardianName string     `bson:"guardianName"`
	GivenOn      time.Time  `bson:"givenOn"`
	Method       string     `bson:"method"`
	Scope        string     `bson:"scope"`
	RecordedBy   string     `bson:"recordedBy"`
	RecordedAt   time.Time  `bson:"recordedAt"`
	WithdrawnOn  *time.Time `bson:"withdrawnOn"`
}

type councilMemberDoc struct {
	ID           string      `bson:"_id"`
	CouncilID    string      `bson:"councilId"`
	Municipality int         `bson:"municipality"`
	DisplayName  string      `bson:"displayName"`
	AgeBand      string      `bson:"ageBand"`
	Office       string      `bson:"office"`
	OfficeKey    *string     `bson:"officeKey,omitempty"` // councilId/office while held by a member in office
	JoinedOn     time.Time   `bson:"joinedOn"`
	LeftOn       *time.Time  `bson:"leftOn"`
	NameRemoved  bool        `bson:"nameRemoved"`
	Consent      *consentDoc `bson:"consent"`
	CardID       string      `bson:"cardId"`
	Version      int         `bson:"version"`
	CreatedAt    time.Time   `bson:"createdAt"`
	UpdatedAt    time.Time   `bson:"updatedAt"`
	PendingAudit []auditDoc  `bson:"pendingAudit,omitempty"`
}

func officeKey(m *voci.CouncilMember) *string {
	if m.Office == voci.CouncilRoleNone || !m.InOffice() {
		return nil
	}
	k := m.CouncilID + "/" + string(m.Office)
	return &k
}

func toConsentDoc(g *voci.GuardianConsent) *consentDoc {
	if g == nil {
		return nil
	}
	return &consentDoc{GuardianName: g.GuardianName, GivenOn: g.GivenOn.UTC(), Method: string(g.Method), Scope: g.Scope,
		RecordedBy: g.RecordedBy, RecordedAt: g.RecordedAt.UTC(), WithdrawnOn: optionalTime(g.WithdrawnOn)}
}

func (d *councilMemberDoc) member() *voci.CouncilMember {
	m := &voci.CouncilMember{ID: d.ID, CouncilID: d.CouncilID, Municipality: d.Municipality, DisplayName: d.DisplayName,
		AgeBand: voci.AgeBand(d.AgeBand), Office: voci.CouncilRole(d.Office), JoinedOn: d.JoinedOn.UTC(), LeftOn: fromOptional(d.LeftOn),
		NameRemoved: d.NameRemoved, CardID: d.CardID, Version: d.Version, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
	if g := d.Consent; g != nil {
		m.Consent = &voci.GuardianConsent{GuardianName: g.GuardianName, GivenOn: g.GivenOn.UTC(), Method: voci.ConsentMethod(g.Method),
			Scope: g.Scope, RecordedBy: g.RecordedBy, RecordedAt: g.RecordedAt.UTC(), WithdrawnOn: fromOptional(g.WithdrawnOn)}
	}
	return m
}

// CreateCouncilMember stores a new member; EOFFICETAKEN when the office is held.
func (s *Store) CreateCouncilMember(ctx context.Context, m *voci.CouncilMember, audit *voci.AuditEntry) error {
	_, err := s.councilMembers().InsertOne(ctx, councilMemberDoc{ID: m.ID, CouncilID: m.CouncilID, Municipality: m.Municipality,
		DisplayName: m.DisplayName, AgeBand: string(m.AgeBand), Office: string(m.Office), OfficeKey: officeKey(m), JoinedOn: m.JoinedOn.UTC(),
		LeftOn: optionalTime(m.LeftOn), NameRemoved: m.NameRemoved, Consent: toConsentDoc(m.Consent), CardID: m.CardID, Version: m.Version,
		CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(), PendingAudit: pending(audit)})
	if mongo.IsDuplicateKeyError(err) {
		if officeKey(m) != nil {
			return voci.OfficeTaken(m.Office)
		}
		return voci.Errorf(voci.ECONFLICT, "A member with this identifier exists.")
	}
	if err != nil {
		return storeError("create council member", err)
	}
	s.completeOne(ctx, s.councilMembers(), m.ID)
	return nil
}

// FindCouncilMember returns ENOTFOUND for an unknown member.
func (s *Store) FindCouncilMember(ctx context.Context, id string) (*voci.CouncilMember, error) {
	d, err := findOne[councilMemberDoc](ctx, s.councilMembers(), bson.D{{Key: "_id", Value: id}}, "member in this council")
	if err != nil {
		return nil, err
	}
	return d.member(), nil
}

// ListCouncilMembers returns the council's members in the order they were added.
func (s *Store) ListCouncilMembers(ctx context.Context, councilID string) ([]voci.CouncilMember, error) {
	cur, err := s.councilMembers().Find(ctx, bson.D{{Key: "councilId", Value: councilID}},
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}).SetProjection(bson.D{{Key: pendingField, Value: 0}}))
	if err != nil {
		return nil, storeError("list council members", err)
	}
	var docs []councilMemberDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError("list council members", err)
	}
	out := make([]voci.CouncilMember, 0, len(docs))
	for i := range docs {
		out = append(out, *docs[i].member())
	}
	return out, nil
}

// UpdateCouncilMember stores the member's record if it is still at m.Version-1.
func (s *Store) UpdateCouncilMember(ctx context.Context, m *voci.CouncilMember, audit *voci.AuditEntry) error {
	set := bson.D{{Key: "displayName", Value: m.DisplayName}, {Key: "ageBand", Value: string(m.AgeBand)}, {Key: "office", Value: string(m.Office)},
		{Key: "joinedOn", Value: m.JoinedOn.UTC()}, {Key: "leftOn", Value: optionalTime(m.LeftOn)}, {Key: "nameRemoved", Value: m.NameRemoved},
		{Key: "consent", Value: toConsentDoc(m.Consent)}, {Key: "version", Value: m.Version}, {Key: "updatedAt", Value: m.UpdatedAt.UTC()}}
	update := bson.D{}
	if k := officeKey(m); k != nil {
		set = append(set, bson.E{Key: "officeKey", Value: *k})
		update = append(update, bson.E{Key: "$set", Value: set})
	} else {
		update = append(update, bson.E{Key: "$set", Value: set}, bson.E{Key: "$unset", Value: bson.D{{Key: "officeKey", Value: ""}}})
	}
	res, err := s.councilMembers().UpdateOne(ctx, bson.D{{Key: "_id", Value: m.ID}, {Key: "version", Value: m.Version - 1}}, withPending(update, audit))
	if mongo.IsDuplicateKeyError(err) {
		return voci.OfficeTaken(m.Office)
	}
	if err != nil {
		return storeError("update council member", err)
	}
	if res.MatchedCount == 0 {
		if _, err := s.FindCouncilMember(ctx, m.ID); err != nil {
			return err
		}
		return voci.Errorf(voci.ECONFLICT, "Someone changed this member's record meanwhile. Reload it and try again.")
	}
	s.completeOne(ctx, s.councilMembers(), m.ID)
	return nil
}

type councilCardDoc struct {
	ID           string     `bson:"_id"`
	MemberID     string     `bson:"memberId"`
	CouncilID    string     `bson:"councilId"`
	Municipality int        `bson:"municipality"`
	TokenHash    string     `bson:"tokenHash"`
	IssuedBy     string     `bson:"issuedBy"`
	IssuedAt     time.Time  `bson:"issuedAt"`
	RevokedAt    *time.Time `bson:"revokedAt"`
}

// IssueCouncilCard stores the card, then makes it its member's one valid card in the
// member's one write (with the audit entry); a card whose member turns out gone or left is
// taken back. Earlier cards are marked revoked afterwards, for the record only: they stopped
// opening anything with the member's write.
func (s *Store) IssueCouncilCard(ctx context.Context, card *voci.CouncilCard, audit *voci.AuditEntry) error {
	_, err := s.councilCards().InsertOne(ctx, councilCardDoc{ID: card.ID, MemberID: card.MemberID, CouncilID: card.CouncilID,
		Municipality: card.Municipality, TokenHash: card.TokenHash, IssuedBy: card.IssuedBy, IssuedAt: card.IssuedAt.UTC()})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "This card exists already.")
	}
	if err != nil {
		return storeError("issue council card", err)
	}
	res, err := s.councilMembers().UpdateOne(ctx, bson.D{{Key: "_id", Value: card.MemberID}, {Key: "leftOn", Value: nil}},
		withPending(bson.D{{Key: "$set", Value: bson.D{{Key: "cardId", Value: card.ID}}}}, audit))
	if err == nil && res.MatchedCount == 0 {
		err = voci.Errorf(voci.EMEMBERLEFT, "This member has left the council; they get no card.")
		if _, ferr := s.FindCouncilMember(ctx, card.MemberID); ferr != nil {
			err = ferr
		}
	}
	if err != nil {
		_, _ = s.councilCards().DeleteOne(ctx, bson.D{{Key: "_id", Value: card.ID}})
		return storeError("issue council card", err)
	}
	s.completeOne(ctx, s.councilMembers(), card.MemberID)
	_, err = s.councilCards().UpdateMany(ctx, bson.D{{Key: "memberId", Value: card.MemberID}, {Key: "_id", Value: bson.D{{Key: "$ne", Value: card.ID}}},
		{Key: "revokedAt", Value: nil}}, bson.D{{Key: "$set", Value: bson.D{{Key: "revokedAt", Value: card.IssuedAt.UTC()}}}})
	return storeError("mark earlier council cards revoked", err)
}

// RevokeCouncilCard clears the member's valid card in one write, then marks it revoked.
func (s *Store) RevokeCouncilCard(ctx context.Context, memberID string, at time.Time, audit *voci.AuditEntry) error {
	var before councilMemberDoc
	err := s.councilMembers().FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: memberID}, {Key: "cardId", Value: bson.D{{Key: "$ne", Value: ""}}}},
		withPending(bson.D{{Key: "$set", Value: bson.D{{Key: "cardId", Value: ""}}}}, audit),
		options.FindOneAndUpdate().SetProjection(bson.D{{Key: "cardId", Value: 1}})).Decode(&before)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return voci.Errorf(voci.ENOTFOUND, "This member has no valid sign-in card.")
	}
	if err != nil {
		return storeError("revoke council card", err)
	}
	s.completeOne(ctx, s.councilMembers(), memberID)
	_, err = s.councilCards().UpdateOne(ctx, bson.D{{Key: "_id", Value: before.CardID}, {Key: "revokedAt", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "revokedAt", Value: at.UTC()}}}})
	return storeError("mark council card revoked", err)
}

// FindCouncilCardByTokenHash returns ENOTFOUND when no card has the hash.
func (s *Store) FindCouncilCardByTokenHash(ctx context.Context, hash string) (*voci.CouncilCard, error) {
	d, err := findOne[councilCardDoc](ctx, s.councilCards(), bson.D{{Key: "tokenHash", Value: hash}}, "card")
	if err != nil {
		return nil, err
	}
	return &voci.CouncilCard{ID: d.ID, MemberID: d.MemberID, CouncilID: d.CouncilID, Municipality: d.Municipality, TokenHash: d.TokenHash,
		IssuedBy: d.IssuedBy, IssuedAt: d.IssuedAt.UTC(), RevokedAt: fromOptional(d.RevokedAt)}, nil
}

type memberSessionDoc struct {
	ID           string    `bson:"_id"`
	MemberID     string    `bson:"memberId"`
	CouncilID    string    `bson:"councilId"`
	Municipality int       `bson:"municipality"`
	CardID       string    `bson:"cardId"`
	CSRFToken    string    `bson:"csrfToken"`
	CreatedAt    time.Time `bson:"createdAt"`
}

// CreateMemberSession stores a member's new session.
func (s *Store) CreateMemberSession(ctx context.Context, ms *voci.MemberSession) error {
	_, err := s.memberSessions().InsertOne(ctx, memberSessionDoc{ID: ms.ID, MemberID: ms.MemberID, CouncilID: ms.CouncilID,
		Municipality: ms.Municipality, CardID: ms.CardID, CSRFToken: ms.CSRFToken, CreatedAt: ms.CreatedAt.UTC()})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "This session exists already.")
	}
	return storeError("create member session", err)
}

// FindMemberSession returns ENOTFOUND for an unknown session.
func (s *Store) FindMemberSession(ctx context.Context, id string) (*voci.MemberSession, error) {
	d, err := findOne[memberSessionDoc](ctx, s.memberSessions(), bson.D{{Key: "_id", Value: id}}, "session")
	if err != nil {
		return nil, err
	}
	return &voci.MemberSession{ID: d.ID, MemberID: d.MemberID, CouncilID: d.CouncilID, Municipality: d.Municipality,
		CardID: d.CardID, CSRFToken: d.CSRFToken, CreatedAt: d.CreatedAt.UTC()}, nil
}

// DeleteMemberSession ends a session.
func (s *Store) DeleteMemberSession(ctx context.Context, id string) error {
	_, err := s.memberSessions().DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	return storeError("delete member session", err)
}

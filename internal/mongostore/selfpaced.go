package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"

	"github.com/voci-platform/voci/internal/voci"
)

// ---- self-paced links

// selfPacedLinkDoc is keyed by the consultation, so that a consultation has one link whatever
// the race; the key has a unique index of its own.
type selfPacedLinkDoc struct {
	ConsultationID string    `bson:"_id"`
	Key            string    `bson:"key"`
	Municipality   int       `bson:"municipality"`
	CreatedBy      string    `bson:"createdBy"`
	CreatedAt      time.Time `bson:"createdAt"`
}

func (d selfPacedLinkDoc) link() *voci.SelfPacedLink {
	return &voci.SelfPacedLink{Key: d.Key, ConsultationID: d.ConsultationID, Municipality: d.Municipality, CreatedBy: d.CreatedBy,
		CreatedAt: d.CreatedAt.UTC()}
}

// CreateSelfPacedLink stores a link; ECONFLICT when the consultation has one or the key is taken.
func (s *Store) CreateSelfPacedLink(ctx context.Context, l *voci.SelfPacedLink) error {
	_, err := s.selfPacedLinks.InsertOne(ctx, selfPacedLinkDoc{ConsultationID: l.ConsultationID, Key: l.Key,
		Municipality: l.Municipality, CreatedBy: l.CreatedBy, CreatedAt: l.CreatedAt.UTC()})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "This consultation has a self-paced link already.")
	}
	return storeError("create self-paced link", err)
}

func (s *Store) findSelfPacedLink(ctx context.Context, filter bson.D) (*voci.SelfPacedLink, error) {
	d, err := findOne[selfPacedLinkDoc](ctx, s.selfPacedLinks, filter, "self-paced link")
	if err != nil {
		return nil, err
	}
	return d.link(), nil
}

// FindSelfPacedLink returns the consultation's link, or ENOTFOUND.
func (s *Store) FindSelfPacedLink(ctx context.Context, consultationID string) (*voci.SelfPacedLink, error) {
	return s.findSelfPacedLink(ctx, bson.D{{Key: "_id", Value: consultationID}})
}

// FindSelfPacedLinkByKey returns ENOTFOUND when no link has the key.
func (s *Store) FindSelfPacedLinkByKey(ctx context.Context, key string) (*voci.SelfPacedLink, error) {
	return s.findSelfPacedLink(ctx, bson.D{{Key: "key", Value: key}})
}

// ---- self-paced participants

type selfPacedParticipantDoc struct {
	ID             string    `bson:"_id"`
	ConsultationID string    `bson:"consultationId"`
	TokenHash      string    `bson:"tokenHash"`
	Alias          string    `bson:"alias"`
	Lang           string    `bson:"lang"`
	AgeBand        string    `bson:"ageBand"`
	Gender         string    `bson:"gender"`
	Rerolls        int       `bson:"rerolls"`
	JoinedAt       time.Time `bson:"joinedAt"`
	UpdatedAt      time.Time `bson:"updatedAt"`
}

// CreateSelfPacedParticipant stores a participant of a self-paced link; ECONFLICT if the ID
// or token exists.
func (s *Store) CreateSelfPacedParticipant(ctx context.Context, p *voci.Participant) error {
	_, err := s.selfPacedParticipants.InsertOne(ctx, selfPacedParticipantDoc{ID: p.ID, ConsultationID: p.ConsultationID,
		TokenHash: p.TokenHash, Alias: p.Alias, Lang: string(p.Lang), AgeBand: string(p.AgeBand), Gender: string(p.Gender),
		Rerolls: p.Rerolls, JoinedAt: p.JoinedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC()})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "A participant with this identifier already exists.")
	}
	return storeError("create self-paced participant", err)
}

// FindSelfPacedParticipantByTokenHash returns ENOTFOUND when no self-paced participant has
// the token.
func (s *Store) FindSelfPacedParticipantByTokenHash(ctx context.Context, hash string) (*voci.Participant, error) {
	return s.findSelfPacedParticipant(ctx, bson.D{{Key: "tokenHash", Value: hash}})
}

// FindSelfPacedParticipantByID returns ENOTFOUND when no self-paced participant has the ID.
func (s *Store) FindSelfPacedParticipantByID(ctx context.Context, id string) (*voci.Participant, error) {
	return s.findSelfPacedParticipant(ctx, bson.D{{Key: "_id", Value: id}})
}

func (s *Store) findSelfPacedParticipant(ctx context.Context, filter bson.D) (*voci.Participant, error) {
	d, err := findOne[selfPacedParticipantDoc](ctx, s.selfPacedParticipants, filter, "participant")
	if err != nil {
		return nil, err
	}
	return &voci.Participant{ID: d.ID, ConsultationID: d.ConsultationID, TokenHash: d.TokenHash, Alias: d.Alias,
		Lang: voci.Lang(d.Lang), AgeBand: voci.AgeBand(d.AgeBand), Gender: voci.Gender(d.Gender), Rerolls: d.Rerolls,
		JoinedAt: d.JoinedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}, nil
}

// UpdateSelfPacedParticipant replaces the participant's alias, language, profile and rerolls.
func (s *Store) UpdateSelfPacedParticipant(ctx context.Context, p *voci.Participant) error {
	res, err := s.selfPacedParticipants.UpdateOne(ctx, bson.D{{Key: "_id", Value: p.ID}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "alias", Value: p.Alias}, {Key: "lang", Value: string(p.Lang)}, {Key: "ageBand", Value: string(p.AgeBand)},
		{Key: "gender", Value: string(p.Gender)}, {Key: "rerolls", Value: p.Rerolls}, {Key: "updatedAt", Value: p.UpdatedAt.UTC()},
	}}})
	return matchedOne("update self-paced participant", res, err, "No such participant.")
}

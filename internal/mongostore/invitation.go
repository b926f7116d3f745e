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

// invitationDoc is an invitation with its role grants embedded. usedAt and revokedAt are null
// until set; using or revoking is one conditional single-document update.
type invitationDoc struct {
	ID           string     `bson:"_id"`
	TokenHash    string     `bson:"tokenHash"` // unique index tokenHash_unique
	Email        string     `bson:"email"`
	Roles        []roleDoc  `bson:"roles"`
	InvitedBy    string     `bson:"invitedBy"`
	Lang         string     `bson:"lang"`
	CreatedAt    time.Time  `bson:"createdAt"`
	ExpiresAt    time.Time  `bson:"expiresAt"`
	UsedAt       *time.Time `bson:"usedAt"`
	RevokedAt    *time.Time `bson:"revokedAt"`
	PendingAudit []auditDoc `bson:"pendingAudit,omitempty"` // see outbox.go
}

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func fromOptional(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func (d invitationDoc) invitation() voci.Invitation {
	inv := voci.Invitation{
		ID: d.ID, TokenHash: d.TokenHash, Email: d.Email, InvitedBy: d.InvitedBy, Lang: d.Lang,
		CreatedAt: d.CreatedAt.UTC(), ExpiresAt: d.ExpiresAt.UTC(), UsedAt: fromOptional(d.UsedAt), RevokedAt: fromOptional(d.RevokedAt),
	}
	for _, r := range d.Roles {
		inv.Roles = append(inv.Roles, voci.RoleGrant{Role: voci.Role(r.Role), Municipality: r.Municipality})
	}
	return inv
}

// CreateInvitation stores a new invitation as one document. It returns ECONFLICT when the ID
// or the token hash exists.
func (s *Store) CreateInvitation(ctx context.Context, inv *voci.Invitation, audit *voci.AuditEntry) error {
	_, err := s.invitations.InsertOne(ctx, invitationDoc{
		ID: inv.ID, TokenHash: inv.TokenHash, Email: inv.Email, Roles: roleDocs(inv.Roles), InvitedBy: inv.InvitedBy,
		Lang: inv.Lang, CreatedAt: inv.CreatedAt.UTC(), ExpiresAt: inv.ExpiresAt.UTC(),
		UsedAt: optionalTime(inv.UsedAt), RevokedAt: optionalTime(inv.RevokedAt), PendingAudit: pending(audit),
	})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "An invitation with this identifier or link already exists.")
	}
	if err != nil {
		return storeError("create invitation", err)
	}
	s.completeOne(ctx, s.invitations, inv.ID)
	return nil
}

func (s *Store) findInvitation(ctx context.Context, filter bson.D) (*voci.Invitation, error) {
	d, err := findOne[invitationDoc](ctx, s.invitations, filter, "invitation")
	if err != nil {
		return nil, err
	}
	inv := d.invitation()
	return &inv, nil
}

// FindInvitationByID returns ENOTFOUND when there is none.
func (s *Store) FindInvitationByID(ctx context.Context, id string) (*voci.Invitation, error) {
	return s.findInvitation(ctx, bson.D{{Key: "_id", Value: id}})
}

// FindInvitationByTokenHash returns ENOTFOUND when there is none.
func (s *Store) FindInvitationByTokenHash(ctx context.Context, hash string) (*voci.Invitation, error) {
	return s.findInvitation(ctx, bson.D{{Key: "tokenHash", Value: hash}})
}

// usableFilter matches the invitation or reset with that token hash while it can be used at.
func usableFilter(key, hash string, at time.Time, revocable bool) bson.D {
	f := bson.D{
		{Key: key, Value: hash},
		{Key: "usedAt", Value: nil},
		{Key: "expiresAt", Value: bson.D{{Key: "$gt", Value: at.UTC()}}},
	}
	if revocable {
		f = append(f, bson.E{Key: "revokedAt", Value: nil})
	}
	return f
}

// FindPendingInvitations returns at most f.Limit pending invitations, newest first (ties by
// ID, descending).
func (s *Store) FindPendingInvitations(ctx context.Context, f voci.InvitationFilter) ([]voci.Invitation, error) {
	if f.Municipalities != nil && len(f.Municipalities) == 0 {
		return nil, nil
	}
	if f.Limit < 1 {
		return nil, voci.InvalidParam("limit", "The page size must be at least 1.")
	}
	filter := bson.D{
		{Key: "usedAt", Value: nil},
		{Key: "revokedAt", Value: nil},
		{Key: "expiresAt", Value: bson.D{{Key: "$gt", Value: f.Now.UTC()}}},
	}
	if len(f.Municipalities) > 0 {
		filter = append(filter, bson.E{Key: "roles.municipality", Value: bson.D{{Key: "$in", Value: f.Municipalities}}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(f.Limit))
	cur, err := s.invitations.Find(ctx, filter, opts)
	if err != nil {
		return nil, storeError("find pending invitations", err)
	}
	var docs []invitationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError("find pending invitations", err)
	}
	var out []voci.Invitation
	for _, d := range docs {
		out = append(out, d.invitation())
	}
	return out, nil
}

// ConsumeInvitation marks the invitation used with one FindOneAndUpdate whose filter requires
// it unused, unrevoked and unexpired, so of racing requests exactly one matches. It returns
// ENOTFOUND otherwise.
func (s *Store) ConsumeInvitation(ctx context.Context, hash string, at time.Time, audit *voci.AuditEntry) (*voci.Invitation, error) {
	var d invitationDoc
	err := s.invitations.FindOneAndUpdate(ctx, usableFilter("tokenHash", hash, at, true),
		withPending(bson.D{{Key: "$set", Value: bson.D{{Key: "usedAt", Value: at.UTC()}}}}, audit),
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No usable invitation has this link.")
	}
	if err != nil {
		return nil, storeError("consume invitation", err)
	}
	s.completeOne(ctx, s.invitations, d.ID)
	inv := d.invitation()
	return &inv, nil
}

// RevokeInvitation marks a pending invitation revoked. It returns ENOTFOUND for an unknown ID
// and ECONFLICT when the invitation was already used or revoked.
func (s *Store) RevokeInvitation(ctx context.Context, id string, at time.Time, audit *voci.AuditEntry) error {
	res, err := s.invitations.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "usedAt", Value: nil}, {Key: "revokedAt", Value: nil}},
		withPending(bson.D{{Key: "$set", Value: bson.D{{Key: "revokedAt", Value: at.UTC()}}}}, audit))
	if err != nil {
		return storeError("revoke invitation", err)
	}
	if res.MatchedCount > 0 {
		s.completeOne(ctx, s.invitations, id)
		return nil
	}
	inv, err := s.FindInvitationByID(ctx, id)
	if err != nil {
		return err
	}
	if !inv.UsedAt.IsZero() {
		return voci.Errorf(voci.ECONFLICT, "This invitation has already been accepted.")
	}
	return voci.Errorf(voci.ECONFLICT, "This invitation has already been withdrawn.")
}

// RenewInvitation replaces the token hash and expiry with one FindOneAndUpdate whose filter
// requires the invitation unused and unrevoked, and returns it afterwards. ENOTFOUND for an
// unknown ID; ECONFLICT when it was used or revoked, or the hash is taken.
func (s *Store) RenewInvitation(ctx context.Context, id, tokenHash string, expiresAt time.Time, audit *voci.AuditEntry) (*voci.Invitation, error) {
	var d invitationDoc
	err := s.invitations.FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "usedAt", Value: nil}, {Key: "revokedAt", Value: nil}},
		withPending(bson.D{{Key: "$set", Value: bson.D{{Key: "tokenHash", Value: tokenHash}, {Key: "expiresAt", Value: expiresAt.UTC()}}}}, audit),
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if mongo.IsDuplicateKeyError(err) {
		return nil, voci.Errorf(voci.ECONFLICT, "An invitation with this link already exists.")
	}
	if err == nil {
		s.completeOne(ctx, s.invitations, id)
		inv := d.invitation()
		return &inv, nil
	}
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, storeError("renew invitation", err)
	}
	inv, err := s.FindInvitationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !inv.UsedAt.IsZero() {
		return nil, voci.Errorf(voci.ECONFLICT, "This invitation has already been accepted.")
	}
	return nil, voci.Errorf(voci.ECONFLICT, "This invitation has already been withdrawn.")
}

// passwordResetDoc is a reset link, keyed by the SHA-256 of its secret.
type passwordResetDoc struct {
	TokenHash    string     `bson:"_id"`
	AccountID    string     `bson:"accountId"`
	CreatedAt    time.Time  `bson:"createdAt"`
	ExpiresAt    time.Time  `bson:"expiresAt"`
	UsedAt       *time.Time `bson:"usedAt"`
	PendingAudit []auditDoc `bson:"pendingAudit,omitempty"` // see outbox.go
}

func (d passwordResetDoc) reset() *voci.PasswordReset {
	return &voci.PasswordReset{TokenHash: d.TokenHash, AccountID: d.AccountID, CreatedAt: d.CreatedAt.UTC(),
		ExpiresAt: d.ExpiresAt.UTC(), UsedAt: fromOptional(d.UsedAt)}
}

// CreatePasswordReset stores a new reset link. It returns ECONFLICT when the hash exists and
// ENOTFOUND when the account does not (MongoDB has no foreign keys, so it looks first; an
// account is never deleted, so the look cannot go stale).
func (s *Store) CreatePasswordReset(ctx context.Context, r *voci.PasswordReset, audit *voci.AuditEntry) error {
	if _, err := s.FindAccountByID(ctx, r.AccountID); err != nil {
		return err
	}
	_, err := s.passwordResets.InsertOne(ctx, passwordResetDoc{TokenHash: r.TokenHash, AccountID: r.AccountID,
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), UsedAt: optionalTime(r.UsedAt), PendingAudit: pending(audit)})
	if mongo.IsDuplicateKeyError(err) {
		return voci.Errorf(voci.ECONFLICT, "A password reset with this link already exists.")
	}
	if err != nil {
		return storeError("create password reset", err)
	}
	if audit != nil {
		s.completeOne(ctx, s.passwordResets, r.TokenHash)
	}
	return nil
}

// FindPasswordReset returns ENOTFOUND when no reset has that token hash.
func (s *Store) FindPasswordReset(ctx context.Context, hash string) (*voci.PasswordReset, error) {
	d, err := findOne[passwordResetDoc](ctx, s.passwordResets, bson.D{{Key: "_id", Value: hash}}, "password reset")
	if err != nil {
		return nil, err
	}
	return d.reset(), nil
}

// ConsumePasswordReset marks the reset used with one conditional FindOneAndUpdate; ENOTFOUND
// when it is unknown, used or expired at `at`.
func (s *Store) ConsumePasswordReset(ctx context.Context, hash string, at time.Time) (*voci.PasswordReset, error) {
	var d passwordResetDoc
	err := s.passwordResets.FindOneAndUpdate(ctx, usableFilter("_id", hash, at, false),
		bson.D{{Key: "$set", Value: bson.D{{Key: "usedAt", Value: at.UTC()}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No usable password reset has this link.")
	}
	if err != nil {
		return nil, storeError("consume password reset", err)
	}
	return d.reset(), nil
}

// SpendPasswordResets marks every unused reset of the account used.
func (s *Store) SpendPasswordResets(ctx context.Context, accountID string, at time.Time) (int, error) {
	res, err := s.passwordResets.UpdateMany(ctx,
		bson.D{{Key: "accountId", Value: accountID}, {Key: "usedAt", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "usedAt", Value: at.UTC()}}}})
	if err != nil {
		return 0, storeError("spend password resets", err)
	}
	return int(res.ModifiedCount), nil
}

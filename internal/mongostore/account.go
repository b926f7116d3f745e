package mongostore

import (
	"context"
	"errors"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// accountDoc is an account with its role grants embedded, so that every change to an account
// is one atomic single-document write. Times are BSON dates: UTC, millisecond precision.
type accountDoc struct {
	ID           string `bson:"_id"`
	Email        string `bson:"email"` // unique index email_unique
	DisplayName  string `bson:"displayName"`
	PasswordHash string `bson:"passwordHash"`
	TOTPSecret   string `bson:"totpSecret"`
	TOTPEnabled  bool   `bson:"totpEnabled"`
	// TOTPLastStep is the time step of the last second-factor code used (UseTOTPStep);
	// absent until one is.
	TOTPLastStep int64     `bson:"totpLastStep,omitempty"`
	Roles        []roleDoc `bson:"roles"`
	Disabled     bool      `bson:"disabled"`
	Lang         string    `bson:"lang"` // absent from documents written before accounts had one: ""
	CreatedAt    time.Time `bson:"createdAt"`
	UpdatedAt    time.Time `bson:"updatedAt"`
}

type roleDoc struct {
	Role         string `bson:"role"`
	Municipality int    `bson:"municipality"` // SIRUTA code; 0 for platform-wide roles
}

// roleDocs always returns a non-nil slice, so that an account without roles stores an empty
// array rather than null.
func roleDocs(grants []voci.RoleGrant) []roleDoc {
	docs := make([]roleDoc, 0, len(grants))
	for _, g := range grants {
		docs = append(docs, roleDoc{Role: string(g.Role), Municipality: g.Municipality})
	}
	return docs
}

func (d accountDoc) account() *voci.Account {
	a := &voci.Account{
		ID:           d.ID,
		Email:        d.Email,
		DisplayName:  d.DisplayName,
		PasswordHash: d.PasswordHash,
		TOTPSecret:   d.TOTPSecret,
		TOTPEnabled:  d.TOTPEnabled,
		Disabled:     d.Disabled,
		Lang:         d.Lang,
		CreatedAt:    d.CreatedAt.UTC(),
		UpdatedAt:    d.UpdatedAt.UTC(),
	}
	for _, r := range d.Roles {
		a.Roles = append(a.Roles, voci.RoleGrant{Role: voci.Role(r.Role), Municipality: r.Municipality})
	}
	return a
}

// CreateAccount stores a validated account as one document. It returns ECONFLICT when the
// email or the ID is already taken; the unique indexes decide, so two concurrent creates with
// one email cannot both succeed.
func (s *Store) CreateAccount(ctx context.Context, a *voci.Account) error {
	doc := accountDoc{
		ID:           a.ID,
		Email:        a.Email,
		DisplayName:  a.DisplayName,
		PasswordHash: a.PasswordHash,
		TOTPSecret:   a.TOTPSecret,
		TOTPEnabled:  a.TOTPEnabled,
		Roles:        roleDocs(a.Roles),
		Disabled:     a.Disabled,
		Lang:         a.Lang,
		CreatedAt:    a.CreatedAt.UTC(),
		UpdatedAt:    a.UpdatedAt.UTC(),
	}
	_, err := s.accounts.InsertOne(ctx, doc)
	if mongo.IsDuplicateKeyError(err) {
		// The server names the index in the message: "... index: _id_ dup key: ...".
		if strings.Contains(err.Error(), "index: _id_ ") {
			return voci.Errorf(voci.ECONFLICT, "An account with this identifier already exists.")
		}
		return voci.Errorf(voci.ECONFLICT, "An account with this email already exists.")
	}
	return storeError("create account", err)
}

// FindAccountByID returns ENOTFOUND when there is no such account.
func (s *Store) FindAccountByID(ctx context.Context, id string) (*voci.Account, error) {
	return s.findAccount(ctx, bson.D{{Key: "_id", Value: id}})
}

// FindAccountByEmail looks the normalized email up; it returns ENOTFOUND when absent.
func (s *Store) FindAccountByEmail(ctx context.Context, email string) (*voci.Account, error) {
	return s.findAccount(ctx, bson.D{{Key: "email", Value: email}})
}

func (s *Store) findAccount(ctx context.Context, filter bson.D) (*voci.Account, error) {
	d, err := findOne[accountDoc](ctx, s.accounts, filter, "account")
	if err != nil {
		return nil, err
	}
	return d.account(), nil
}

// UpdateAccount applies the set fields of upd in one FindOneAndUpdate and returns the account
// as it is afterwards. Roles, when set, replace all grants. UpdatedAt is written when it is not
// zero. It returns ENOTFOUND for an unknown ID.
func (s *Store) UpdateAccount(ctx context.Context, id string, upd voci.AccountUpdate) (*voci.Account, error) {
	set := bson.D{}
	if upd.DisplayName != nil {
		set = append(set, bson.E{Key: "displayName", Value: *upd.DisplayName})
	}
	if upd.PasswordHash != nil {
		set = append(set, bson.E{Key: "passwordHash", Value: *upd.PasswordHash})
	}
	if upd.TOTPSecret != nil {
		set = append(set, bson.E{Key: "totpSecret", Value: *upd.TOTPSecret})
	}
	if upd.TOTPEnabled != nil {
		set = append(set, bson.E{Key: "totpEnabled", Value: *upd.TOTPEnabled})
	}
	if upd.Roles != nil {
		set = append(set, bson.E{Key: "roles", Value: roleDocs(*upd.Roles)})
	}
	if upd.Disabled != nil {
		set = append(set, bson.E{Key: "disabled", Value: *upd.Disabled})
	}
	if upd.Lang != nil {
		set = append(set, bson.E{Key: "lang", Value: *upd.Lang})
	}
	if !upd.UpdatedAt.IsZero() {
		set = append(set, bson.E{Key: "updatedAt", Value: upd.UpdatedAt.UTC()})
	}
	if len(set) == 0 && upd.Audit == nil {
		// MongoDB refuses an empty $set; with nothing to change the answer is the account.
		return s.FindAccountByID(ctx, id)
	}
	update := bson.D{}
	if len(set) > 0 {
		update = append(update, bson.E{Key: "$set", Value: set})
	}

	var d accountDoc
	err := s.accounts.FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: id}},
		withPending(update, upd.Audit),
		options.FindOneAndUpdate().SetReturnDocument(options.After),
	).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such account.")
	}
	if err != nil {
		return nil, storeError("update account", err)
	}
	if upd.Audit != nil {
		s.completeOne(ctx, s.accounts, id)
	}
	return d.account(), nil
}

// CountAccounts returns how many accounts exist. It counts documents rather than reading the
// collection's metadata, which can be off after an unclean shutdown.
func (s *Store) CountAccounts(ctx context.Context) (int, error) {
	n, err := s.accounts.CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, storeError("count accounts", err)
	}
	return int(n), nil
}

// UseTOTPStep records step as the account's last second-factor step when it is later than
// the one recorded, in one single-document update whose filter holds the condition. It
// returns ECONFLICT otherwise and ENOTFOUND for an unknown account.
func (s *Store) UseTOTPStep(ctx context.Context, accountID string, step int64) error {
	res, err := s.accounts.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: accountID}, {Key: "$or", Value: bson.A{
			bson.D{{Key: "totpLastStep", Value: bson.D{{Key: "$lt", Value: step}}}},
			bson.D{{Key: "totpLastStep", Value: bson.D{{Key: "$exists", Value: false}}}},
		}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "totpLastStep", Value: step}}}})
	if err != nil {
		return storeError("use totp step", err)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	n, err := s.accounts.CountDocuments(ctx, bson.D{{Key: "_id", Value: accountID}})
	if err != nil {
		return storeError("use totp step", err)
	}
	if n == 0 {
		return voci.Errorf(voci.ENOTFOUND, "No such account.")
	}
	return voci.Errorf(voci.ECONFLICT, "This code has been used already.")
}

package mongostore

import (
	"context"
	"errors"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// FindAccounts returns one page of the accounts matching f, ordered by email, and the number
// of matches.
func (s *Store) FindAccounts(ctx context.Context, f voci.AccountFilter) ([]voci.Account, int, error) {
	if f.Offset < 0 {
		return nil, 0, voci.InvalidParam("page", "The page must be 1 or more.")
	}
	if f.Limit < 1 || f.Limit > voci.MaxPageSize {
		return nil, 0, voci.InvalidParam("limit", "The page size must be between 1 and %d.", voci.MaxPageSize)
	}
	filter := bson.D{}
	if f.Municipality != 0 {
		filter = bson.D{{Key: "roles.municipality", Value: f.Municipality}}
	}
	total, err := s.accounts.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, storeError("count accounts", err)
	}
	opts := options.Find().SetSort(bson.D{{Key: "email", Value: 1}}).SetSkip(int64(f.Offset)).SetLimit(int64(f.Limit))
	cur, err := s.accounts.Find(ctx, filter, opts)
	if err != nil {
		return nil, 0, storeError("find accounts", err)
	}
	var docs []accountDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, 0, storeError("find accounts", err)
	}
	accounts := make([]voci.Account, 0, len(docs))
	for _, d := range docs {
		accounts = append(accounts, *d.account())
	}
	return accounts, int(total), nil
}

// AddAccountRole grants g with one $addToSet, so a grant held already is not added twice and
// a concurrent change to another grant is not lost. ENOTFOUND for an unknown account.
func (s *Store) AddAccountRole(ctx context.Context, accountID string, g voci.RoleGrant, at time.Time) (*voci.Account, error) {
	var d accountDoc
	err := s.accounts.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: accountID}},
		bson.D{
			{Key: "$addToSet", Value: bson.D{{Key: "roles", Value: roleDoc{Role: string(g.Role), Municipality: g.Municipality}}}},
			{Key: "$set", Value: bson.D{{Key: "updatedAt", Value: at.UTC()}}},
		},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such account.")
	}
	if err != nil {
		return nil, storeError("add account role", err)
	}
	return d.account(), nil
}

// RemoveAccountRole takes g away with one $pull, atomic on the document. ENOTFOUND when the
// account is unknown or does not hold g. The filter names the grant's fields with dotted
// paths (portable: FerretDB v1 refuses $elemMatch here and does not match whole embedded
// documents); they may match two different grants, so whether g was held is read from the
// document as it was before the update.
//
// Taking the platform admin role keeps an enabled admin as SetAccountDisabled does.
func (s *Store) RemoveAccountRole(ctx context.Context, accountID string, g voci.RoleGrant, at time.Time, audit *voci.AuditEntry) (*voci.Account, error) {
	grant := roleDoc{Role: string(g.Role), Municipality: g.Municipality}
	admin := g.Role == voci.RolePlatformAdmin
	if admin {
		if err := s.keepAnAdmin(ctx, accountID); err != nil {
			return nil, err
		}
	}
	var before accountDoc
	err := s.accounts.FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: accountID}, {Key: "roles.role", Value: grant.Role}, {Key: "roles.municipality", Value: grant.Municipality}},
		withPending(bson.D{
			{Key: "$pull", Value: bson.D{{Key: "roles", Value: bson.D{{Key: "role", Value: grant.Role}, {Key: "municipality", Value: grant.Municipality}}}}},
			{Key: "$set", Value: bson.D{{Key: "updatedAt", Value: at.UTC()}}},
		}, audit),
		options.FindOneAndUpdate().SetReturnDocument(options.Before)).Decode(&before)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, storeError("remove account role", err)
	}
	held := err == nil && slices.Contains(before.Roles, grant)
	if err == nil && !held && audit != nil {
		// The filter matched two other grants and pulled nothing: neither is the entry kept.
		if _, err := s.accounts.UpdateOne(ctx, bson.D{{Key: "_id", Value: accountID}}, withoutPending(bson.D{}, audit)); err != nil {
			return nil, storeError("remove account role", err)
		}
	}
	if !held {
		if _, err := s.FindAccountByID(ctx, accountID); err != nil {
			return nil, err
		}
		return nil, voci.Errorf(voci.ENOTFOUND, "This person does not hold the role %s here.", g.Role)
	}
	if admin && !before.Disabled {
		undo := withoutPending(bson.D{
			{Key: "$addToSet", Value: bson.D{{Key: "roles", Value: grant}}},
			{Key: "$set", Value: bson.D{{Key: "updatedAt", Value: before.UpdatedAt}}},
		}, audit)
		if err := s.confirmAnAdmin(ctx, accountID, undo); err != nil {
			return nil, err
		}
	}
	s.completeOne(ctx, s.accounts, accountID)
	return s.FindAccountByID(ctx, accountID)
}

// SetAccountDisabled disables or enables the account with one update and returns it
// afterwards. ENOTFOUND for an unknown account; ELASTPLATFORMADMIN when it would disable the
// last enabled platform admin.
//
// Without multi-document transactions the last admin is kept in two steps: a count before the
// update refuses the plain case without writing; a count after it catches two admins
// disabling each other at the same instant, and each then undoes its own update (both may be
// refused; never both let through).
func (s *Store) SetAccountDisabled(ctx context.Context, accountID string, disabled bool, at time.Time, audit *voci.AuditEntry) (*voci.Account, error) {
	if disabled {
		if err := s.keepAnAdmin(ctx, accountID); err != nil {
			return nil, err
		}
	}
	var before accountDoc
	err := s.accounts.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: accountID}},
		withPending(bson.D{{Key: "$set", Value: bson.D{{Key: "disabled", Value: disabled}, {Key: "updatedAt", Value: at.UTC()}}}}, audit),
		options.FindOneAndUpdate().SetReturnDocument(options.Before)).Decode(&before)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such account.")
	}
	if err != nil {
		return nil, storeError("set account disabled", err)
	}
	if disabled && !before.Disabled && before.isAdmin() {
		undo := withoutPending(bson.D{{Key: "$set", Value: bson.D{{Key: "disabled", Value: false}, {Key: "updatedAt", Value: before.UpdatedAt}}}}, audit)
		if err := s.confirmAnAdmin(ctx, accountID, undo); err != nil {
			return nil, err
		}
	}
	s.completeOne(ctx, s.accounts, accountID)
	return s.FindAccountByID(ctx, accountID)
}

func (d accountDoc) isAdmin() bool {
	return slices.ContainsFunc(d.Roles, func(r roleDoc) bool { return r.Role == string(voci.RolePlatformAdmin) })
}

// enabledAdmins counts the enabled platform admins, leaving out the account except ("" leaves
// out none).
func (s *Store) enabledAdmins(ctx context.Context, except string) (int64, error) {
	filter := bson.D{{Key: "roles.role", Value: string(voci.RolePlatformAdmin)}, {Key: "disabled", Value: false}}
	if except != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$ne", Value: except}}})
	}
	n, err := s.accounts.CountDocuments(ctx, filter)
	return n, storeError("count platform admins", err)
}

// keepAnAdmin returns ELASTPLATFORMADMIN when the account is an enabled platform admin and no
// other enabled account is one. An unknown account passes: the update then says ENOTFOUND.
func (s *Store) keepAnAdmin(ctx context.Context, accountID string) error {
	d, err := findOne[accountDoc](ctx, s.accounts, bson.D{{Key: "_id", Value: accountID}}, "account")
	if voci.ErrorCode(err) == voci.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if d.Disabled || !d.isAdmin() {
		return nil
	}
	others, err := s.enabledAdmins(ctx, accountID)
	if err != nil {
		return err
	}
	if others == 0 {
		return voci.LastPlatformAdmin()
	}
	return nil
}

// confirmAnAdmin runs after an update that took an enabled admin away: when none is left, a
// concurrent change took the other one, so the update is undone and ELASTPLATFORMADMIN
// returned.
func (s *Store) confirmAnAdmin(ctx context.Context, accountID string, undo bson.D) error {
	n, err := s.enabledAdmins(ctx, "")
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := s.accounts.UpdateOne(ctx, bson.D{{Key: "_id", Value: accountID}}, undo); err != nil {
		return storeError("restore platform admin", err)
	}
	return voci.LastPlatformAdmin()
}

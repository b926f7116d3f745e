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
func (s *Store) RemoveAccountRole(ctx context.Context, accountID string, g voci.RoleGrant, at time.Time) (*voci.Account, error) {
	grant := roleDoc{Role: string(g.Role), Municipality: g.Municipality}
	var before accountDoc
	err := s.accounts.FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: accountID}, {Key: "roles.role", Value: grant.Role}, {Key: "roles.municipality", Value: grant.Municipality}},
		bson.D{
			{Key: "$pull", Value: bson.D{{Key: "roles", Value: bson.D{{Key: "role", Value: grant.Role}, {Key: "municipality", Value: grant.Municipality}}}}},
			{Key: "$set", Value: bson.D{{Key: "updatedAt", Value: at.UTC()}}},
		},
		options.FindOneAndUpdate().SetReturnDocument(options.Before)).Decode(&before)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, storeError("remove account role", err)
	}
	held := err == nil && slices.Contains(before.Roles, grant)
	if !held {
		if _, err := s.FindAccountByID(ctx, accountID); err != nil {
			return nil, err
		}
		return nil, voci.Errorf(voci.ENOTFOUND, "This person does not hold the role %s here.", g.Role)
	}
	return s.FindAccountByID(ctx, accountID)
}

package mongostore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// countyDoc is a county in the counties collection, keyed by its county code.
type countyDoc struct {
	Code      int    `bson:"_id"`
	SIRUTA    int    `bson:"siruta"`
	Name      string `bson:"name"`
	Abbrev    string `bson:"abbrev"`
	SearchKey string `bson:"searchKey"` // voci.FoldForSearch(Name), the sort key
}

func (d countyDoc) county() voci.County {
	return voci.County{Code: d.Code, SIRUTA: d.SIRUTA, Name: d.Name, Abbrev: d.Abbrev}
}

// municipalityDoc is a municipality in the municipalities collection, keyed by its SIRUTA
// code. The county name is copied in so that a listing needs no second query; county names
// are reference data and do not change.
type municipalityDoc struct {
	SIRUTA     int    `bson:"_id"`
	Name       string `bson:"name"`
	SearchKey  string `bson:"searchKey"` // voci.FoldForSearch(Name): what searches match and listings sort on
	Kind       string `bson:"kind"`
	Urban      bool   `bson:"urban"`
	CountyCode int    `bson:"countyCode"`
	CountyName string `bson:"countyName"`
	Enrolled   bool   `bson:"enrolled"`
	// Stage and StageSince (YYYY-MM-DD) are absent until the municipality is enrolled. The
	// stage history and the profile live in the same document (see cfci.go), so that a stage
	// change is one atomic update; listings leave them out (municipalitySummary).
	Stage      string `bson:"stage,omitempty"`
	StageSince string `bson:"stageSince,omitempty"`
}

func (d municipalityDoc) municipality() voci.Municipality {
	var since time.Time
	if d.StageSince != "" {
		// Written by RecordStage from a parsed date; a malformed one leaves the day unknown
		// rather than hiding the municipality.
		since, _ = time.Parse(time.DateOnly, d.StageSince)
	}
	return voci.Municipality{
		Stage:      voci.Stage(d.Stage),
		StageSince: since,
		SIRUTA:     d.SIRUTA,
		Name:       d.Name,
		Kind:       voci.MunicipalityKind(d.Kind),
		Urban:      d.Urban,
		CountyCode: d.CountyCode,
		CountyName: d.CountyName,
		Enrolled:   d.Enrolled,
	}
}

// listingOrder is the order of every listing: folded name, then the key (SIRUTA or county code).
func listingOrder() bson.D { return bson.D{{Key: "searchKey", Value: 1}, {Key: "_id", Value: 1}} }

// SeedReferenceData upserts the counties, then the municipalities, with $setOnInsert in
// unordered bulk writes: a document that exists is matched and left exactly as it is, so
// enrolment survives a re-seed, and running the seed twice (even at once) adds nothing twice.
// It returns how many municipalities were inserted, and EINVALID, before writing any
// municipality, when one names a county that is neither stored nor given.
func (s *Store) SeedReferenceData(ctx context.Context, counties []voci.County, municipalities []voci.Municipality) (int, error) {
	if len(counties) > 0 {
		models := make([]mongo.WriteModel, 0, len(counties))
		for _, c := range counties {
			models = append(models, mongo.NewUpdateOneModel().
				SetFilter(bson.D{{Key: "_id", Value: c.Code}}).
				SetUpdate(bson.D{{Key: "$setOnInsert", Value: bson.D{
					{Key: "siruta", Value: c.SIRUTA},
					{Key: "name", Value: c.Name},
					{Key: "abbrev", Value: c.Abbrev},
					{Key: "searchKey", Value: voci.FoldForSearch(c.Name)},
				}}}).
				SetUpsert(true))
		}
		if _, err := s.counties.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
			return 0, storeError("seed counties", err)
		}
	}
	if len(municipalities) == 0 {
		return 0, nil
	}

	// The county name comes from the stored county, as it does in the SQLite store's join, so
	// that both stores answer the same whatever the municipalities say.
	stored, err := s.ListCounties(ctx)
	if err != nil {
		return 0, err
	}
	countyName := make(map[int]string, len(stored))
	for _, c := range stored {
		countyName[c.Code] = c.Name
	}

	models := make([]mongo.WriteModel, 0, len(municipalities))
	for _, m := range municipalities {
		name, ok := countyName[m.CountyCode]
		if !ok {
			return 0, voci.InvalidParam("countyCode", "The municipality %s (%d) names county %d, which is not known.", m.Name, m.SIRUTA, m.CountyCode)
		}
		models = append(models, mongo.NewUpdateOneModel().
			SetFilter(bson.D{{Key: "_id", Value: m.SIRUTA}}).
			SetUpdate(bson.D{{Key: "$setOnInsert", Value: bson.D{
				{Key: "name", Value: m.Name},
				{Key: "searchKey", Value: m.SearchKey()},
				{Key: "kind", Value: string(m.Kind)},
				{Key: "urban", Value: m.Urban},
				{Key: "countyCode", Value: m.CountyCode},
				{Key: "countyName", Value: name},
				{Key: "enrolled", Value: m.Enrolled},
			}}}).
			SetUpsert(true))
	}
	res, err := s.municipalities.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
	if err != nil {
		return 0, storeError("seed municipalities", err)
	}
	return int(res.UpsertedCount), nil
}

// ListCounties returns every county ordered by folded name, then code.
func (s *Store) ListCounties(ctx context.Context) ([]voci.County, error) {
	cur, err := s.counties.Find(ctx, bson.D{}, options.Find().SetSort(listingOrder()))
	if err != nil {
		return nil, storeError("list counties", err)
	}
	var docs []countyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError("list counties", err)
	}
	var counties []voci.County
	for _, d := range docs {
		counties = append(counties, d.county())
	}
	return counties, nil
}

// FindMunicipalityBySIRUTA returns ENOTFOUND when no municipality has that code.
func (s *Store) FindMunicipalityBySIRUTA(ctx context.Context, siruta int) (*voci.Municipality, error) {
	var d municipalityDoc
	err := s.municipalities.FindOne(ctx, bson.D{{Key: "_id", Value: siruta}},
		options.FindOne().SetProjection(municipalitySummary())).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No municipality has the SIRUTA code %d.", siruta)
	}
	if err != nil {
		return nil, storeError(fmt.Sprintf("find municipality %d", siruta), err)
	}
	m := d.municipality()
	return &m, nil
}

// FindMunicipalities returns one page of the municipalities matching a normalized filter,
// ordered by folded name then SIRUTA code, and the number of all matches. It normalizes the
// filter again (that is idempotent) because a limit of 0 means "no limit" to MongoDB. The
// count and the page are two reads, so a concurrent seed may make them differ by the rows it
// adds; reference data changes rarely enough for that not to matter. It returns EINVALID for
// a filter that does not normalize.
func (s *Store) FindMunicipalities(ctx context.Context, f voci.MunicipalityFilter) ([]voci.Municipality, int, error) {
	if err := f.Normalize(); err != nil {
		return nil, 0, err
	}
	filter := municipalityFilter(f)

	total, err := s.municipalities.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, storeError("count municipalities", err)
	}
	opts := options.Find().SetSort(listingOrder()).SetSkip(int64(f.Offset)).SetLimit(int64(f.Limit)).
		SetProjection(municipalitySummary())
	cur, err := s.municipalities.Find(ctx, filter, opts)
	if err != nil {
		return nil, 0, storeError("find municipalities", err)
	}
	var docs []municipalityDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, 0, storeError("find municipalities", err)
	}
	var page []voci.Municipality
	for _, d := range docs {
		page = append(page, d.municipality())
	}
	return page, int(total), nil
}

// municipalityFilter is the query of a normalized filter.
func municipalityFilter(f voci.MunicipalityFilter) bson.D {
	filter := bson.D{}
	if f.Query != "" {
		// The query is text, never a pattern: QuoteMeta escapes every metacharacter.
		filter = append(filter, bson.E{Key: "searchKey", Value: bson.D{{Key: "$regex", Value: regexp.QuoteMeta(f.Query)}}})
	}
	if f.CountyCode != nil {
		filter = append(filter, bson.E{Key: "countyCode", Value: *f.CountyCode})
	}
	if f.Enrolled != nil {
		filter = append(filter, bson.E{Key: "enrolled", Value: *f.Enrolled})
	}
	return filter
}

// ListMunicipalities reads every municipality matching the filter with one find.
func (s *Store) ListMunicipalities(ctx context.Context, f voci.MunicipalityFilter) ([]voci.Municipality, error) {
	f.Limit, f.Offset = voci.MaxPageSize, 0
	if err := f.Normalize(); err != nil {
		return nil, err
	}
	cur, err := s.municipalities.Find(ctx, municipalityFilter(f), options.Find().SetSort(listingOrder()).SetProjection(municipalitySummary()))
	if err != nil {
		return nil, storeError("list municipalities", err)
	}
	var docs []municipalityDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError("list municipalities", err)
	}
	out := make([]voci.Municipality, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.municipality())
	}
	return out, nil
}

// SetMunicipalityEnrolled records whether a municipality takes part in the initiative. It
// returns ENOTFOUND for an unknown code.
func (s *Store) SetMunicipalityEnrolled(ctx context.Context, siruta int, enrolled bool) error {
	res, err := s.municipalities.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: siruta}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "enrolled", Value: enrolled}}}})
	if err != nil {
		return storeError(fmt.Sprintf("set municipality %d enrolled", siruta), err)
	}
	if res.MatchedCount == 0 {
		return voci.Errorf(voci.ENOTFOUND, "No municipality has the SIRUTA code %d.", siruta)
	}
	return nil
}

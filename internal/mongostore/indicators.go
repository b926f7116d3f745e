package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// The indicators are read with one aggregation per family, grouped by municipality in the
// server; only the groups come back. Nothing here needs more than MongoDB 4.4's operators.

func between(from, to time.Time) bson.D {
	return bson.D{{Key: "$gte", Value: from.UTC()}, {Key: "$lt", Value: to.UTC()}}
}

// groupCount runs pipeline and calls fn with each group's municipality and numbers.
func groupCount(ctx context.Context, coll *mongo.Collection, op string, pipeline mongo.Pipeline, fn func(siruta int, n []float64)) error {
	cur, err := coll.Aggregate(ctx, pipeline, options.Aggregate().SetAllowDiskUse(true))
	if err != nil {
		return storeError(op, err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var row struct {
			Municipality int       `bson:"_id"`
			N            []float64 `bson:"n"`
		}
		if err := cur.Decode(&row); err != nil {
			return storeError(op, err)
		}
		fn(row.Municipality, row.N)
	}
	return storeError(op, cur.Err())
}

func sum(expr any) bson.D { return bson.D{{Key: "$sum", Value: expr}} }

func cond(ifExpr, then, els any) bson.D {
	return bson.D{{Key: "$cond", Value: bson.A{ifExpr, then, els}}}
}

// firstPublishedFeedback groups published feedback by key ("$consultationId" or
// "$recommendationId") with its municipality and first publication; of one municipality only
// when it is not 0.
func firstPublishedFeedback(key string, municipality int) []bson.D {
	match := bson.D{{Key: "state", Value: "published"}}
	if key == "$consultationId" {
		match = append(match, bson.E{Key: "consultationId", Value: bson.D{{Key: "$ne", Value: ""}}})
	}
	match = inMunicipality(match, "municipality", municipality)
	return []bson.D{
		{{Key: "$match", Value: match}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: key}, {Key: "municipality", Value: bson.D{{Key: "$first", Value: "$municipality"}}},
			{Key: "at", Value: bson.D{{Key: "$min", Value: "$publishedAt"}}}}}},
	}
}

// inMunicipality adds to a $match that field is municipality, unless municipality is 0.
func inMunicipality(match bson.D, field string, municipality int) bson.D {
	if municipality == 0 {
		return match
	}
	return append(match, bson.E{Key: field, Value: municipality})
}

// ActivityCounts runs one aggregation per family of indicators; for one municipality, each
// begins by matching that municipality's documents (through the indexes on municipality).
func (s *Store) ActivityCounts(ctx context.Context, from, to time.Time, f voci.ActivityFilter) (map[int]*voci.ActivityCounts, error) {
	out := map[int]*voci.ActivityCounts{}
	get := func(siruta int) *voci.ActivityCounts {
		c := out[siruta]
		if c == nil {
			c = &voci.ActivityCounts{Municipality: siruta, Adaptations: map[voci.Adaptation]int{}}
			out[siruta] = c
		}
		return c
	}
	in := between(from, to)
	m := f.Municipality
	// Self-paced participants carry no municipality: one municipality's are those of its
	// consultations.
	selfPaced := bson.D{{Key: "joinedAt", Value: in}}
	if m != 0 {
		ids, err := s.consultations.Distinct(ctx, "_id", bson.D{{Key: "municipality", Value: m}})
		if err != nil {
			return nil, storeError("activity: consultations of a municipality", err)
		}
		if ids == nil {
			ids = []any{} // $in takes an array, never null
		}
		selfPaced = append(selfPaced, bson.E{Key: "consultationId", Value: bson.D{{Key: "$in", Value: ids}}})
	}
	fromDay, lastDay := from.UTC().Format(time.DateOnly), to.Add(-time.Nanosecond).UTC().Format(time.DateOnly)
	toDay := time.Date(to.UTC().Year(), to.UTC().Month(), to.UTC().Day(), 0, 0, 0, 0, time.UTC)
	fromDayStart := time.Date(from.UTC().Year(), from.UTC().Month(), from.UTC().Day(), 0, 0, 0, 0, time.UTC)
	groupN := func(n ...any) bson.D {
		g := bson.D{{Key: "_id", Value: "$municipality"}}
		for i, v := range n {
			g = append(g, bson.E{Key: string(rune('a' + i)), Value: v})
		}
		return bson.D{{Key: "$group", Value: g}}
	}
	project := func(k int) bson.D {
		fields := bson.A{}
		for i := 0; i < k; i++ {
			fields = append(fields, "$"+string(rune('a'+i)))
		}
		return bson.D{{Key: "$project", Value: bson.D{{Key: "n", Value: fields}}}}
	}
	type job struct {
		name     string
		coll     *mongo.Collection
		pipeline mongo.Pipeline
		apply    func(c *voci.ActivityCounts, n []float64)
	}
	answeredOnTime := bson.D{{Key: "$and", Value: bson.A{
		bson.D{{Key: "$ne", Value: bson.A{bson.D{{Key: "$ifNull", Value: bson.A{"$c.answerBy", nil}}}, nil}}},
		bson.D{{Key: "$lt", Value: bson.A{"$at", bson.D{{Key: "$add", Value: bson.A{"$c.answerBy", int64(24 * time.Hour / time.Millisecond)}}}}}},
	}}}
	jobs := []job{
		{"live sessions", s.liveSessions, mongo.Pipeline{
			{{Key: "$match", Value: inMunicipality(bson.D{{Key: "startedAt", Value: in}}, "municipality", m)}}, groupN(sum(1)), project(1)},
			func(c *voci.ActivityCounts, n []float64) { c.SessionsLive = int(n[0]) }},
		{"self-paced", s.selfPacedParticipants, mongo.Pipeline{
			{{Key: "$match", Value: selfPaced}},
			{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$consultationId"}}}},
			{{Key: "$lookup", Value: bson.D{{Key: "from", Value: "consultations"}, {Key: "localField", Value: "_id"}, {Key: "foreignField", Value: "_id"}, {Key: "as", Value: "c"}}}},
			{{Key: "$unwind", Value: "$c"}},
			{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$c.municipality"}, {Key: "a", Value: sum(1)}}}}, project(1)},
			func(c *voci.ActivityCounts, n []float64) { c.SessionsSelfPaced = int(n[0]) }},
		{"paper forms", s.answers, mongo.Pipeline{
			{{Key: "$match", Value: inMunicipality(bson.D{{Key: "source", Value: "paper"}, {Key: "createdAt", Value: in}}, "municipality", m)}},
			{{Key: "$group", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "m", Value: "$municipality"}, {Key: "p", Value: "$participantId"}}}}}},
			{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$_id.m"}, {Key: "a", Value: sum(1)}}}}, project(1)},
			func(c *voci.ActivityCounts, n []float64) { c.PaperForms = int(n[0]) }},
		{"consultation status", s.audit, mongo.Pipeline{
			{{Key: "$match", Value: inMunicipality(bson.D{{Key: "action", Value: "consultation.set_status"}, {Key: "at", Value: in}}, "municipality", m)}},
			{{Key: "$group", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "m", Value: "$municipality"}, {Key: "o", Value: "$objectId"}, {Key: "s", Value: "$detail"}}}}}},
			{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$_id.m"},
				{Key: "a", Value: sum(cond(bson.D{{Key: "$eq", Value: bson.A{"$_id.s", "status open"}}}, 1, 0))},
				{Key: "b", Value: sum(cond(bson.D{{Key: "$eq", Value: bson.A{"$_id.s", "status closed"}}}, 1, 0))}}}}, project(2)},
			func(c *voci.ActivityCounts, n []float64) {
				c.ConsultationsOpened, c.ConsultationsClosed = int(n[0]), int(n[1])
			}},
		{"consultations answered", s.feedback, append(mongo.Pipeline(firstPublishedFeedback("$consultationId", m)),
			bson.D{{Key: "$match", Value: bson.D{{Key: "at", Value: in}}}},
			bson.D{{Key: "$lookup", Value: bson.D{{Key: "from", Value: "consultations"}, {Key: "localField", Value: "_id"}, {Key: "foreignField", Value: "_id"}, {Key: "as", Value: "c"}}}},
			bson.D{{Key: "$unwind", Value: "$c"}},
			bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$c.municipality"}, {Key: "a", Value: sum(1)}, {Key: "b", Value: sum(cond(answeredOnTime, 1, 0))}}}},
			project(2)),
			func(c *voci.ActivityCounts, n []float64) {
				c.ConsultationsAnswered, c.ConsultationsAnsweredOnTime = int(n[0]), int(n[1])
			}},
		{"consultations overdue", s.consultations, mongo.Pipeline{
			{{Key: "$match", Value: inMunicipality(bson.D{{Key: "status", Value: bson.D{{Key: "$ne", Value: "draft"}}},
				{Key: "answerBy", Value: bson.D{{Key: "$gte", Value: fromDayStart}, {Key: "$lt", Value: toDay}}}}, "municipality", m)}},
			{{Key: "$lookup", Value: bson.D{{Key: "from", Value: "feedback"}, {Key: "let", Value: bson.D{{Key: "cid", Value: "$_id"}, {Key: "by", Value: "$answerBy"}}},
				{Key: "pipeline", Value: bson.A{
					bson.D{{Key: "$match", Value: bson.D{{Key: "$expr", Value: bson.D{{Key: "$and", Value: bson.A{
						bson.D{{Key: "$eq", Value: bson.A{"$consultationId", "$$cid"}}},
						bson.D{{Key: "$eq", Value: bson.A{"$state", "published"}}},
						bson.D{{Key: "$lt", Value: bson.A{"$publishedAt", bson.D{{Key: "$add", Value: bson.A{"$$by", int64(24 * time.Hour / time.Millisecond)}}}}}},
					}}}}}}},
					bson.D{{Key: "$limit", Value: 1}}}},
				{Key: "as", Value: "f"}}}},
			{{Key: "$match", Value: bson.D{{Key: "f", Value: bson.D{{Key: "$size", Value: 0}}}}}},
			groupN(sum(1)), project(1)},
			func(c *voci.ActivityCounts, n []float64) { c.ConsultationsOverdue = int(n[0]) }},
		{"receipts", s.receiptCodes(), mongo.Pipeline{
			{{Key: "$match", Value: inMunicipality(bson.D{{Key: "openedAfterFeedbackOn", Value: bson.D{{Key: "$gte", Value: fromDay}, {Key: "$lte", Value: lastDay}}}}, "municipality", m)}},
			groupN(sum(1)), project(1)},
			func(c *voci.ActivityCounts, n []float64) { c.ReceiptsOpenedAfterFeedback = int(n[0]) }},
		{"recommendations sent", s.recommendations, mongo.Pipeline{
			{{Key: "$match", Value: inMunicipality(bson.D{{Key: "createdAt", Value: in}}, "municipality", m)}}, groupN(sum(1)), project(1)},
			func(c *voci.ActivityCounts, n []float64) { c.RecommendationsSent = int(n[0]) }},
		{"recommendations answered", s.feedback, append(mongo.Pipeline(firstPublishedFeedback("$recommendationId", m)),
			bson.D{{Key: "$match", Value: bson.D{{Key: "at", Value: in}}}}, groupN(sum(1)), project(1)),
			func(c *voci.ActivityCounts, n []float64) { c.RecommendationsAnswered = int(n[0]) }},
		{"decisions", s.decisions, decisionsPipeline(in, m),
			func(c *voci.ActivityCounts, n []float64) {
				c.DecisionsLinked, c.DecisionsAdopted = int(n[0]), int(n[1])
			}},
		{"council meetings", s.meetingFigures(), mongo.Pipeline{
			{{Key: "$match", Value: inMunicipality(bson.D{{Key: "endedAt", Value: in}}, "municipality", m)}},
			groupN(sum(1), sum("$inOffice"), sum("$present"), sum("$motionsPassed")), project(4)},
			func(c *voci.ActivityCounts, n []float64) {
				c.MeetingsHeld, c.MeetingMembersInOffice = int(n[0]), int(n[1])
				c.MeetingMembersPresent, c.MotionsPassed = int(n[2]), int(n[3])
			}},
	}
	for _, j := range jobs {
		if err := groupCount(ctx, j.coll, "activity: "+j.name, j.pipeline, func(siruta int, n []float64) { j.apply(get(siruta), n) }); err != nil {
			return nil, err
		}
	}
	if err := s.daysToFeedback(ctx, in, m, get); err != nil {
		return nil, err
	}
	// Adaptations: per municipality and adaptation, the sessions started in the period.
	cur, err := s.groupFacts.Aggregate(ctx, mongo.Pipeline{
		{{Key: "$match", Value: inMunicipality(bson.D{}, "municipality", m)}},
		{{Key: "$lookup", Value: bson.D{{Key: "from", Value: "liveSessions"}, {Key: "localField", Value: "_id"}, {Key: "foreignField", Value: "_id"}, {Key: "as", Value: "l"}}}},
		{{Key: "$unwind", Value: "$l"}},
		{{Key: "$match", Value: bson.D{{Key: "l.startedAt", Value: in}}}},
		{{Key: "$unwind", Value: "$adaptations"}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "m", Value: "$municipality"}, {Key: "a", Value: "$adaptations"}}}, {Key: "n", Value: sum(1)}}}},
	})
	if err != nil {
		return nil, storeError("activity: adaptations", err)
	}
	var rows []struct {
		ID struct {
			M int    `bson:"m"`
			A string `bson:"a"`
		} `bson:"_id"`
		N int `bson:"n"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, storeError("activity: adaptations", err)
	}
	for _, r := range rows {
		get(r.ID.M).Adaptations[voci.Adaptation(r.ID.A)] = r.N
	}
	return out, nil
}

// decisionsPipeline counts, per municipality, the decisions published in the period that
// link to a recommendation, and of them those adopted. A decision's entries are its
// decisionEntries, or its head's firstEntry while that is not copied yet; its status is its
// latest status entry's, or else its latest version's.
func decisionsPipeline(in bson.D, municipality int) mongo.Pipeline {
	latest := func(kind string) bson.D {
		return bson.D{{Key: "$reduce", Value: bson.D{
			{Key: "input", Value: bson.D{{Key: "$filter", Value: bson.D{{Key: "input", Value: "$es"}, {Key: "as", Value: "e"},
				{Key: "cond", Value: bson.D{{Key: "$eq", Value: bson.A{"$$e.kind", kind}}}}}}}},
			{Key: "initialValue", Value: nil},
			{Key: "in", Value: cond(bson.D{{Key: "$or", Value: bson.A{
				bson.D{{Key: "$eq", Value: bson.A{"$$value", nil}}},
				bson.D{{Key: "$gt", Value: bson.A{"$$this.seq", "$$value.seq"}}}}}}, "$$this", "$$value")},
		}}}
	}
	adopted := bson.A{"adopted", "adopted_with_changes", "being_implemented", "implemented", "could_not_be_implemented"}
	return mongo.Pipeline{
		{{Key: "$match", Value: inMunicipality(bson.D{{Key: "published", Value: true}, {Key: "publishedAt", Value: in}}, "municipality", municipality)}},
		{{Key: "$lookup", Value: bson.D{{Key: "from", Value: "decisionEntries"}, {Key: "localField", Value: "_id"}, {Key: "foreignField", Value: "decisionId"}, {Key: "as", Value: "es"}}}},
		{{Key: "$project", Value: bson.D{{Key: "municipality", Value: 1}, {Key: "es", Value: cond(
			bson.D{{Key: "$gt", Value: bson.A{bson.D{{Key: "$size", Value: "$es"}}, 0}}}, "$es",
			cond(bson.D{{Key: "$gt", Value: bson.A{"$firstEntry", nil}}}, bson.A{"$firstEntry"}, bson.A{}))}}}},
		{{Key: "$project", Value: bson.D{{Key: "municipality", Value: 1},
			{Key: "linked", Value: bson.D{{Key: "$anyElementTrue", Value: bson.A{bson.D{{Key: "$map", Value: bson.D{{Key: "input", Value: "$es"}, {Key: "as", Value: "e"},
				{Key: "in", Value: bson.D{{Key: "$gt", Value: bson.A{bson.D{{Key: "$size", Value: bson.D{{Key: "$ifNull", Value: bson.A{"$$e.recommendationIds", bson.A{}}}}}}, 0}}}}}}}}}}},
			{Key: "ls", Value: latest("status")}, {Key: "lv", Value: latest("version")}}}},
		{{Key: "$match", Value: bson.D{{Key: "linked", Value: true}}}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$municipality"}, {Key: "a", Value: sum(1)},
			{Key: "b", Value: sum(cond(bson.D{{Key: "$in", Value: bson.A{bson.D{{Key: "$ifNull", Value: bson.A{"$ls.status", bson.D{{Key: "$ifNull", Value: bson.A{"$lv.content.status", ""}}}}}}, adopted}}}, 1, 0))}}}},
		{{Key: "$project", Value: bson.D{{Key: "n", Value: bson.A{"$a", "$b"}}}}},
	}
}

// daysToFeedback collects, per municipality, the days from closing to first feedback of the
// consultations answered in the period, and takes their median. The days come grouped by
// municipality from the server; one short list per municipality is held at a time.
func (s *Store) daysToFeedback(ctx context.Context, in bson.D, municipality int, get func(int) *voci.ActivityCounts) error {
	pipeline := append(mongo.Pipeline(firstPublishedFeedback("$consultationId", municipality)),
		bson.D{{Key: "$match", Value: bson.D{{Key: "at", Value: in}}}},
		bson.D{{Key: "$lookup", Value: bson.D{{Key: "from", Value: "audit"}, {Key: "let", Value: bson.D{{Key: "cid", Value: "$_id"}}},
			{Key: "pipeline", Value: bson.A{
				bson.D{{Key: "$match", Value: bson.D{{Key: "action", Value: "consultation.set_status"}, {Key: "detail", Value: "status closed"},
					{Key: "$expr", Value: bson.D{{Key: "$eq", Value: bson.A{"$objectId", "$$cid"}}}}}}},
				bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: nil}, {Key: "at", Value: bson.D{{Key: "$min", Value: "$at"}}}}}}}},
			{Key: "as", Value: "closed"}}}},
		bson.D{{Key: "$unwind", Value: "$closed"}},
		bson.D{{Key: "$match", Value: bson.D{{Key: "$expr", Value: bson.D{{Key: "$lte", Value: bson.A{"$closed.at", "$at"}}}}}}},
		bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$municipality"}, {Key: "n", Value: bson.D{{Key: "$push",
			Value: bson.D{{Key: "$divide", Value: bson.A{bson.D{{Key: "$subtract", Value: bson.A{"$at", "$closed.at"}}}, float64(24 * time.Hour / time.Millisecond)}}}}}}}}},
	)
	return groupCount(ctx, s.feedback, "activity: days to feedback", pipeline, func(siruta int, days []float64) {
		if m, ok := voci.Median(days); ok {
			m = float64(int(m*10+0.5)) / 10
			get(siruta).MedianDaysToFeedback = &m
		}
	})
}

// ChildrenReached groups answers into participants, then participants into cells, in the
// server, sorted by municipality, and hands the cells over one municipality at a time.
func (s *Store) ChildrenReached(ctx context.Context, from, to time.Time, fn func(int, []voci.ChildCell) error) error {
	cur, err := s.answers.Aggregate(ctx, mongo.Pipeline{
		{{Key: "$match", Value: bson.D{{Key: "createdAt", Value: between(from, to)}}}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "m", Value: "$municipality"}, {Key: "p", Value: "$participantId"}}},
			{Key: "band", Value: bson.D{{Key: "$max", Value: "$ageBand"}}}, {Key: "gender", Value: bson.D{{Key: "$max", Value: "$gender"}}}}}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "m", Value: "$_id.m"}, {Key: "b", Value: "$band"}, {Key: "g", Value: "$gender"}}}, {Key: "n", Value: sum(1)}}}},
		{{Key: "$sort", Value: bson.D{{Key: "_id.m", Value: 1}, {Key: "_id.b", Value: 1}, {Key: "_id.g", Value: 1}}}},
	}, options.Aggregate().SetAllowDiskUse(true))
	if err != nil {
		return storeError("children reached", err)
	}
	defer cur.Close(ctx)
	var cells []voci.ChildCell
	current := 0
	for cur.Next(ctx) {
		var row struct {
			ID struct {
				M int    `bson:"m"`
				B string `bson:"b"`
				G string `bson:"g"`
			} `bson:"_id"`
			N int `bson:"n"`
		}
		if err := cur.Decode(&row); err != nil {
			return storeError("children reached", err)
		}
		if row.ID.M != current && len(cells) > 0 {
			if err := fn(current, cells); err != nil {
				return err
			}
			cells = nil
		}
		current = row.ID.M
		cells = append(cells, voci.ChildCell{Municipality: row.ID.M, AgeBand: voci.AgeBand(row.ID.B), Gender: voci.Gender(row.ID.G), Children: row.N})
	}
	if err := cur.Err(); err != nil {
		return storeError("children reached", err)
	}
	if len(cells) > 0 {
		return fn(current, cells)
	}
	return nil
}

// GroupFactTotals sums the facts of the sessions started in the period, per municipality.
func (s *Store) GroupFactTotals(ctx context.Context, from, to time.Time) (map[int]*voci.GroupFactTotals, error) {
	cur, err := s.groupFacts.Aggregate(ctx, mongo.Pipeline{
		{{Key: "$lookup", Value: bson.D{{Key: "from", Value: "liveSessions"}, {Key: "localField", Value: "_id"}, {Key: "foreignField", Value: "_id"}, {Key: "as", Value: "l"}}}},
		{{Key: "$unwind", Value: "$l"}},
		{{Key: "$match", Value: bson.D{{Key: "l.startedAt", Value: between(from, to)}}}},
		{{Key: "$project", Value: bson.D{{Key: "municipality", Value: 1}, {Key: "kv", Value: bson.D{{Key: "$concatArrays", Value: bson.A{
			bson.A{bson.D{{Key: "k", Value: ""}, {Key: "v", Value: "$present"}}},
			bson.D{{Key: "$objectToArray", Value: bson.D{{Key: "$ifNull", Value: bson.A{"$counts", bson.D{}}}}}}}}}}}}},
		{{Key: "$unwind", Value: "$kv"}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "m", Value: "$municipality"}, {Key: "k", Value: "$kv.k"}}}, {Key: "n", Value: sum("$kv.v")}}}},
	})
	if err != nil {
		return nil, storeError("group facts", err)
	}
	var rows []struct {
		ID struct {
			M int    `bson:"m"`
			K string `bson:"k"`
		} `bson:"_id"`
		N int `bson:"n"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, storeError("group facts", err)
	}
	out := map[int]*voci.GroupFactTotals{}
	for _, r := range rows {
		t := out[r.ID.M]
		if t == nil {
			t = &voci.GroupFactTotals{Municipality: r.ID.M, Counts: map[voci.GroupCategory]int{}}
			out[r.ID.M] = t
		}
		if r.ID.K == "" {
			t.Present = r.N
		} else {
			t.Counts[voci.GroupCategory(r.ID.K)] = r.N
		}
	}
	return out, nil
}

// ListChildPopulations reads every profile that declares a population.
func (s *Store) ListChildPopulations(ctx context.Context) (map[int]map[voci.AgeBand]int, error) {
	var docs []struct {
		SIRUTA  int `bson:"_id"`
		Profile struct {
			ChildPopulation map[string]int `bson:"childPopulation"`
		} `bson:"profile"`
	}
	opts := options.Find().SetProjection(bson.D{{Key: "profile.childPopulation", Value: 1}})
	if err := findAll(ctx, s.municipalities, bson.D{{Key: "profile.childPopulation", Value: bson.D{{Key: "$exists", Value: true}}}}, opts, &docs); err != nil {
		return nil, storeError("child populations", err)
	}
	out := map[int]map[voci.AgeBand]int{}
	for _, doc := range docs {
		if len(doc.Profile.ChildPopulation) == 0 {
			continue
		}
		m := map[voci.AgeBand]int{}
		for b, n := range doc.Profile.ChildPopulation {
			m[voci.AgeBand(b)] = n
		}
		out[doc.SIRUTA] = m
	}
	return out, nil
}

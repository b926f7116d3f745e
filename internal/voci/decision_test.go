package voci_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// chainOf builds a published decision with a version, a status change and a milestone, each
// entry chained to the one before.
func chainOf(t *testing.T) *voci.Decision {
	t.Helper()
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	d := &voci.Decision{ID: "dec-1", Municipality: 20297, Published: true}
	add := func(e voci.DecisionEntry) {
		e.DecisionID, e.Municipality = d.ID, d.Municipality
		e.PrevHash, e.Seq = d.Head()
		e.RecordedAt, e.RecordedBy = at.Add(time.Duration(e.Seq)*time.Hour), "cm-1"
		e.Hash = e.ComputeHash()
		d.Entries = append(d.Entries, e)
	}
	add(voci.DecisionEntry{Kind: voci.EntryVersion, Content: &voci.DecisionContent{Number: "12/2026", Date: at, Title: "Shade",
		Vote: voci.Vote{For: 15}, Status: voci.DecisionAdopted,
		Links: []voci.DecisionLink{{RecommendationID: "rec-1", Response: voci.ResponseAdoptedInPart, Reasons: "Trees only."}}}})
	add(voci.DecisionEntry{Kind: voci.EntryStatus, Status: voci.DecisionBeingImplemented, Date: at.AddDate(0, 1, 0)})
	add(voci.DecisionEntry{Kind: voci.EntryMilestone, Date: at.AddDate(0, 2, 0), Note: "Twelve trees planted."})
	return d
}

func TestDecisionChainVerifies(t *testing.T) {
	d := chainOf(t)
	v := voci.VerifyDecisionChain(d)
	if !v.OK() || v.Entries != 3 || v.HeadHash != d.Entries[2].Hash {
		t.Fatalf("an untouched chain: %+v", v)
	}
	if d.Entries[1].PrevHash != d.Entries[0].Hash || d.Entries[0].PrevHash != "" {
		t.Fatal("entries are not chained")
	}
}

func TestDecisionChainFailsWhenChanged(t *testing.T) {
	cases := []struct {
		name   string
		change func(d *voci.Decision)
		at     int
	}{
		{"vote changed", func(d *voci.Decision) { d.Entries[0].Content.Vote.For = 16 }, 1},
		{"link response changed", func(d *voci.Decision) { d.Entries[0].Content.Links[0].Response = voci.ResponseAdoptedAsProposed }, 1},
		{"reasons changed", func(d *voci.Decision) { d.Entries[0].Content.Links[0].Reasons = "Trees." }, 1},
		{"status changed", func(d *voci.Decision) { d.Entries[1].Status = voci.DecisionImplemented }, 2},
		{"milestone date changed", func(d *voci.Decision) { d.Entries[2].Date = d.Entries[2].Date.AddDate(0, 0, -1) }, 3},
		{"milestone note changed", func(d *voci.Decision) { d.Entries[2].Note = "Twenty trees planted." }, 3},
		{"entry removed", func(d *voci.Decision) { d.Entries = append(d.Entries[:1], d.Entries[2:]...) }, 3},
		{"entries swapped", func(d *voci.Decision) { d.Entries[1], d.Entries[2] = d.Entries[2], d.Entries[1] }, 3},
		{"hash recomputed after a change", func(d *voci.Decision) {
			d.Entries[1].Note = "rewritten"
			d.Entries[1].Hash = d.Entries[1].ComputeHash()
		}, 3},
		{"moved to another municipality", func(d *voci.Decision) { d.Municipality = 40198 }, 1},
		{"published without a version", func(d *voci.Decision) { d.Entries = nil }, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := chainOf(t)
			c.change(d)
			if v := voci.VerifyDecisionChain(d); v.OK() || v.BrokenAt != c.at || v.Reason == "" {
				t.Fatalf("verification %+v, want broken at %d", v, c.at)
			}
		})
	}
}

func TestDecisionLinkKinds(t *testing.T) {
	day := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		link  voci.DecisionLink
		param string // "" when valid
	}{
		{"adopted as proposed", voci.DecisionLink{RecommendationID: "r", Response: voci.ResponseAdoptedAsProposed}, ""},
		{"adopted in part", voci.DecisionLink{RecommendationID: "r", Response: voci.ResponseAdoptedInPart, Reasons: "Half of it."}, ""},
		{"not adopted with reasons", voci.DecisionLink{RecommendationID: "r", Response: voci.ResponseNotAdopted, Reasons: "No budget."}, ""},
		{"not adopted without reasons", voci.DecisionLink{RecommendationID: "r", Response: voci.ResponseNotAdopted}, "reasons"},
		{"not adopted with blank reasons", voci.DecisionLink{RecommendationID: "r", Response: voci.ResponseNotAdopted, Reasons: "   "}, "reasons"},
		{"deferred with a date", voci.DecisionLink{RecommendationID: "r", Response: voci.ResponseDeferred, DeferredUntil: day}, ""},
		{"deferred without a date", voci.DecisionLink{RecommendationID: "r", Response: voci.ResponseDeferred}, "deferredUntil"},
		{"not competent, passed on", voci.DecisionLink{RecommendationID: "r", Response: voci.ResponseNotCompetent, PassedTo: "Consiliul Județean"}, ""},
		{"not competent, passed to nobody", voci.DecisionLink{RecommendationID: "r", Response: voci.ResponseNotCompetent}, "passedTo"},
		{"merged with another", voci.DecisionLink{RecommendationID: "r", Response: voci.ResponseMerged, MergedWith: "s"}, ""},
		{"merged with none", voci.DecisionLink{RecommendationID: "r", Response: voci.ResponseMerged}, "mergedWith"},
		{"merged with itself", voci.DecisionLink{RecommendationID: "r", Response: voci.ResponseMerged, MergedWith: "r"}, "mergedWith"},
		{"unknown response", voci.DecisionLink{RecommendationID: "r", Response: "maybe"}, "response"},
		{"a date on an adoption", voci.DecisionLink{RecommendationID: "r", Response: voci.ResponseAdoptedAsProposed, DeferredUntil: day}, "deferredUntil"},
		{"passed on though adopted", voci.DecisionLink{RecommendationID: "r", Response: voci.ResponseAdoptedInPart, PassedTo: "CJ"}, "passedTo"},
	}
	for _, c := range cases {
		err := c.link.Validate("")
		if c.param == "" && err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if c.param != "" {
			if e, ok := err.(*voci.Error); !ok || e.Code != voci.EINVALID || e.Param != c.param {
				t.Errorf("%s: %v, want invalid %s", c.name, err, c.param)
			}
		}
	}
}

func TestDecisionContentValidation(t *testing.T) {
	at := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	ok := voci.DecisionContent{Number: "1/2026", Date: at, Title: "Shade", Status: voci.DecisionAdopted,
		PublicationURL: "https://mol.bacau.ro/hcl/1"}
	if err := ok.Validate(true); err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(c *voci.DecisionContent){
		"publicationUrl": func(c *voci.DecisionContent) { c.PublicationURL = "http://mol.bacau.ro/hcl/1" },
		"vote.against":   func(c *voci.DecisionContent) { c.Vote.Against = -1 },
		"number":         func(c *voci.DecisionContent) { c.Number = "" },
		"date":           func(c *voci.DecisionContent) { c.Date = time.Time{} },
		"status":         func(c *voci.DecisionContent) { c.Status = "archived" },
		"title":          func(c *voci.DecisionContent) { c.Title = "" },
		"links[1].recommendationId": func(c *voci.DecisionContent) {
			c.Links = []voci.DecisionLink{{RecommendationID: "r", Response: voci.ResponseAdoptedAsProposed}, {RecommendationID: "r", Response: voci.ResponseAdoptedAsProposed}}
		},
	}
	for param, change := range cases {
		c := ok
		change(&c)
		if e, isErr := c.Validate(true).(*voci.Error); !isErr || e.Param != param {
			t.Errorf("%s: %v", param, c.Validate(true))
		}
	}
	draft := voci.DecisionContent{Title: "Only a title", Status: voci.DecisionProposed}
	if err := draft.Validate(false); err != nil {
		t.Errorf("a draft needs only a title: %v", err)
	}
	for _, u := range []string{"https://user:pw@mol.ro/x", "javascript:alert(1)", "https:///x", "ftp://mol.ro"} {
		if voci.ValidateHTTPSURL("u", u) == nil {
			t.Errorf("%q accepted", u)
		}
	}
}

func TestIsPDF(t *testing.T) {
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	if !voci.IsPDF(pdf) {
		t.Error("a PDF refused")
	}
	for _, b := range [][]byte{[]byte("<html>%PDF-</html>"), []byte("%PDF-1.4 but cut short"), {0x89, 'P', 'N', 'G'}, nil} {
		if voci.IsPDF(b) {
			t.Errorf("%q taken for a PDF", b)
		}
	}
}

// A decision moves along its statuses: adopted decisions are implemented or not, rejected
// and implemented are final, and no status takes effect before the decision's date, before the
// status it follows, or more than a day after today.
func TestDecisionStatusChanges(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	today := day("2026-10-20").Add(15 * time.Hour)
	d := &voci.Decision{Published: true, Entries: []voci.DecisionEntry{{Kind: voci.EntryVersion,
		Content: &voci.DecisionContent{Status: voci.DecisionAdopted, Date: day("2026-10-01")}}}}
	if got := d.NextStatuses(); !slices.Equal(got, []voci.DecisionStatus{voci.DecisionBeingImplemented, voci.DecisionImplemented, voci.DecisionCouldNotBeImplemented}) {
		t.Fatalf("after adoption: %v", got)
	}
	for _, c := range []struct {
		status voci.DecisionStatus
		date   string
		code   string
		param  string
	}{
		{voci.DecisionBeingImplemented, "2026-10-01", "", ""},
		{voci.DecisionBeingImplemented, "2026-10-21", "", ""}, // tomorrow: another time zone's today
		{voci.DecisionProposed, "2026-10-02", voci.EINVALID, "status"},
		{voci.DecisionRejected, "2026-10-02", voci.EINVALID, "status"},
		{"archived", "2026-10-02", voci.EINVALID, "status"},
		{voci.DecisionBeingImplemented, "2026-09-30", voci.ESTATUSDATERANGE, "date"},
		{voci.DecisionBeingImplemented, "2026-10-22", voci.ESTATUSDATERANGE, "date"},
		{voci.DecisionImplemented, "2036-10-01", voci.ESTATUSDATERANGE, "date"},
	} {
		err := d.CheckStatusChange(c.status, day(c.date), today)
		var param string
		if e, ok := errors.AsType[*voci.Error](err); ok {
			param = e.Param
		}
		if c.code == "" && err != nil || c.code != "" && (voci.ErrorCode(err) != c.code || param != c.param) {
			t.Errorf("%s on %s: %v, want %s %q", c.status, c.date, err, c.code, c.param)
		}
	}
	// A correction that moves the decision's date later moves the earliest status date too,
	// even past the status recorded before it.
	d.Entries = append(d.Entries, voci.DecisionEntry{Kind: voci.EntryStatus, Status: voci.DecisionBeingImplemented, Date: day("2026-10-05")},
		voci.DecisionEntry{Kind: voci.EntryVersion, Content: &voci.DecisionContent{Status: voci.DecisionAdopted, Date: day("2026-10-10")}})
	if err := d.CheckStatusChange(voci.DecisionImplemented, day("2026-10-07"), today); voci.ErrorCode(err) != voci.ESTATUSDATERANGE ||
		!strings.Contains(voci.ErrorMessage(err), "2026-10-10") {
		t.Fatalf("a status before the corrected decision date: %v", err)
	}
	if err := d.CheckStatusChange(voci.DecisionImplemented, day("2026-10-10"), today); err != nil {
		t.Fatalf("on the corrected decision date: %v", err)
	}
	d.Entries = append(d.Entries, voci.DecisionEntry{Kind: voci.EntryStatus, Status: voci.DecisionImplemented, Date: day("2026-11-01")})
	if err := d.CheckStatusChange(voci.DecisionBeingImplemented, day("2026-11-02"), today.AddDate(0, 1, 0)); voci.ErrorCode(err) != voci.EINVALID || !strings.Contains(voci.ErrorMessage(err), "final") {
		t.Fatalf("a change after implementation: %v", err)
	}
}

package voci

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Decisions holds the rules of council decisions: drafts, publication, corrections, status
// changes and milestones, links to recommendations, and the traceability built on them.
type Decisions struct {
	Store Store
	Clock Clock
	NewID func() string
	// K is the smallest count of children traceability shows.
	K int
}

// NewDecisions returns the decisions service on store.
func NewDecisions(store Store, k int) *Decisions {
	return &Decisions{Store: store, Clock: time.Now, NewID: RandomID, K: k}
}

func (s *Decisions) now() time.Time { return s.Clock().UTC() }

// CreateDraft stores a new draft decision of the municipality. EINVALID for bad content,
// ELINKOTHERMUNICIPALITY for a link to another municipality's recommendation.
func (s *Decisions) CreateDraft(ctx context.Context, municipality int, actorID string, content DecisionContent, audit AuditOf[Decision]) (*Decision, error) {
	now := s.now()
	d := &Decision{ID: s.NewID(), Municipality: municipality, Draft: content, Revision: 1, CreatedBy: actorID, CreatedAt: now, UpdatedAt: now}
	if err := s.checkContent(ctx, municipality, &d.Draft, false); err != nil {
		return nil, err
	}
	if err := s.Store.CreateDecision(ctx, d, audit.of(d)); err != nil {
		return nil, err
	}
	return d, nil
}

// UpdateDraft replaces a draft's content. The caller says which revision it edited: a draft
// changed since gets ECHANGED. A published decision is never edited: EDECISIONPUBLISHED.
func (s *Decisions) UpdateDraft(ctx context.Context, d *Decision, revision int, content DecisionContent, audit AuditOf[Decision]) (*Decision, error) {
	if d.Published {
		return nil, publishedError()
	}
	if revision != d.Revision {
		return nil, changedError()
	}
	if err := s.checkContent(ctx, d.Municipality, &content, false); err != nil {
		return nil, err
	}
	next := *d
	next.Draft, next.Revision, next.UpdatedAt = content, d.Revision+1, s.now()
	if err := s.Store.UpdateDecisionDraft(ctx, &next, audit.of(&next)); err != nil {
		return nil, err
	}
	return &next, nil
}

// Publish freezes the draft at revision as the decision's first version. It must have a
// number and a date; EDECISIONPUBLISHED if it is published already, ECHANGED if the draft
// changed since revision.
func (s *Decisions) Publish(ctx context.Context, d *Decision, revision int, actorID string, audit AuditOf[Decision]) (*Decision, error) {
	if d.Published {
		return nil, Errorf(EDECISIONPUBLISHED, "This decision is published already.")
	}
	if revision != d.Revision {
		return nil, changedError()
	}
	content := cloneContent(d.Draft)
	if err := s.checkContent(ctx, d.Municipality, &content, true); err != nil {
		return nil, err
	}
	first := s.entry(d, EntryVersion, actorID)
	first.Content = &content
	first.Hash = first.ComputeHash()
	next := *d
	next.Published, next.PublishedAt, next.UpdatedAt = true, first.RecordedAt, first.RecordedAt
	next.Entries = []DecisionEntry{*first}
	if err := s.Store.PublishDecision(ctx, &next, revision, first, audit.of(&next)); err != nil {
		return nil, err
	}
	return &next, nil
}

// Correct appends a new version of a published decision; note says what it corrects.
// EDECISIONDRAFT for a draft (edit it instead).
func (s *Decisions) Correct(ctx context.Context, d *Decision, content DecisionContent, note, actorID string, audit AuditOf[Decision]) (*Decision, error) {
	if !d.Published {
		return nil, draftError()
	}
	note = strings.TrimSpace(note)
	if err := validateLongText("corrects", note, 3, 2000); err != nil {
		return nil, InvalidParam("corrects", "Say what the correction corrects (3 to 2000 characters).")
	}
	if err := s.checkContent(ctx, d.Municipality, &content, true); err != nil {
		return nil, err
	}
	e := s.entry(d, EntryVersion, actorID)
	e.Content, e.Corrects = &content, note
	return s.append(ctx, d, e, audit)
}

// RecordStatus appends a dated status change to a published decision.
func (s *Decisions) RecordStatus(ctx context.Context, d *Decision, status DecisionStatus, date time.Time, note, actorID string, audit AuditOf[Decision]) (*Decision, error) {
	if !d.Published {
		return nil, draftError()
	}
	if date.IsZero() {
		return nil, InvalidParam("date", "Give the date of the change.")
	}
	if err := d.CheckStatusChange(status, date, s.now()); err != nil {
		return nil, err
	}
	if err := validateLongText("note", note, 0, 2000); err != nil {
		return nil, err
	}
	e := s.entry(d, EntryStatus, actorID)
	e.Status, e.Date, e.Note = status, date.UTC(), note
	return s.append(ctx, d, e, audit)
}

// AddMilestone appends a dated implementation milestone to a published decision.
func (s *Decisions) AddMilestone(ctx context.Context, d *Decision, date time.Time, note, actorID string, audit AuditOf[Decision]) (*Decision, error) {
	if !d.Published {
		return nil, draftError()
	}
	if date.IsZero() {
		return nil, InvalidParam("date", "Give the milestone's date.")
	}
	if err := validateLongText("note", note, 3, 2000); err != nil {
		return nil, err
	}
	e := s.entry(d, EntryMilestone, actorID)
	e.Date, e.Note = date.UTC(), note
	return s.append(ctx, d, e, audit)
}

func (s *Decisions) entry(d *Decision, kind EntryKind, actorID string) *DecisionEntry {
	prev, seq := d.Head()
	return &DecisionEntry{DecisionID: d.ID, Municipality: d.Municipality, Seq: seq, Kind: kind, RecordedBy: actorID,
		RecordedAt: s.now(), PrevHash: prev}
}

func (s *Decisions) append(ctx context.Context, d *Decision, e *DecisionEntry, audit AuditOf[Decision]) (*Decision, error) {
	e.Hash = e.ComputeHash()
	next := *d
	next.Entries = append(slices.Clone(d.Entries), *e)
	next.UpdatedAt = e.RecordedAt
	if err := s.Store.AppendDecisionEntry(ctx, e, audit.of(&next)); err != nil {
		return nil, err
	}
	return &next, nil
}

// checkContent validates the content and its links against the store: every recommendation
// linked, or merged with, must be the municipality's; a PDF must be a decision text of the
// municipality, and its hash is set from its bytes.
func (s *Decisions) checkContent(ctx context.Context, municipality int, c *DecisionContent, publishing bool) error {
	if c.Status == "" {
		c.Status = DecisionAdopted
	}
	c.Date = dayOf(c.Date)
	c.Links = slices.Clone(c.Links) // the caller's slice stays theirs
	for i := range c.Links {
		c.Links[i].DeferredUntil = dayOf(c.Links[i].DeferredUntil)
	}
	if c.PDFFileID != "" {
		f, data, err := ReadFile(ctx, s.Store, c.PDFFileID)
		if ErrorCode(err) == ENOTFOUND || (err == nil && (f.Purpose != FileDecisionPDF || f.Municipality != municipality)) {
			return InvalidParam("pdfFileId", "No such PDF among this municipality's decision texts.")
		}
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		c.PDFSHA256 = hex.EncodeToString(sum[:])
	} else {
		c.PDFSHA256 = ""
	}
	if err := c.Validate(publishing); err != nil {
		return err
	}
	for i, l := range c.Links {
		for j, id := range []string{l.RecommendationID, l.MergedWith} {
			param := []string{"recommendationId", "mergedWith"}[j]
			if id == "" {
				continue
			}
			r, err := s.Store.FindRecommendation(ctx, id)
			if ErrorCode(err) == ENOTFOUND {
				return &Error{Code: EINVALID, Param: "links[" + strconv.Itoa(i) + "]." + param, Message: "No such recommendation."}
			}
			if err != nil {
				return err
			}
			if r.Municipality != municipality {
				return &Error{Code: ELINKOTHERMUNICIPALITY, Param: "links[" + strconv.Itoa(i) + "]." + param,
					Message: "A decision answers only recommendations of its own municipality."}
			}
		}
	}
	return nil
}

// StorePDF checks that data is a PDF within the size limit and stores it as a decision text
// of the municipality; the returned file's ID goes into a draft or a correction.
func (s *Decisions) StorePDF(ctx context.Context, municipality int, data []byte) (*File, error) {
	if len(data) > MaxDecisionPDFBytes {
		return nil, Errorf(EPDFTOOLARGE, "The PDF is larger than %d MB. Make it smaller and send it again.", MaxDecisionPDFBytes>>20)
	}
	if !IsPDF(data) {
		return nil, Errorf(ENOTAPDF, "This file is not a PDF. Send the decision's text as a PDF.")
	}
	f := &File{ID: s.NewID(), Municipality: municipality, Purpose: FileDecisionPDF, ContentType: "application/pdf", CreatedAt: s.now()}
	if err := s.Store.PutFile(ctx, f, strings.NewReader(string(data))); err != nil {
		return nil, err
	}
	return f, nil
}

// LinkedDecisions lists the published decisions whose latest version links to the
// recommendation, with that link, oldest decision first (voci.DecisionLinks).
func (s *Decisions) LinkedDecisions(ctx context.Context, recommendationID string) ([]LinkedDecision, error) {
	ids, err := s.Store.DecisionsLinkingTo(ctx, recommendationID)
	if err != nil {
		return nil, err
	}
	ds := make([]*Decision, 0, len(ids))
	for _, id := range ids {
		d, err := s.Store.FindDecision(ctx, id)
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return linkedDecisions(ds)[recommendationID], nil
}

// LinkedDecisionsIn is LinkedDecisions for every recommendation of the municipality, by
// recommendation ID, from one read of its decisions rather than one per recommendation: what
// a page listing all of them needs.
func (s *Decisions) LinkedDecisionsIn(ctx context.Context, municipality int) (map[string][]LinkedDecision, error) {
	ds, err := s.Store.ListDecisions(ctx, municipality)
	if err != nil {
		return nil, err
	}
	return linkedDecisions(ds), nil
}

// linkedDecisions groups the links of the published decisions among ds (by their latest
// version) by the recommendation they answer, oldest publication first.
func linkedDecisions(ds []*Decision) map[string][]LinkedDecision {
	ds = slices.DeleteFunc(slices.Clone(ds), func(d *Decision) bool { return !d.Published || d.LatestVersion() == nil })
	slices.SortStableFunc(ds, func(a, b *Decision) int { return a.PublishedAt.Compare(b.PublishedAt) })
	out := map[string][]LinkedDecision{}
	for _, d := range ds {
		c := d.LatestVersion().Content
		for _, l := range c.Links {
			out[l.RecommendationID] = append(out[l.RecommendationID], LinkedDecision{DecisionID: d.ID, Version: d.VersionCount(),
				Number: c.Number, Date: c.Date, Title: c.Title, Status: string(d.Status()), Response: string(l.Response),
				Reasons: l.Reasons, DeferredUntil: l.DeferredUntil, PassedTo: l.PassedTo, MergedWith: l.MergedWith,
				PublicationURL: c.PublicationURL, Milestones: d.Milestones()})
		}
	}
	return out
}

// RecommendationsAwaitingDecision lists the municipality's recommendations that no published
// decision answers yet (by its latest version), oldest first: the reminders' list.
func (s *Decisions) RecommendationsAwaitingDecision(ctx context.Context, municipality int) ([]*Recommendation, error) {
	recs, err := s.Store.ListRecommendations(ctx, RecommendationFilter{Municipality: municipality})
	if err != nil {
		return nil, err
	}
	decisions, err := s.Store.ListDecisions(ctx, municipality)
	if err != nil {
		return nil, err
	}
	answered := map[string]bool{}
	for _, d := range decisions {
		if v := d.LatestVersion(); d.Published && v != nil {
			for _, l := range v.Content.Links {
				answered[l.RecommendationID] = true
			}
		}
	}
	var out []*Recommendation
	for _, r := range recs {
		if !answered[r.ID] {
			out = append(out, r)
		}
	}
	return out, nil
}

func dayOf(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func cloneContent(c DecisionContent) DecisionContent {
	c.Links = slices.Clone(c.Links)
	return c
}

func publishedError() error {
	return Errorf(EDECISIONPUBLISHED, "This decision is published and is never edited. Add a correction instead: it becomes a new version, and this one stays readable.")
}

func draftError() error {
	return Errorf(EDECISIONDRAFT, "This decision is still a draft. Publish it first, or edit the draft.")
}

func changedError() error {
	return Errorf(ECHANGED, "Someone else changed this decision meanwhile; reload it and make your change again.")
}

// Decisions is what the public outcome reads to find a recommendation's decisions.
var _ DecisionLinks = (*Decisions)(nil)

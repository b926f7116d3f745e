package voci

import (
	"context"
	"maps"
	"slices"
	"strings"
)

// ETRANSLATIONOPTIONS says that a translation of a question names other options than the
// original's. An option is one option in every language: answers point at its ID, and
// results add up answers given in every language, so a translation may give an option
// another label, never another identity.
const ETRANSLATIONOPTIONS = "translation_options_mismatch"

// ContentLanguages are the languages a consultation's content may be written in, in the
// order an editor lists them.
var ContentLanguages = []Lang{LangRO, LangHU, LangEN}

// ConsultationText is a consultation's text in one language other than its original one. An
// empty field is missing: readers see the original's.
type ConsultationText struct {
	Title    string
	Purpose  string
	EasyRead string
	// AudienceBody is who reads the children's views, named in the language (a child's end
	// screen and receipt page say it: "Consiliul Local Bacău" is "Bákó Helyi Tanácsa").
	AudienceBody string
}

// OptionLabel is an option's label in one language; ID is the original option's.
type OptionLabel struct {
	ID    string
	Label string
}

// QuestionText is a question's wording in one language other than its consultation's
// original one. An empty field, or an option without a label, is missing: readers see the
// original's.
type QuestionText struct {
	Prompt   string
	EasyRead string
	Options  []OptionLabel // in the original's order; empty when none is translated
}

// OriginalLang is the language the consultation was written in: the first it offers
// (Romanian for consultations written before languages were chosen).
func (c *Consultation) OriginalLang() Lang {
	if len(c.Languages) == 0 {
		return LangRO
	}
	return c.Languages[0]
}

// OfferedLanguages returns the languages the consultation offers, the original first.
func (c *Consultation) OfferedLanguages() []Lang {
	if len(c.Languages) == 0 {
		return []Lang{LangRO}
	}
	return c.Languages
}

// ContentLang is the language a reader who asks for want is shown the consultation in: want
// when the consultation offers it, its original language otherwise. Anything, including an
// unknown or empty language, falls back; nothing is refused.
func (c *Consultation) ContentLang(want string) Lang {
	if l := Lang(want); slices.Contains(c.OfferedLanguages(), l) {
		return l
	}
	return c.OriginalLang()
}

// In returns the consultation as read in lang (one it offers, see ContentLang): each text in
// lang where it is written, in the original language where it is missing.
func (c *Consultation) In(lang Lang) Consultation {
	out := *c
	if lang == c.OriginalLang() {
		return out
	}
	t := c.Translations[lang]
	out.Title = or(t.Title, c.Title)
	out.Purpose = or(t.Purpose, c.Purpose)
	out.EasyRead = or(t.EasyRead, c.EasyRead)
	out.AudienceBody = or(t.AudienceBody, c.AudienceBody)
	return out
}

// In returns the question as read in lang, a language of its consultation other than the
// original or the original itself: its prompt, easy-read text and option labels in lang where
// they are written, in the original language where they are missing. Option IDs, the
// question's meaning, are the original's.
func (q *Question) In(lang Lang) Question {
	out := *q
	t, ok := q.Translations[lang]
	if !ok {
		return out
	}
	out.Prompt = or(t.Prompt, q.Prompt)
	out.EasyRead = or(t.EasyRead, q.EasyRead)
	out.Options = slices.Clone(q.Options)
	for i, o := range out.Options {
		for _, l := range t.Options {
			if l.ID == o.ID && l.Label != "" {
				out.Options[i].Label = l.Label
			}
		}
	}
	return out
}

func or(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}

// validateLanguages checks the consultation's languages and translations; a translation into
// a language the consultation does not offer is dropped (EINVALID for bad fields).
func (c *Consultation) validateLanguages() error {
	if len(c.Languages) == 0 {
		c.Languages = []Lang{LangRO}
	}
	if err := distinctValid("languages", c.Languages, func(l Lang) bool { return slices.Contains(ContentLanguages, l) }); err != nil {
		return err
	}
	for l := range c.Translations {
		if !slices.Contains(c.Languages[1:], l) {
			delete(c.Translations, l)
		}
	}
	for _, l := range c.Languages[1:] {
		t := c.Translations[l]
		if err := ValidateText("translations."+string(l)+".title", t.Title, 0, 120); err != nil {
			return err
		}
		if err := validateLongText("translations."+string(l)+".purpose", t.Purpose, 0, 2000); err != nil {
			return err
		}
		if err := validateLongText("translations."+string(l)+".easyRead", t.EasyRead, 0, 2000); err != nil {
			return err
		}
		if err := ValidateText("translations."+string(l)+".audienceBody", t.AudienceBody, 0, 200); err != nil {
			return err
		}
	}
	return nil
}

// prepareTranslations checks q's translations against its consultation c, after q's own
// options have their IDs. A translated option without an ID is the original's option at its
// position (a new question's options get their IDs only when stored); one whose ID the
// original does not have is refused (ETRANSLATIONOPTIONS). Labels are kept in the original's
// order. A translation into a language c does not offer is refused (EINVALID), except one
// that prev (the question as stored) already had: it is kept as it was, for the day the
// language is offered again.
func (q *Question) prepareTranslations(c *Consultation, prev *Question) error {
	out := map[Lang]QuestionText{}
	offered := c.OfferedLanguages()[1:]
	for l, t := range q.Translations {
		param := "translations." + string(l)
		if !slices.Contains(offered, l) {
			if prev != nil {
				if old, ok := prev.Translations[l]; ok && sameText(old, t) {
					out[l] = old
					continue
				}
			}
			return InvalidParam(param, "This consultation is not offered in %q; add the language to the consultation first.", l)
		}
		if err := ValidateText(param+".prompt", t.Prompt, 0, 300); err != nil {
			return err
		}
		if err := validateLongText(param+".easyRead", t.EasyRead, 0, 600); err != nil {
			return err
		}
		labels, err := q.translatedOptions(param+".options", t.Options)
		if err != nil {
			return err
		}
		t.Options = labels
		out[l] = t
	}
	if prev != nil {
		for l, old := range prev.Translations {
			if _, given := q.Translations[l]; !given && !slices.Contains(offered, l) {
				out[l] = old
			}
		}
	}
	q.Translations = out
	if len(out) == 0 {
		q.Translations = nil
	}
	return nil
}

func (q *Question) translatedOptions(param string, given []OptionLabel) ([]OptionLabel, error) {
	if len(given) == 0 || q.Kind == KindScale {
		// A scale's points are numbers, read out in words by the child's page.
		return nil, nil
	}
	mismatch := &Error{Code: ETRANSLATIONOPTIONS, Param: param,
		Message: "A translation must have the same options as the original question, each with the original option's identifier."}
	if !q.Kind.HasOptions() || len(given) != len(q.Options) {
		return nil, mismatch
	}
	byID := make(map[string]string, len(given))
	for i, l := range given {
		id := l.ID
		if id == "" {
			id = q.Options[i].ID
		}
		if _, twice := byID[id]; twice {
			return nil, mismatch
		}
		if _, ok := q.Option(id); !ok {
			return nil, mismatch
		}
		if err := ValidateText(param, l.Label, 0, 100); err != nil {
			return nil, err
		}
		byID[id] = l.Label
	}
	out := make([]OptionLabel, len(q.Options))
	for i, o := range q.Options {
		out[i] = OptionLabel{ID: o.ID, Label: byID[o.ID]}
	}
	return out, nil
}

func sameText(a, b QuestionText) bool {
	return a.Prompt == b.Prompt && a.EasyRead == b.EasyRead && slices.Equal(a.Options, b.Options)
}

// rewordedTranslations reports whether next changes a translation that q already had: a
// text a child may have read. A translation added where there was none, or a label or text
// filled in where it was missing, rewords nothing: until then children read the original,
// which stays.
func rewordedTranslations(q, next *Question) bool {
	for l, old := range q.Translations {
		now := next.Translations[l]
		if changed(old.Prompt, now.Prompt) || changed(old.EasyRead, now.EasyRead) {
			return true
		}
		for _, o := range old.Options {
			for _, n := range now.Options {
				if n.ID == o.ID && changed(o.Label, n.Label) {
					return true
				}
			}
			if o.Label != "" && !slices.ContainsFunc(now.Options, func(n OptionLabel) bool { return n.ID == o.ID }) {
				return true
			}
		}
	}
	return false
}

// changed reports whether a text that was written (old) is now different; filling in a
// missing one is not a change.
func changed(old, now string) bool { return strings.TrimSpace(old) != "" && old != now }

func cloneTranslations(t map[Lang]QuestionText) map[Lang]QuestionText {
	if t == nil {
		return nil
	}
	out := maps.Clone(t)
	for l, v := range out {
		v.Options = slices.Clone(v.Options)
		out[l] = v
	}
	return out
}

// MissingTranslations counts, for each language the consultation offers besides its
// original one, the texts not yet written in it: the title, purpose, easy-read text and
// audience when the original has them, and each question's prompt, easy-read text and option
// labels (a scale's points are numbers and need none). A consultation may open with texts missing:
// children are shown the original's text in their place, and the editor lists what is
// missing before anyone opens it.
func MissingTranslations(c *Consultation, qs []Question) map[Lang]int {
	out := map[Lang]int{}
	for _, l := range c.OfferedLanguages()[1:] {
		t := c.Translations[l]
		n := missing(c.Title, t.Title) + missing(c.Purpose, t.Purpose) + missing(c.EasyRead, t.EasyRead) + missing(c.AudienceBody, t.AudienceBody)
		for _, q := range qs {
			qt := q.Translations[l]
			n += missing(q.Prompt, qt.Prompt) + missing(q.EasyRead, qt.EasyRead)
			if q.Kind == KindScale {
				continue
			}
			for _, o := range q.Options {
				label := ""
				for _, ol := range qt.Options {
					if ol.ID == o.ID {
						label = ol.Label
					}
				}
				n += missing(o.Label, label)
			}
		}
		out[l] = n
	}
	return out
}

func missing(original, translated string) int {
	if strings.TrimSpace(original) != "" && strings.TrimSpace(translated) == "" {
		return 1
	}
	return 0
}

// consultationOf reads the consultation a question belongs to, for the rules that depend on
// its languages.
func (p *Participation) consultationOf(ctx context.Context, q *Question) (*Consultation, error) {
	return p.Store.FindConsultationByID(ctx, q.ConsultationID)
}

package httpapi

import (
	"strings"

	"github.com/voci-platform/voci/internal/voci"
)

// A consultation's and its questions' texts in the languages it offers besides its original
// one. Editors read and write them as "translations", keyed by language; readers (the results
// page, paper forms, children) ask for one language with ?lang= and get every text in it
// where it is written and in the original language otherwise. A language the consultation
// does not offer, or one Voci does not know, falls back the same way: a read is never refused
// for its language.

type consultationTextIO struct {
	Title    string `json:"title" validate:"max=120"`
	Purpose  string `json:"purpose" validate:"max=2000"`
	EasyRead string `json:"easyRead" validate:"max=2000"`
	// AudienceBody names who reads the children's views, in this language.
	AudienceBody string `json:"audienceBody" validate:"max=200"`
}

type optionLabelIO struct {
	// ID is the original option's; empty means the original's option at the same position
	// (a new question's options get their IDs when it is stored).
	ID    string `json:"id" validate:"max=32"`
	Label string `json:"label" validate:"max=100"`
}

type questionTextIO struct {
	Prompt   string          `json:"prompt" validate:"max=300"`
	EasyRead string          `json:"easyRead" validate:"max=600"`
	Options  []optionLabelIO `json:"options" validate:"max=12,dive"`
}

func toConsultationTextsOut(t map[voci.Lang]voci.ConsultationText) map[string]consultationTextIO {
	out := map[string]consultationTextIO{}
	for l, v := range t {
		out[string(l)] = consultationTextIO(v)
	}
	return out
}

func consultationTextsIn(t map[string]consultationTextIO) map[voci.Lang]voci.ConsultationText {
	if len(t) == 0 {
		return nil
	}
	out := make(map[voci.Lang]voci.ConsultationText, len(t))
	for l, v := range t {
		out[voci.Lang(l)] = voci.ConsultationText(v)
	}
	return out
}

func toQuestionTextsOut(t map[voci.Lang]voci.QuestionText) map[string]questionTextIO {
	out := map[string]questionTextIO{}
	for l, v := range t {
		io := questionTextIO{Prompt: v.Prompt, EasyRead: v.EasyRead, Options: []optionLabelIO{}}
		for _, o := range v.Options {
			io.Options = append(io.Options, optionLabelIO(o))
		}
		out[string(l)] = io
	}
	return out
}

func questionTextsIn(t map[string]questionTextIO) map[voci.Lang]voci.QuestionText {
	if len(t) == 0 {
		return nil
	}
	out := make(map[voci.Lang]voci.QuestionText, len(t))
	for l, v := range t {
		qt := voci.QuestionText{Prompt: v.Prompt, EasyRead: v.EasyRead}
		for _, o := range v.Options {
			qt.Options = append(qt.Options, voci.OptionLabel(o))
		}
		out[voci.Lang(l)] = qt
	}
	return out
}

func toMissingOut(m map[voci.Lang]int) map[string]int {
	out := map[string]int{}
	for l, n := range m {
		out[string(l)] = n
	}
	return out
}

// langTag reduces a language tag a device sends ("hu-HU", "EN") to its primary language, so
// that a child's page may send what the device says; what Voci does not speak stays as it is
// and falls back where it is used.
func langTag(tag string) string {
	primary, _, _ := strings.Cut(strings.TrimSpace(tag), "-")
	return strings.ToLower(primary)
}

// inLang returns the consultation and its questions as read in the language asked for (see
// voci.Consultation.ContentLang), and that language.
func inLang(cons *voci.Consultation, qs []voci.Question, want string) (*voci.Consultation, []voci.Question, voci.Lang) {
	lang := cons.ContentLang(langTag(want))
	c := cons.In(lang)
	out := make([]voci.Question, len(qs))
	for i := range qs {
		out[i] = qs[i].In(lang)
	}
	return &c, out, lang
}

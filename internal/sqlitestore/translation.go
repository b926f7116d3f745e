package sqlitestore

import (
	"github.com/voci-platform/voci/internal/voci"
)

// Translations are kept as JSON objects keyed by language, in the consultation's and the
// question's rows: they are read and written with them, never on their own.

type consultationTextRow struct {
	Title        string `json:"title,omitempty"`
	Purpose      string `json:"purpose,omitempty"`
	EasyRead     string `json:"easyRead,omitempty"`
	AudienceBody string `json:"audienceBody,omitempty"`
}

type optionLabelRow struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

type questionTextRow struct {
	Prompt   string           `json:"prompt,omitempty"`
	EasyRead string           `json:"easyRead,omitempty"`
	Options  []optionLabelRow `json:"options,omitempty"`
}

func consultationTranslations(c *voci.Consultation) string {
	rows := map[string]consultationTextRow{}
	for l, t := range c.Translations {
		rows[string(l)] = consultationTextRow(t)
	}
	return toJSON(rows)
}

func parseConsultationTranslations(s string) (map[voci.Lang]voci.ConsultationText, error) {
	rows, err := fromJSON[map[string]consultationTextRow](s)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	out := make(map[voci.Lang]voci.ConsultationText, len(rows))
	for l, t := range rows {
		out[voci.Lang(l)] = voci.ConsultationText(t)
	}
	return out, nil
}

func questionTextRows(t map[voci.Lang]voci.QuestionText) map[string]questionTextRow {
	rows := map[string]questionTextRow{}
	for l, v := range t {
		r := questionTextRow{Prompt: v.Prompt, EasyRead: v.EasyRead}
		for _, o := range v.Options {
			r.Options = append(r.Options, optionLabelRow(o))
		}
		rows[string(l)] = r
	}
	return rows
}

func questionTexts(rows map[string]questionTextRow) map[voci.Lang]voci.QuestionText {
	if len(rows) == 0 {
		return nil
	}
	out := make(map[voci.Lang]voci.QuestionText, len(rows))
	for l, r := range rows {
		t := voci.QuestionText{Prompt: r.Prompt, EasyRead: r.EasyRead}
		for _, o := range r.Options {
			t.Options = append(t.Options, voci.OptionLabel(o))
		}
		out[voci.Lang(l)] = t
	}
	return out
}

func questionTranslations(q *voci.Question) string { return toJSON(questionTextRows(q.Translations)) }

func parseQuestionTranslations(s string) (map[voci.Lang]voci.QuestionText, error) {
	rows, err := fromJSON[map[string]questionTextRow](s)
	return questionTexts(rows), err
}

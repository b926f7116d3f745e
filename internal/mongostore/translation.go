package mongostore

import (
	"github.com/voci-platform/voci/internal/voci"
)

// Translations live inside the consultation's and the question's documents, keyed by
// language, so that they change with them in one single-document update.

type consultationTextDoc struct {
	Title        string `bson:"title,omitempty"`
	Purpose      string `bson:"purpose,omitempty"`
	EasyRead     string `bson:"easyRead,omitempty"`
	AudienceBody string `bson:"audienceBody,omitempty"`
}

type optionLabelDoc struct {
	ID    string `bson:"id"`
	Label string `bson:"label"`
}

type questionTextDoc struct {
	Prompt   string           `bson:"prompt,omitempty"`
	EasyRead string           `bson:"easyRead,omitempty"`
	Options  []optionLabelDoc `bson:"options,omitempty"`
}

func consultationTextDocs(t map[voci.Lang]voci.ConsultationText) map[string]consultationTextDoc {
	out := map[string]consultationTextDoc{}
	for l, v := range t {
		out[string(l)] = consultationTextDoc(v)
	}
	return out
}

func consultationTexts(d map[string]consultationTextDoc) map[voci.Lang]voci.ConsultationText {
	if len(d) == 0 {
		return nil
	}
	out := make(map[voci.Lang]voci.ConsultationText, len(d))
	for l, v := range d {
		out[voci.Lang(l)] = voci.ConsultationText(v)
	}
	return out
}

func questionTextDocs(t map[voci.Lang]voci.QuestionText) map[string]questionTextDoc {
	out := map[string]questionTextDoc{}
	for l, v := range t {
		d := questionTextDoc{Prompt: v.Prompt, EasyRead: v.EasyRead}
		for _, o := range v.Options {
			d.Options = append(d.Options, optionLabelDoc(o))
		}
		out[string(l)] = d
	}
	return out
}

func questionTexts(d map[string]questionTextDoc) map[voci.Lang]voci.QuestionText {
	if len(d) == 0 {
		return nil
	}
	out := make(map[voci.Lang]voci.QuestionText, len(d))
	for l, v := range d {
		t := voci.QuestionText{Prompt: v.Prompt, EasyRead: v.EasyRead}
		for _, o := range v.Options {
			t.Options = append(t.Options, voci.OptionLabel(o))
		}
		out[voci.Lang(l)] = t
	}
	return out
}

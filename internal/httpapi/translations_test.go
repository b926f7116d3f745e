package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A consultation in several languages, as editors, children and readers meet it.
func TestConsultationInSeveralLanguages(t *testing.T) {
	ts, f := newSelfPacedFixture(t)
	single := f.questions["single"]
	consultation := map[string]any{
		"title": "Curtea școlii", "purpose": "Ce schimbăm în curte?", "audienceBody": "Consiliul Local Bacău",
		"answerBy": f.until.AddDate(0, 2, 0).Format(time.RFC3339), "modes": []string{"self_paced", "paper"},
		"selfPacedFrom": f.from.Format(time.RFC3339), "selfPacedUntil": f.until.Format(time.RFC3339),
		"languages": []string{"ro", "hu", "en"}, "translations": map[string]any{"hu": map[string]string{"title": "Az iskolaudvar", "audienceBody": "Bákó Helyi Tanácsa"}},
	}
	mustStatus(t, f.fac.do(t, "PUT", f.base, consultation), 200)
	// The audience is named in each language too; a too long one is refused by its field.
	tooLong := map[string]any{}
	for k, v := range consultation {
		tooLong[k] = v
	}
	tooLong["translations"] = map[string]any{"hu": map[string]string{"audienceBody": strings.Repeat("a", 201)}}
	if a := f.fac.do(t, "PUT", f.base, tooLong); a.status != 400 || a.problem(t)["param"] != "translations.hu.audienceBody" {
		t.Fatalf("a long audience in Hungarian: %d %s", a.status, a.body)
	}

	// A translation whose options are not the original's is refused; one by position or by ID
	// is taken.
	edit := func(labels []map[string]string) answer {
		return f.fac.do(t, "PUT", f.base+"/questions/"+single.ID, map[string]any{"kind": "single", "prompt": "Ce vrei în curte?",
			"options":      []map[string]string{{"id": single.Options[0].ID, "label": "bănci"}, {"id": single.Options[1].ID, "label": "copaci", "emoji": "🌳"}},
			"translations": map[string]any{"hu": map[string]any{"prompt": "Mit szeretnél az udvarra?", "options": labels}}})
	}
	for name, labels := range map[string][]map[string]string{
		"an unknown ID":  {{"id": single.Options[0].ID, "label": "padok"}, {"id": "pond", "label": "tó"}},
		"a missing one":  {{"id": single.Options[0].ID, "label": "padok"}},
		"the same twice": {{"id": single.Options[0].ID, "label": "padok"}, {"id": single.Options[0].ID, "label": "fák"}},
	} {
		a := edit(labels)
		if a.status != 400 || a.problem(t)["code"] != "translation_options_mismatch" {
			t.Fatalf("%s: %d %s", name, a.status, a.body)
		}
	}
	mustStatus(t, edit([]map[string]string{{"id": single.Options[0].ID, "label": "padok"}, {"label": "fák"}}), 200)

	// Readers ask for a language and get it where it is written, the original otherwise,
	// never an error.
	for lang, want := range map[string]struct{ lang, title, prompt, label string }{
		"hu":    {"hu", "Az iskolaudvar", "Mit szeretnél az udvarra?", "fák"},
		"hu-HU": {"hu", "Az iskolaudvar", "Mit szeretnél az udvarra?", "fák"},
		"en":    {"en", "Curtea școlii", "Ce vrei în curte?", "copaci"},
		"de":    {"ro", "Curtea școlii", "Ce vrei în curte?", "copaci"},
		"%3Cx":  {"ro", "Curtea școlii", "Ce vrei în curte?", "copaci"},
	} {
		a := f.fac.do(t, "GET", f.base+"?lang="+lang, nil)
		mustStatus(t, a, 200)
		var got struct {
			Lang      string `json:"lang"`
			Title     string `json:"title"`
			Questions []struct {
				ID      string                   `json:"id"`
				Prompt  string                   `json:"prompt"`
				Options []struct{ Label string } `json:"options"`
			} `json:"questions"`
			Missing map[string]int `json:"missingTranslations"`
		}
		decodeBody(t, a, &got)
		var q = got.Questions[0]
		for _, x := range got.Questions {
			if x.ID == single.ID {
				q = x
			}
		}
		if got.Lang != want.lang || got.Title != want.title || q.Prompt != want.prompt || q.Options[1].Label != want.label {
			t.Fatalf("?lang=%s: %s", lang, a.body)
		}
		if got.Missing["hu"] == 0 || got.Missing["en"] <= got.Missing["hu"] {
			t.Fatalf("missing translations: %v", got.Missing)
		}
	}

	// Children: each reads it in their language, the original where theirs is not offered.
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	key, _ := f.link(t)
	f.clock.Set(f.from)
	if a := (&kid{ts: ts, key: key}).do(t, "GET", "?lang=hu", nil); !strings.Contains(string(a.body), `"title":"Az iskolaudvar"`) ||
		!strings.Contains(string(a.body), `"audienceBody":"Bákó Helyi Tanácsa"`) {
		t.Fatalf("the link before joining, in Hungarian: %s", a.body)
	}
	hu, de := &kid{ts: ts, key: key}, &kid{ts: ts, key: key}
	hu.join(t, "hu-HU")
	de.join(t, "de")
	for i, k := range []*kid{hu, de} {
		want := []string{"Mit szeretnél az udvarra?", "Ce vrei în curte?"}[i]
		a := k.do(t, "GET", "/me", nil)
		mustStatus(t, a, 200)
		if !strings.Contains(string(a.body), `"prompt":"`+want+`"`) {
			t.Fatalf("a child's questions, want %q: %s", want, a.body)
		}
		k.mustAnswer(t, single.ID, map[string]any{"choices": []string{single.Options[1].ID}, "idempotencyKey": fmt.Sprintf("key-lang-%d", i)})
	}
	// The Hungarian child reading Romanian for a while: the page asks, the server follows.
	if a := hu.do(t, "GET", "/me?lang=ro", nil); !strings.Contains(string(a.body), `"prompt":"Ce vrei în curte?"`) {
		t.Fatalf("?lang=ro: %s", a.body)
	}

	// Results add up both children's answers on the one option, labelled in the reader's language.
	a := f.fac.do(t, "GET", f.base+"/results?lang=hu&question="+single.ID, nil)
	mustStatus(t, a, 200)
	var r struct {
		Questions []struct {
			Prompt  string `json:"prompt"`
			Options []struct {
				ID    string `json:"id"`
				Label string `json:"label"`
				Count int    `json:"count"`
			} `json:"options"`
		} `json:"questions"`
	}
	decodeBody(t, a, &r)
	o := r.Questions[0].Options[1]
	if r.Questions[0].Prompt != "Mit szeretnél az udvarra?" || o.Label != "fák" || o.Count != 2 || o.ID != single.Options[1].ID {
		t.Fatalf("results in Hungarian: %s", a.body)
	}
}

type liveState struct {
	State    string `json:"state"`
	Lang     string `json:"lang"`
	Question *struct {
		ID      string `json:"id"`
		Prompt  string `json:"prompt"`
		Options []struct {
			ID    string `json:"id"`
			Label string `json:"label"`
		} `json:"options"`
	} `json:"question"`
	Languages    []string `json:"languages"`
	Translations map[string]struct {
		Prompt string `json:"prompt"`
	} `json:"translations"`
}

// openState reads session.state messages until one shows an open question.
func openState(t *testing.T, w *wsConn) liveState {
	t.Helper()
	for {
		var s liveState
		w.expect("session.state").decode(t, &s)
		if s.State == "question_open" && s.Question != nil {
			return s
		}
	}
}

// offerHungarian offers the fixture's consultation in Romanian, Hungarian and English, with
// its title and single-choice question written in Hungarian too.
func offerHungarian(t *testing.T, f *fixture) {
	t.Helper()
	base := fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s", bacau, f.consultationID)
	mustStatus(t, f.fac.do(t, "PUT", base, map[string]any{
		"title": "Parcul nostru", "audienceBody": "Consiliul Local Bacău", "answerBy": time.Now().AddDate(0, 2, 0).UTC().Format(time.RFC3339),
		"modes": []string{"live"}, "languages": []string{"ro", "hu", "en"},
		"translations": map[string]any{"hu": map[string]any{"title": "A mi parkunk"}},
	}), 200)
	labels := []map[string]string{{"label": "hinta"}, {"label": "fák"}, {"label": "tó"}}
	mustStatus(t, f.fac.do(t, "PUT", base+"/questions/"+f.single.ID, map[string]any{"kind": "single", "prompt": "Ce vrei mai mult?",
		"options":      []map[string]string{{"id": f.single.Options[0].ID, "label": "swings", "emoji": "🛝"}, {"id": f.single.Options[1].ID, "label": "trees", "emoji": "🌳"}, {"id": f.single.Options[2].ID, "label": "pond"}},
		"translations": map[string]any{"hu": map[string]any{"prompt": "Mit szeretnél inkább?", "options": labels}}}), 200)
}

// A Hungarian child and a Romanian child in one room each get the question in their
// language, over real websockets; the projector gets it in the consultation's languages;
// both answers count for the one option.
func TestLiveRoomSpeaksEachChildsLanguage(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	offerHungarian(t, f)

	fac := ls.adult(t, f.fac, f, "facilitator")
	presenter := ls.adult(t, f.fac, f, "presenter")
	hu, ro, en := ls.join(t, f, "hu"), ls.join(t, f, "ro"), ls.join(t, f, "en")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})

	for _, c := range []struct {
		kid                 *child
		lang, prompt, label string
	}{
		{hu, "hu", "Mit szeretnél inkább?", "fák"},
		{ro, "ro", "Ce vrei mai mult?", "trees"},
		{en, "en", "Ce vrei mai mult?", "trees"}, // offered, not written: the original's words
	} {
		s := openState(t, c.kid.wsConn)
		if s.Lang != c.lang || s.Question.Prompt != c.prompt || s.Question.Options[1].Label != c.label ||
			s.Question.Options[1].ID != f.single.Options[1].ID || s.Translations != nil {
			t.Fatalf("the %s child's question: %+v", c.lang, s)
		}
	}
	p := openState(t, presenter)
	if p.Lang != "ro" || p.Question.Prompt != "Ce vrei mai mult?" || strings.Join(p.Languages, ",") != "ro,hu,en" ||
		p.Translations["hu"].Prompt != "Mit szeretnél inkább?" || p.Translations["en"].Prompt != "Ce vrei mai mult?" {
		t.Fatalf("the projector's question: %+v", p)
	}

	trees := f.single.Options[1].ID
	hu.mustAnswer(t, f.single.ID, []string{trees}, "", "key-hu-0001")
	ro.mustAnswer(t, f.single.ID, []string{trees}, "", "key-ro-0001")
	waitTally(t, presenter, func(d tally) bool {
		for _, o := range d.Options {
			if o.ID == trees && o.Count == 2 {
				return true
			}
		}
		return false
	})
}

// A child who changes language mid-question gets the open question again in the new
// language, on the same socket and with the same option IDs; the answer picked before counts;
// a reconnection keeps the new language; a language Voci does not speak is refused.
func TestLiveChildChangesLanguageMidQuestion(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	offerHungarian(t, f)

	fac := ls.adult(t, f.fac, f, "facilitator")
	kid := ls.join(t, f, "ro")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})
	if s := openState(t, kid.wsConn); s.Lang != "ro" || s.Question.Prompt != "Ce vrei mai mult?" {
		t.Fatalf("before: %+v", s)
	}

	id := kid.send("lang.set", map[string]string{"lang": "hu"})
	var s liveState
	kid.expect("session.state").decode(t, &s)
	if s.Lang != "hu" || s.State != "question_open" || s.Question.Prompt != "Mit szeretnél inkább?" ||
		s.Question.Options[1].Label != "fák" || s.Question.Options[1].ID != f.single.Options[1].ID {
		t.Fatalf("after lang.set: %+v", s)
	}
	r := kid.reply(id)
	var ok struct {
		Participant struct {
			Alias string `json:"alias"`
			Lang  string `json:"lang"`
		} `json:"participant"`
		ConsultationTitle string `json:"consultationTitle"`
		AudienceBody      string `json:"audienceBody"`
	}
	if r.Type != "lang.ok" {
		t.Fatalf("lang.set: %s %s", r.Type, r.Data)
	}
	if err := json.Unmarshal(r.Data, &ok); err != nil || ok.Participant.Lang != "hu" || ok.Participant.Alias != kid.alias ||
		ok.ConsultationTitle != "A mi parkunk" || ok.AudienceBody != "Consiliul Local Bacău" {
		t.Fatalf("lang.ok: %s", r.Data)
	}
	kid.mustAnswer(t, f.single.ID, []string{f.single.Options[1].ID}, "", "key-lang-0001")

	if code := kid.errorCode(kid.reply(kid.send("lang.set", map[string]string{"lang": "de"}))); code != "invalid_parameter" {
		t.Fatalf("lang de: %q", code)
	}

	again := ls.mustDial(t, participantPath, childHeader(kid.token))
	if s := openState(t, again); s.Lang != "hu" || s.Question.Prompt != "Mit szeretnél inkább?" {
		t.Fatalf("after reconnecting: %+v", s)
	}
}

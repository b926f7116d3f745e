package httpapi

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// Results: counts, percentages and approved texts, by age band and gender with small cells
// suppressed. A suppressed count is null with "suppressed": true, never a number.

type countOut struct {
	ID         string `json:"id"`
	Count      *int   `json:"count"`
	Suppressed bool   `json:"suppressed,omitempty"`
}

type groupOut struct {
	Group       string     `json:"group"`
	Respondents *int       `json:"respondents"`
	Suppressed  bool       `json:"suppressed,omitempty"`
	Options     []countOut `json:"options"`
	// Ranks are a ranking's statistics for the group, per option in the options' order; null
	// figures with "suppressed": true when the group's row has anything hidden.
	Ranks []rankOut `json:"ranks,omitempty"`
}

type rankOut struct {
	ID          string   `json:"id"`
	Points      *int     `json:"points"`
	AverageRank *float64 `json:"averageRank"`
	Suppressed  bool     `json:"suppressed,omitempty"`
}

type breakdownOut struct {
	Groups []groupOut `json:"groups"`
}

type optionResultOut struct {
	ID      string  `json:"id"`
	Label   string  `json:"label"`
	Emoji   string  `json:"emoji,omitempty"`
	Count   int     `json:"count"`
	Percent float64 `json:"percent"`
	// A ranking's Borda points (n-r for place r of n) and average place (1 is first); Count
	// is then how many put the option first.
	Points      int     `json:"points,omitempty"`
	AverageRank float64 `json:"averageRank,omitempty"`
}

type textOut struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Source string `json:"source"`
	// Reactions are the other children's, for an idea board.
	Reactions *reactionsOut `json:"reactions,omitempty"`
}

type reactionsOut struct {
	Agree    int `json:"agree"`
	Disagree int `json:"disagree"`
	Pass     int `json:"pass"`
}

type wordOut struct {
	Word  string `json:"word"`
	Count int    `json:"count"`
}

type questionResultsOut struct {
	QuestionID  string            `json:"questionId"`
	Position    int               `json:"position"`
	Kind        string            `json:"kind"`
	Prompt      string            `json:"prompt"`
	Respondents int               `json:"respondents"`
	BySource    map[string]int    `json:"bySource"`
	Options     []optionResultOut `json:"options"`
	Texts       []textOut         `json:"texts"`
	Words       []wordOut         `json:"words,omitempty"`
	ByAgeBand   *breakdownOut     `json:"byAgeBand,omitempty"`
	ByGender    *breakdownOut     `json:"byGender,omitempty"`
	// PromptVersions are the question's wordings, oldest first, when it was reworded after
	// children answered; the current one is last.
	PromptVersions []promptVersionOut `json:"promptVersions,omitempty"`
}

// promptVersionOut is one wording of a question and how many answered under it (null and
// suppressed when the count is small or would reveal one that is).
type promptVersionOut struct {
	Version     int        `json:"version"`
	Prompt      string     `json:"prompt"`
	From        time.Time  `json:"from"`
	Until       *time.Time `json:"until"`
	Respondents *int       `json:"respondents"`
	Suppressed  bool       `json:"suppressed"`
}

type resultsOut struct {
	ConsultationID string               `json:"consultationId"`
	Title          string               `json:"title"`
	K              int                  `json:"k"`
	GeneratedAt    time.Time            `json:"generatedAt"`
	Questions      []questionResultsOut `json:"questions"`
}

func cellPtr(c voci.Cell) *int {
	if c.Suppressed {
		return nil
	}
	n := c.N
	return &n
}

func toBreakdownOut(b *voci.Breakdown, q *voci.Question) *breakdownOut {
	if b == nil {
		return nil
	}
	out := &breakdownOut{Groups: []groupOut{}}
	for _, g := range b.Groups {
		gr := groupOut{Group: g.Group, Respondents: cellPtr(g.Respondents), Suppressed: g.Respondents.Suppressed, Options: []countOut{}}
		for j, cell := range g.Options {
			gr.Options = append(gr.Options, countOut{ID: q.Options[j].ID, Count: cellPtr(cell), Suppressed: cell.Suppressed})
		}
		for j, st := range g.Ranks {
			ro := rankOut{ID: q.Options[j].ID, Suppressed: st.Suppressed}
			if !st.Suppressed {
				points, avg := st.Points, st.AverageRank
				ro.Points, ro.AverageRank = &points, &avg
			}
			gr.Ranks = append(gr.Ranks, ro)
		}
		out.Groups = append(out.Groups, gr)
	}
	return out
}

func toQuestionResultsOut(r *voci.QuestionResults) questionResultsOut {
	q := r.Question
	out := questionResultsOut{QuestionID: q.ID, Position: q.Position, Kind: string(q.Kind), Prompt: q.Prompt, Respondents: r.Respondents,
		BySource: map[string]int{}, Options: []optionResultOut{}, Texts: []textOut{},
		ByAgeBand: toBreakdownOut(r.ByAgeBand, q), ByGender: toBreakdownOut(r.ByGender, q)}
	for src, n := range r.BySource {
		out.BySource[string(src)] = n
	}
	for _, o := range r.Options {
		out.Options = append(out.Options, optionResultOut{ID: o.OptionID, Label: o.Label, Emoji: o.Emoji, Count: o.Count, Percent: o.Percent, Points: o.Points, AverageRank: o.AverageRank})
	}
	for _, t := range r.Texts {
		to := textOut{ID: t.AnswerID, Text: t.Text, Source: string(t.Source)}
		if q.Kind == voci.KindIdeaBoard {
			to.Reactions = &reactionsOut{Agree: t.Reactions.Agree, Disagree: t.Reactions.Disagree, Pass: t.Reactions.Pass}
		}
		out.Texts = append(out.Texts, to)
	}
	for _, w := range r.Words {
		out.Words = append(out.Words, wordOut{Word: w.Word, Count: w.Count})
	}
	for _, v := range r.PromptVersions {
		out.PromptVersions = append(out.PromptVersions, promptVersionOut{Version: v.Version, Prompt: v.Prompt, From: v.From,
			Until: optTime(v.Until), Respondents: cellPtr(v.Respondents), Suppressed: v.Respondents.Suppressed})
	}
	return out
}

func (s *Server) consultationResults(c *fiber.Ctx) (*voci.Consultation, resultsOut, error) {
	cons, err := s.consultationIn(c)
	if err != nil {
		return nil, resultsOut{}, err
	}
	qs, err := s.Store.ListQuestions(c.UserContext(), cons.ID)
	if err != nil {
		return nil, resultsOut{}, err
	}
	// Answers are counted by option ID, the same in every language; ?lang= only chooses the
	// words the reader sees.
	read, qs, _ := inLang(cons, qs, c.Query("lang"))
	cons = read
	out := resultsOut{ConsultationID: cons.ID, Title: cons.Title, K: max(s.Participation.K, 1), GeneratedAt: s.Clock().UTC(), Questions: []questionResultsOut{}}
	if s.Participation.K == 0 {
		out.K = voci.DefaultK
	}
	if id := c.Query("question"); id != "" {
		qs = filterQuestion(qs, id)
		if len(qs) == 0 {
			return nil, resultsOut{}, voci.Errorf(voci.ENOTFOUND, "No such question in this consultation.")
		}
	}
	for i := range qs {
		r, err := s.Participation.Results(c.UserContext(), &qs[i])
		if err != nil {
			return nil, resultsOut{}, err
		}
		out.Questions = append(out.Questions, toQuestionResultsOut(r))
	}
	return cons, out, nil
}

func filterQuestion(qs []voci.Question, id string) []voci.Question {
	for _, q := range qs {
		if q.ID == id {
			return []voci.Question{q}
		}
	}
	return nil
}

func (s *Server) handleResults() fiber.Handler {
	return func(c *fiber.Ctx) error {
		_, out, err := s.consultationResults(c)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(out)
	}
}

// handleExportJSON is the results as a file to keep.
func (s *Server) handleExportJSON() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cons, out, err := s.consultationResults(c)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="voci-results-`+cons.ID+`.json"`)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(out)
	}
}

// handleExportCSV is the results as one table: a row per count (overall, by age band, by
// gender) and per approved text. Every cell is made safe to open in a spreadsheet. For a
// ranking, count is how many put the option first, and points and average_rank are its Borda
// points and average place (empty where hidden, and for other kinds).
func (s *Server) handleExportCSV() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cons, out, err := s.consultationResults(c)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		buf.WriteString("\ufeff") // a BOM, so that spreadsheet programs read UTF-8 (ă, ș, ő)
		w := csv.NewWriter(&buf)
		const columns = 13
		row := func(cells ...string) {
			for len(cells) < columns {
				cells = append(cells, "")
			}
			w.Write(csvRow(cells...))
		}
		row("question_position", "question_id", "question", "kind", "breakdown", "group", "option_id", "option", "count", "percent", "suppressed", "points", "average_rank")
		for _, q := range out.Questions {
			pos := strconv.Itoa(q.Position + 1)
			labels := map[string]string{}
			for _, o := range q.Options {
				labels[o.ID] = o.Label
				points, avg := "", ""
				if q.Kind == string(voci.KindRanking) {
					points, avg = strconv.Itoa(o.Points), formatRank(o.AverageRank)
				}
				row(pos, q.QuestionID, q.Prompt, q.Kind, "all", "all", o.ID, o.Label, strconv.Itoa(o.Count), strconv.FormatFloat(o.Percent, 'f', 1, 64), "false", points, avg)
			}
			for _, b := range []struct {
				name string
				bd   *breakdownOut
			}{{"age_band", q.ByAgeBand}, {"gender", q.ByGender}} {
				if b.bd == nil {
					continue
				}
				for _, g := range b.bd.Groups {
					for j, o := range g.Options {
						count, points, avg := "", "", ""
						if o.Count != nil {
							count = strconv.Itoa(*o.Count)
						}
						suppressed := o.Suppressed
						if j < len(g.Ranks) {
							if r := g.Ranks[j]; r.Points != nil && r.AverageRank != nil {
								points, avg = strconv.Itoa(*r.Points), formatRank(*r.AverageRank)
							}
							suppressed = suppressed || g.Ranks[j].Suppressed
						}
						row(pos, q.QuestionID, q.Prompt, q.Kind, b.name, g.Group, o.ID, labels[o.ID], count, "", strconv.FormatBool(suppressed), points, avg)
					}
				}
			}
			// A reworded question: each wording, with how many answered it, as the group.
			for _, v := range q.PromptVersions {
				count := ""
				if v.Respondents != nil {
					count = strconv.Itoa(*v.Respondents)
				}
				row(pos, q.QuestionID, q.Prompt, q.Kind, "prompt_version", strconv.Itoa(v.Version), "", v.Prompt, count, "", strconv.FormatBool(v.Suppressed))
			}
			for _, t := range q.Texts {
				row(pos, q.QuestionID, q.Prompt, q.Kind, "text", t.Source, t.ID, t.Text, "1", "", "false")
				if t.Reactions != nil {
					for _, rc := range []struct {
						name string
						n    int
					}{{"agree", t.Reactions.Agree}, {"disagree", t.Reactions.Disagree}, {"pass", t.Reactions.Pass}} {
						row(pos, q.QuestionID, q.Prompt, q.Kind, "reaction", rc.name, t.ID, t.Text, strconv.Itoa(rc.n), "", "false")
					}
				}
			}
		}
		w.Flush()
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="voci-results-`+cons.ID+`.csv"`)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Send(buf.Bytes())
	}
}

// formatRank writes an average place with two decimals, empty when nobody placed the option.
func formatRank(avg float64) string {
	if avg == 0 {
		return ""
	}
	return strconv.FormatFloat(avg, 'f', 2, 64)
}

// Moderation.

type moderationItemOut struct {
	AnswerID   string    `json:"answerId"`
	QuestionID string    `json:"questionId"`
	SessionID  string    `json:"sessionId,omitempty"`
	Text       string    `json:"text"`
	Moderation string    `json:"moderation"`
	Flags      []string  `json:"flags"`
	Revision   int       `json:"revision"`
	Source     string    `json:"source"`
	At         time.Time `json:"at"`
}

func toModerationItem(a *voci.Answer) moderationItemOut {
	flags := a.Flags
	if flags == nil {
		flags = []string{}
	}
	return moderationItemOut{AnswerID: a.ID, QuestionID: a.QuestionID, SessionID: a.SessionID, Text: a.Text,
		Moderation: string(a.Moderation), Flags: flags, Revision: a.Revision, Source: string(a.Source), At: a.UpdatedAt}
}

// handleModerationQueue lists texts to review. Texts screening held now come apart, under
// held, each with its reasons, so that a console never shows them among ordinary texts.
func (s *Server) handleModerationQueue() fiber.Handler {
	type response struct {
		Items []moderationItemOut `json:"items"`
		Held  []moderationItemOut `json:"held"`
	}
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		queue, err := s.Participation.ReviewTexts(c.UserContext(), cons, voci.ReviewFilter(c.Query("state")))
		if err != nil {
			return err
		}
		resp := response{Items: []moderationItemOut{}, Held: []moderationItemOut{}}
		for i := range queue {
			if queue[i].Moderation == voci.ModerationHeld {
				resp.Held = append(resp.Held, toModerationItem(&queue[i]))
			} else {
				resp.Items = append(resp.Items, toModerationItem(&queue[i]))
			}
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(resp)
	}
}

func (s *Server) handleModerate() fiber.Handler {
	type request struct {
		State    string `json:"state" validate:"required,oneof=approved rejected"`
		Revision int    `json:"revision" validate:"required,min=1"`
		// ConfirmHeld is the second step of approving a text screening flagged.
		ConfirmHeld bool `json:"confirmHeld"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		a, err := s.Store.FindAnswerByID(c.UserContext(), c.Params("aid"))
		if err != nil {
			return err
		}
		if a.Municipality != sirutaOf(c) {
			return voci.Errorf(voci.ENOTFOUND, "No such answer.")
		}
		before := a.Moderation
		// The decision only, never the text moderated; a change of mind says what it overturned,
		// and a flagged text's approval why screening held it.
		detail := req.State
		if before == voci.ModerationApproved || before == voci.ModerationRejected {
			detail += " (was " + string(before) + ")"
		}
		if req.State == string(voci.ModerationApproved) && len(a.Flags) > 0 {
			detail += "; confirmed, held for: " + strings.Join(a.Flags, ", ")
		}
		updated, err := s.Participation.Moderate(c.UserContext(), a, req.Revision, voci.ModerationState(req.State), principalOf(c).account.ID, req.ConfirmHeld,
			s.changeAudit(c, "answer.moderate", "answer", a.ID, detail))
		if err != nil {
			return err
		}
		if updated.SessionID != "" {
			s.Hub.TextModerated(updated.SessionID, updated.ID)
		}
		return c.JSON(toModerationItem(updated))
	}
}

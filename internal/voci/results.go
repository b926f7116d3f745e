package voci

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

// DefaultK is the smallest group size a result may show.
const DefaultK = 5

// NotGiven is the group of children who did not give an age band or a gender.
const NotGiven = "not_given"

// Cell is one count of a breakdown. A suppressed cell's N must not be shown, and every
// suppressed cell is labelled alike, whatever the reason it is hidden: a label such as "fewer
// than k" on some of them would tell their range.
type Cell struct {
	N          int
	Suppressed bool
}

// Breakdown splits a question's counts by one property of the children (age band, gender).
type Breakdown struct {
	Dimension string // "age_band" or "gender"
	Groups    []GroupCounts
}

// GroupCounts is one row of a breakdown: how many children of the group answered, and how
// many chose each option (in the question's option order).
type GroupCounts struct {
	Group       string
	Respondents Cell
	Options     []Cell
	// Ranks are the group's ranking statistics per option (a ranking question only). They are
	// hidden, all of them, when anything of the group's row is: see rankingBreakdown.
	Ranks []RankStats
}

// RankStats are one option's ranking statistics over a set of ballots.
type RankStats struct {
	Points      int     // Borda points (see OptionResult)
	AverageRank float64 // 1 is first; two decimals; 0 when nobody ranked it
	Suppressed  bool
}

// OptionResult is one option's overall count. For a ranking, Count is how many put it first,
// Points its Borda score and AverageRank the mean of the places it was given (1 is first, two
// decimals).
//
// The Borda count used is the classic one (Jean-Charles de Borda, "Mémoire sur les élections
// au scrutin", 1781; the "standard" variant in Emerson, "The original Borda count and partial
// voting", Social Choice and Welfare 40, 2013): on a ballot of n options the option in place r
// (1 to n) gets n-r points, so n-1 for first place and 0 for last. A ranking ballot always
// places every option (CheckAnswer), so no partial-ballot variant is needed.
type OptionResult struct {
	OptionID    string
	Label       string
	Emoji       string
	Count       int
	Percent     float64 // of respondents, one decimal
	Points      int
	AverageRank float64
}

// TextResult is one approved text.
type TextResult struct {
	AnswerID string
	Text     string
	Source   AnswerSource
	// Reactions are the other children's reactions, for an idea board.
	Reactions ReactionCounts
}

// WordCount is one word of a word cloud.
type WordCount struct {
	Word  string
	Count int
}

// QuestionResults are what a question's answers add up to. Only visible answers count: text
// is counted once approved.
type QuestionResults struct {
	Question    *Question
	Respondents int
	BySource    map[AnswerSource]int
	Options     []OptionResult
	Texts       []TextResult
	Words       []WordCount
	ByAgeBand   *Breakdown // nil for text questions: a text and a band together may identify
	ByGender    *Breakdown
	K           int
	// PromptVersions are the question's wordings with how many answered under each, when
	// the wording changed after children answered; nil otherwise.
	PromptVersions []PromptVersionCount
}

// AnswerCount is how many visible answers to an option question are alike: the same
// choices (in order), age band, gender and source. Stores count them, so that results need not
// read every answer.
type AnswerCount struct {
	Choices []string
	AgeBand AgeBand
	Gender  Gender
	Source  AnswerSource
	N       int
}

// TallyResults adds up the answers to q, suppressing breakdown cells below k (and the cells
// that would give them away).
func TallyResults(q *Question, answers []Answer, k int) *QuestionResults {
	var counts []AnswerCount
	var texts []Answer
	for i := range answers {
		a := &answers[i]
		if !a.Visible() || a.QuestionID != q.ID {
			continue
		}
		if q.Kind.IsText() {
			texts = append(texts, *a)
			continue
		}
		counts = append(counts, AnswerCount{Choices: a.Choices, AgeBand: a.AgeBand, Gender: a.Gender, Source: a.Source, N: 1})
	}
	return TallyCounts(q, counts, texts, k)
}

// TallyCounts is TallyResults from counted option answers and the visible texts.
func TallyCounts(q *Question, counts []AnswerCount, texts []Answer, k int) *QuestionResults {
	if k < 1 {
		k = DefaultK
	}
	r := &QuestionResults{Question: q, BySource: map[AnswerSource]int{}, K: k}
	index := make(map[string]int, len(q.Options))
	for i, o := range q.Options {
		index[o.ID] = i
		r.Options = append(r.Options, OptionResult{OptionID: o.ID, Label: o.Label, Emoji: o.Emoji})
	}
	bands := newGrouping(len(q.Options), ageBandGroups())
	genders := newGrouping(len(q.Options), genderGroups())
	overall := newRankTotals(len(q.Options))
	words := map[string]int{}
	for i := range texts {
		a := &texts[i]
		if !a.Visible() || a.QuestionID != q.ID || !q.Kind.IsText() {
			continue
		}
		r.Respondents++
		r.BySource[a.Source]++
		r.Texts = append(r.Texts, TextResult{AnswerID: a.ID, Text: a.Text, Source: a.Source})
		if q.Kind == KindWordCloud {
			for _, w := range cloudWords(a.Text) {
				words[w]++
			}
		}
	}
	if q.Kind.IsText() {
		counts = nil
	}
	for _, c := range counts {
		r.Respondents += c.N
		r.BySource[c.Source] += c.N
		band, gender := string(c.AgeBand), string(c.Gender)
		bands.respondent(band, c.N)
		genders.respondent(gender, c.N)
		for pos, id := range c.Choices {
			j, ok := index[id]
			if !ok {
				continue
			}
			if q.Kind == KindRanking {
				overall.place(j, pos, c.N)
				bands.place(band, j, pos, c.N)
				genders.place(gender, j, pos, c.N)
				if pos != 0 {
					continue
				}
			}
			r.Options[j].Count += c.N
			bands.count(band, j, c.N)
			genders.count(gender, j, c.N)
		}
	}
	for i := range r.Options {
		if q.Kind == KindRanking {
			st := overall.stats(i)
			r.Options[i].Points, r.Options[i].AverageRank = st.Points, st.AverageRank
		}
		if r.Respondents > 0 {
			r.Options[i].Percent = math.Round(float64(r.Options[i].Count)*1000/float64(r.Respondents)) / 10
		}
	}
	if q.Kind.HasOptions() {
		// A child counts in one column, except in multiple choice.
		maxChoices := 1
		if q.Kind == KindMultiple {
			maxChoices = len(q.Options)
			if q.MaxChoices > 0 {
				maxChoices = q.MaxChoices
			}
		}
		r.ByAgeBand = bands.breakdown("age_band", maxChoices, k)
		r.ByGender = genders.breakdown("gender", maxChoices, k)
	}
	for w, n := range words {
		r.Words = append(r.Words, WordCount{Word: w, Count: n})
	}
	sort.Slice(r.Words, func(i, j int) bool {
		if r.Words[i].Count != r.Words[j].Count {
			return r.Words[i].Count > r.Words[j].Count
		}
		return r.Words[i].Word < r.Words[j].Word
	})
	if len(r.Words) > 100 {
		r.Words = r.Words[:100]
	}
	return r
}

func ageBandGroups() []string {
	g := []string{}
	for _, b := range AgeBands {
		g = append(g, string(b))
	}
	return append(g, NotGiven)
}

func genderGroups() []string {
	g := []string{}
	for _, x := range Genders {
		g = append(g, string(x))
	}
	return append(g, NotGiven)
}

// RankingStats are an option's Borda points and average place (see OptionResult) on ballots
// of options options, from how many ballots placed it and the sum of the places they gave it
// (1 is first). Both are sums over ballots, so a live tally can add a ballot and take it away
// again without keeping the ballots.
func RankingStats(options, ballots, placeSum int) RankStats {
	// Σ(n-r) over the ballots is n·ballots - Σr.
	st := RankStats{Points: options*ballots - placeSum}
	if ballots > 0 {
		st.AverageRank = math.Round(float64(placeSum)*100/float64(ballots)) / 100
	}
	return st
}

// rankTotals add up the places a set of ballots gave each option.
type rankTotals struct {
	n       int   // options on a ballot
	places  []int // sum of the places (1 is first) per option
	ballots []int // ballots that placed the option
}

func newRankTotals(options int) *rankTotals {
	return &rankTotals{n: options, places: make([]int, options), ballots: make([]int, options)}
}

// place counts n ballots that put option in position pos (0 is first).
func (t *rankTotals) place(option, pos, n int) {
	t.places[option] += (pos + 1) * n
	t.ballots[option] += n
}

func (t *rankTotals) stats(option int) RankStats {
	return RankingStats(t.n, t.ballots[option], t.places[option])
}

type grouping struct {
	names  []string
	index  map[string]int
	totals []int
	cells  [][]int
	ranks  []*rankTotals
	ranked bool // a ranking: rows carry ranking statistics
}

func newGrouping(options int, names []string) *grouping {
	g := &grouping{names: names, index: map[string]int{}, totals: make([]int, len(names)), cells: make([][]int, len(names)),
		ranks: make([]*rankTotals, len(names))}
	for i, n := range names {
		g.index[n] = i
		g.cells[i] = make([]int, options)
		g.ranks[i] = newRankTotals(options)
	}
	return g
}

func (g *grouping) place(name string, option, pos, n int) {
	g.ranks[g.row(name)].place(option, pos, n)
	g.ranked = true
}

func (g *grouping) row(name string) int {
	if i, ok := g.index[name]; ok && name != "" {
		return i
	}
	return g.index[NotGiven]
}

func (g *grouping) respondent(name string, n int) { g.totals[g.row(name)] += n }
func (g *grouping) count(name string, option, n int) {
	g.cells[g.row(name)][option] += n
}

func (g *grouping) breakdown(dimension string, maxChoices, k int) *Breakdown {
	sup := SuppressSmallCells(CountTable{Cells: g.cells, RowTotals: g.totals, MaxChoices: maxChoices}, k)
	b := &Breakdown{Dimension: dimension}
	for i, name := range g.names {
		gc := GroupCounts{Group: name, Respondents: Cell{N: g.totals[i], Suppressed: sup.Rows[i]}}
		hidden := sup.Rows[i]
		for j, n := range g.cells[i] {
			gc.Options = append(gc.Options, Cell{N: n, Suppressed: sup.Cells[i][j]})
			hidden = hidden || sup.Cells[i][j]
		}
		if g.ranked {
			gc.Ranks = rankingRow(g.ranks[i], hidden)
		}
		b.Groups = append(b.Groups, gc)
	}
	return b
}

// rankingRow is a group's ranking statistics, hidden whole when anything of the group's row
// (its total or a first-place count) is. Points and places are sums over the group's
// ballots, and the overall figures are public, so they are suppressed like the first-place
// counts: a group's row is hidden only where secondary suppression has hidden another row's
// cell in the same column, so that no column has exactly one group whose statistics are
// missing, and subtracting the groups shown from the overall figures yields no single group.
// Hiding the whole row, rather than single options, keeps the points of the options shown
// (which add up to a known total per ballot) from giving away the ones hidden.
func rankingRow(t *rankTotals, hidden bool) []RankStats {
	out := make([]RankStats, t.n)
	for j := range out {
		if hidden {
			out[j] = RankStats{Suppressed: true}
			continue
		}
		out[j] = t.stats(j)
	}
	return out
}

// cloudWords splits a word-cloud answer into lower-case words of two letters or more.
func cloudWords(text string) []string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	}) {
		if len([]rune(w)) >= 2 {
			words = append(words, w)
		}
	}
	return words
}

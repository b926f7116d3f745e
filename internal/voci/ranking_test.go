package voci

import "testing"

func rankingQuestion() *Question {
	return &Question{ID: "q", Kind: KindRanking, Options: []Option{{ID: "a", Label: "A"}, {ID: "b", Label: "B"}, {ID: "c", Label: "C"}}}
}

// Worked by hand: four ballots over three options, so 2, 1 and 0 points for first, second
// and third place.
//
//	a b c  twice   a: 2+2+1+0 = 5 points, places 1+1+2+3 = 7, average 1.75, first twice
//	b a c  once    b: 1+1+2+1 = 5 points, places 2+2+1+2 = 7, average 1.75, first once
//	c b a  once    c: 0+0+0+2 = 2 points, places 3+3+3+1 = 10, average 2.5, first once
func TestRankingBordaAverageRankAndFirstPlace(t *testing.T) {
	counts := []AnswerCount{
		{Choices: []string{"a", "b", "c"}, Source: SourceLive, N: 2},
		{Choices: []string{"b", "a", "c"}, Source: SourcePaper, N: 1},
		{Choices: []string{"c", "b", "a"}, Source: SourcePaper, N: 1},
	}
	r := TallyCounts(rankingQuestion(), counts, nil, 5)
	want := []struct {
		first, points int
		avg, percent  float64
	}{{2, 5, 1.75, 50}, {1, 5, 1.75, 25}, {1, 2, 2.5, 25}}
	if r.Respondents != 4 || r.BySource[SourcePaper] != 2 {
		t.Fatalf("respondents %d, by source %v", r.Respondents, r.BySource)
	}
	for i, w := range want {
		o := r.Options[i]
		if o.Count != w.first || o.Points != w.points || o.AverageRank != w.avg || o.Percent != w.percent {
			t.Errorf("option %s: first %d, points %d, average %v, percent %v; want %+v", o.OptionID, o.Count, o.Points, o.AverageRank, o.Percent, w)
		}
	}
}

// Two options: the points of one are its first places, and average ranks are 1 + the share
// of ballots that put it second. 3 ballots b a, 0 ballots a b: a gets 0 points, average 2.
func TestRankingTwoOptionsAndNoBallots(t *testing.T) {
	q := &Question{ID: "q", Kind: KindRanking, Options: []Option{{ID: "a"}, {ID: "b"}}}
	r := TallyCounts(q, []AnswerCount{{Choices: []string{"b", "a"}, N: 3}}, nil, 5)
	if a, b := r.Options[0], r.Options[1]; a.Points != 0 || a.AverageRank != 2 || b.Points != 3 || b.AverageRank != 1 || b.Count != 3 {
		t.Fatalf("a %+v, b %+v", a, b)
	}
	empty := TallyCounts(q, nil, nil, 5)
	if o := empty.Options[0]; o.Points != 0 || o.AverageRank != 0 || o.Count != 0 {
		t.Fatalf("no ballots: %+v", o)
	}
}

// A breakdown group below k has its ranking statistics hidden, like its counts; a group of k
// or more whose counts are all shown has them shown, computed over its own ballots.
func TestRankingStatisticsSuppressedWithSmallGroups(t *testing.T) {
	var counts []AnswerCount
	add := func(band AgeBand, n int, choices ...string) {
		counts = append(counts, AnswerCount{Choices: choices, AgeBand: band, Gender: GenderGirl, N: n})
	}
	// 10-12: 6 ballots each of a b c, b a c and c b a (every first-place count at least k);
	// 13-15: a b c and c a b (a group below k); under 10: c b a; 16-18: 5 each of a c b,
	// b a c and c a b.
	add(Age10to12, 6, "a", "b", "c")
	add(Age10to12, 6, "b", "a", "c")
	add(Age10to12, 6, "c", "b", "a")
	add(Age13to15, 1, "a", "b", "c")
	add(Age13to15, 1, "c", "a", "b")
	add(AgeUnder10, 1, "c", "b", "a")
	add(Age16to18, 5, "a", "c", "b")
	add(Age16to18, 5, "b", "a", "c")
	add(Age16to18, 5, "c", "a", "b")
	r := TallyCounts(rankingQuestion(), counts, nil, 5)
	groups := map[string]GroupCounts{}
	for _, g := range r.ByAgeBand.Groups {
		groups[g.Group] = g
		if len(g.Ranks) != 3 {
			t.Fatalf("group %s has %d ranking statistics", g.Group, len(g.Ranks))
		}
	}
	for _, small := range []AgeBand{Age13to15, AgeUnder10} {
		g := groups[string(small)]
		if !g.Respondents.Suppressed {
			t.Fatalf("group %s of %d not suppressed", small, g.Respondents.N)
		}
		for j, st := range g.Ranks {
			if !st.Suppressed || st.Points != 0 || st.AverageRank != 0 {
				t.Errorf("group %s option %d shows %+v", small, j, st)
			}
		}
	}
	// Whatever secondary suppression chose, every shown row's statistics are its own, and a
	// row with a hidden count has none shown.
	shown := 0
	for name, g := range groups {
		hidden := g.Respondents.Suppressed
		for _, c := range g.Options {
			hidden = hidden || c.Suppressed
		}
		for j, st := range g.Ranks {
			if st.Suppressed != hidden {
				t.Errorf("group %s option %d: statistics suppressed %v, row hidden %v", name, j, st.Suppressed, hidden)
			}
		}
		if !hidden && g.Respondents.N > 0 {
			shown++
		}
	}
	if shown == 0 {
		t.Fatal("every group hidden: the test shows nothing")
	}
	// 10-12 (shown): a 6×2 + 6×1 + 6×0 = 18 points, places 6×1 + 6×2 + 6×3 = 36 over 18, 2;
	// b 6×1 + 6×2 + 6×1 = 24, places 30/18 = 1.67; c 0 + 0 + 6×2 = 12, places 42/18 = 2.33.
	g := groups[string(Age10to12)]
	if want := []RankStats{{18, 2, false}, {24, 1.67, false}, {12, 2.33, false}}; g.Ranks[0] != want[0] || g.Ranks[1] != want[1] || g.Ranks[2] != want[2] {
		t.Errorf("10-12: %+v, want %+v", g.Ranks, want)
	}
	// Rows whose statistics are hidden come in twos or more, so that overall minus the shown
	// rows never gives away one group.
	hiddenRows := 0
	for _, g := range groups {
		if g.Respondents.N > 0 && g.Ranks[0].Suppressed {
			hiddenRows++
		}
	}
	if hiddenRows == 1 {
		t.Error("exactly one group's statistics hidden: overall minus the others reveals it")
	}
	// Other kinds carry none.
	single := &Question{ID: "q", Kind: KindSingle, Options: []Option{{ID: "a"}, {ID: "b"}}}
	if s := TallyCounts(single, []AnswerCount{{Choices: []string{"a"}, N: 7}}, nil, 5); s.ByAgeBand.Groups[0].Ranks != nil || s.Options[0].AverageRank != 0 {
		t.Error("a single-choice question has ranking statistics")
	}
}

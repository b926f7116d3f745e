package moderation

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

// Goals for the corpus under testdata: screening holds at least 95% of the texts that must
// be held, for the reason expected, and at most 5% of ordinary answers.
const (
	goalHeld      = 0.95
	goalWrongHeld = 0.05
)

// TestCorpus measures screening on real-sounding answers in each language and prints both
// figures (make test-screening shows them). It lists every miss, so that a change of the word
// lists shows what it cost.
func TestCorpus(t *testing.T) {
	s := New()
	for _, lang := range []string{"ro", "en", "hu"} {
		t.Run(lang, func(t *testing.T) {
			f, err := os.Open("testdata/corpus_" + lang + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var shouldHold, held, ordinary, wronglyHeld int
			sc := bufio.NewScanner(f)
			for n := 1; sc.Scan(); n++ {
				line := sc.Text()
				if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
					continue
				}
				mark, text, ok := strings.Cut(line, " | ")
				if !ok {
					t.Fatalf("corpus_%s.txt:%d: no \" | \"", lang, n)
				}
				_, flags := s.Screen(text)
				switch fields := strings.Fields(mark); {
				case len(fields) == 2 && fields[0] == "hold":
					shouldHold++
					if slices.Contains(flags, fields[1]) {
						held++
					} else {
						t.Logf("missed (%s): %q got %v", fields[1], text, flags)
					}
				case mark == "ok":
					ordinary++
					if len(flags) > 0 {
						wronglyHeld++
						t.Logf("held for nothing: %q %v", text, flags)
					}
				default:
					t.Fatalf("corpus_%s.txt:%d: mark %q is neither \"hold <reason>\" nor \"ok\"", lang, n, mark)
				}
			}
			if shouldHold < 75 || shouldHold+ordinary < 150 {
				t.Fatalf("corpus_%s.txt has %d texts (%d to hold): it needs at least 150, half of them or so to hold", lang, shouldHold+ordinary, shouldHold)
			}
			heldShare := float64(held) / float64(shouldHold)
			wrongShare := float64(wronglyHeld) / float64(ordinary)
			t.Logf("screening %s: held %.1f%% of %d that should be held (goal ≥ %.0f%%); held %.1f%% of %d ordinary answers wrongly (goal ≤ %.0f%%)",
				lang, 100*heldShare, shouldHold, 100*goalHeld, 100*wrongShare, ordinary, 100*goalWrongHeld)
			if heldShare < goalHeld {
				t.Errorf("%s: held %.1f%% of what should be held, below the goal of %.0f%%", lang, 100*heldShare, 100*goalHeld)
			}
			if wrongShare > goalWrongHeld {
				t.Errorf("%s: held %.1f%% of ordinary answers, above the goal of %.0f%%", lang, 100*wrongShare, 100*goalWrongHeld)
			}
		})
	}
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/voci-platform/voci/internal/config"
	"github.com/voci-platform/voci/seeds"
)

// genFlags are the generator's own flags; every other argument is a setting, as for serve.
var genFlags = []string{"municipalities", "months", "sessions", "answers", "seed"}

// splitGenArgs separates the generator's flags from the settings.
func splitGenArgs(args []string) (gen, rest []string) {
	for i := 0; i < len(args); i++ {
		name := strings.TrimLeft(args[i], "-")
		name, _, hasValue := strings.Cut(name, "=")
		isGen := strings.HasPrefix(args[i], "-")
		if isGen {
			isGen = false
			for _, f := range genFlags {
				isGen = isGen || f == name
			}
		}
		if !isGen {
			rest = append(rest, args[i])
			continue
		}
		gen = append(gen, args[i])
		if !hasValue && i+1 < len(args) {
			i++
			gen = append(gen, args[i])
		}
	}
	return gen, rest
}

// parseGen reads the generator's flags over the benchmark volumes.
func parseGen(args []string, stderr io.Writer, now time.Time) (seeds.GenOptions, error) {
	o := seeds.DefaultGenOptions(now)
	fs := flag.NewFlagSet("voci gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.Municipalities, "municipalities", o.Municipalities, "enrolled municipalities, the five pilots among them")
	fs.IntVar(&o.Months, "months", o.Months, "months of history, ending today")
	fs.IntVar(&o.Sessions, "sessions", o.Sessions, "live sessions in all")
	fs.IntVar(&o.Answers, "answers", o.Answers, "about how many answers in all")
	fs.Uint64Var(&o.Seed, "seed", o.Seed, "one seed, one history")
	if err := fs.Parse(args); err != nil {
		return o, &config.UsageError{Err: err}
	}
	return o, nil
}

// gen fills an empty store with a generated history for benchmarks and demos of national
// reporting (see seeds.Generate). It refuses a store that holds consultations already, so
// that it never mixes invented children with real ones.
func gen(ctx context.Context, cfg *config.Config, o seeds.GenOptions, logger *slog.Logger, stdout io.Writer) error {
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := seeds.LoadReferenceData(ctx, st); err != nil {
		return err
	}
	if err := seeds.RefuseNonEmpty(ctx, st); err != nil {
		return err
	}
	started := time.Now()
	o.Progress = func(n int) {
		logger.Info("generating", "answers", n, "elapsed", time.Since(started).Round(time.Second).String())
	}
	stats, err := seeds.Generate(ctx, st, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Generated in %s: %d municipalities, %d consultations, %d live sessions, %d children, %d paper forms, %d answers.\n",
		time.Since(started).Round(time.Second), stats.Municipalities, stats.Consultations, stats.LiveSessions, stats.Participants, stats.PaperForms, stats.Answers)
	return nil
}

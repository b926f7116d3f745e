// Command voci serves Voci: the web interface, the API and live sessions, on an embedded
// SQLite store or on MongoDB.
//
//	voci [serve] [flags]   serve (the default)
//	voci seed [flags]      load reference data (and demo accounts when demo mode is on), then exit
//	voci gen [flags]       fill an empty store with a generated history, for benchmarks
//	voci version           print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/voci-platform/voci/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return
	}
	fmt.Fprintln(os.Stderr, "voci:", err)
	if _, ok := errors.AsType[*config.UsageError](err); ok {
		os.Exit(2)
	}
	os.Exit(1)
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// run is the whole program; main only turns its error into an exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && (args[0] == "serve" || args[0] == "seed" || args[0] == "gen" || args[0] == "version") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "version" {
		fmt.Fprintln(stdout, "voci", version)
		return nil
	}
	var genArgs []string
	if cmd == "gen" {
		genArgs, args = splitGenArgs(args)
	}
	cfg, err := config.Parse(args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := newLogger(stderr, cfg.LogLevel)
	switch cmd {
	case "seed":
		return seed(ctx, cfg, logger, stdout)
	case "gen":
		o, err := parseGen(genArgs, stderr, time.Now())
		if err != nil {
			return err
		}
		return gen(ctx, cfg, o, logger, stdout)
	default:
		return serve(ctx, cfg, logger, stdout)
	}
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"quality/models"
	"quality/reports"
)

// report writes the ranking workbook offline: the same computation and workbook as the
// API's, for the whole province, with a progress line when stderr is a terminal.
func report(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	period := fs.String("period", "", "period: 2026-09, 2026-Q3, 2026-H1 or 2026 (required)")
	level := fs.String("level", reports.LevelCounty, "level the workbook opens on: city or county")
	out := fs.String("out", "", "file to write (default 服务水平排名_PERIOD.xlsx in the current folder)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := reports.ParsePeriod(*period)
	if err != nil {
		return fmt.Errorf("--period %q: want 2026-09, 2026-Q3, 2026-H1 or 2026", *period)
	}
	if err := reports.CheckLevel(*level); err != nil {
		return fmt.Errorf("--level %q: want city or county", *level)
	}
	if *out == "" {
		*out = reports.FileName(p)
	}
	ctx := context.Background()
	cfg, db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer models.Close(db)

	// Written beside the target and renamed, so a failed run leaves no half file.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".ranking-*.xlsx")
	if err != nil {
		return fmt.Errorf("--out %s: %w", *out, err)
	}
	defer os.Remove(tmp.Name())
	start := time.Now()
	progress := terminalProgress(os.Stderr)
	stats, err := reports.NewService(db, cfg.Location).WriteWorkbook(ctx,
		reports.WorkbookRequest{Period: p, Level: *level, Scope: models.ScopeAll, By: "命令行 quality report"}, tmp, progress)
	if err == nil {
		err = tmp.Close()
	} else {
		tmp.Close()
	}
	if errors.Is(err, reports.ErrNotStarted) {
		return fmt.Errorf("--period %s has not started yet", p)
	}
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("--out %s: %w", *out, err)
	}
	if progress != nil {
		fmt.Fprintln(os.Stderr)
	}
	fmt.Printf("%s: %d rows in %s\n", *out, stats.Total, time.Since(start).Round(time.Millisecond))
	return nil
}

// terminalProgress is a progress that redraws one line on f when it is a terminal, nil
// otherwise (a log gets no carriage returns).
func terminalProgress(f *os.File) reports.Progress {
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(done, total int64) {
		pct := 100 * done / max(total, 1)
		fmt.Fprintf(f, "\r写入 %d / %d 行（%d%%）", done, total, pct)
	}
}

// Command rankbench measures the ranking at province scale (issue 8, part 8): for each
// database and period it builds the ranking workbook in a child process and reports its
// wall time, peak memory (VmHWM) and rows per sheet, and beside them the floor — the
// time and memory excelize's streaming writer alone takes for the same sheets, rows and
// column kinds, written in another child process of the same run — and the JSON
// ranking's time. With -explain it prints the query plan of every statement the
// ranking runs.
//
//	go run ./cmd/rankbench -db sqlite:./province.db -periods 2026-Q3,2026
//	go run ./cmd/rankbench -db 'mysql://root@tcp(127.0.0.1:3306)/province' -explain
//
// The database must hold data (quality seed --scale province --seed 1); the clock is the
// wall clock unless -now is given.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm/logger"

	"quality/models"
	"quality/reports"
	"quality/workbook"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "rankbench:", err)
		os.Exit(1)
	}
}

type config struct {
	dbs     []string
	periods []string
	level   string
	now     time.Time
	runs    int
	explain bool
	child   string
	floor   string
	profile string
}

func run(args []string) error {
	fs := flag.NewFlagSet("rankbench", flag.ContinueOnError)
	var dbs, periods, now string
	cfg := config{}
	fs.StringVar(&dbs, "db", "", "databases, comma-separated (sqlite:PATH or mysql://…)")
	fs.StringVar(&periods, "periods", "2026-Q3,2026", "periods to build, comma-separated")
	fs.StringVar(&cfg.level, "level", reports.LevelCounty, "level of the workbook and the JSON ranking")
	fs.StringVar(&now, "now", "", "the clock, RFC 3339 (default: now)")
	fs.IntVar(&cfg.runs, "runs", 5, "JSON ranking runs (the median is reported)")
	fs.BoolVar(&cfg.explain, "explain", false, "print the query plan of every statement of one ranking")
	fs.StringVar(&cfg.child, "child-workbook", "", "(internal) build one workbook: DB|PERIOD")
	fs.StringVar(&cfg.floor, "child-floor", "", "(internal) write the floor of a sheets spec file")
	fs.StringVar(&cfg.profile, "cpuprofile", "", "write a CPU profile of each workbook build to DIR/workbook-PERIOD.pprof")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.now = time.Now()
	if now != "" {
		t, err := time.Parse(time.RFC3339, now)
		if err != nil {
			return fmt.Errorf("-now: %w", err)
		}
		cfg.now = t
	}
	switch {
	case cfg.child != "":
		return childWorkbook(cfg)
	case cfg.floor != "":
		return childFloor(cfg.floor)
	}
	cfg.dbs, cfg.periods = split(dbs), split(periods)
	if len(cfg.dbs) == 0 {
		return fmt.Errorf("-db: name at least one database")
	}
	for _, db := range cfg.dbs {
		if err := bench(cfg, db); err != nil {
			return err
		}
	}
	return nil
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// measure is what a child reports.
type measure struct {
	WallMS float64              `json:"wall_ms"`
	PeakKB int64                `json:"peak_kb"`
	Bytes  int64                `json:"bytes"`
	Rows   int64                `json:"rows"`
	Sheets []workbook.SheetInfo `json:"sheets"`
}

// engine names a DSN's engine.
func engine(dsn string) string {
	if strings.HasPrefix(dsn, "mysql") {
		return "MariaDB"
	}
	return "SQLite"
}

func bench(cfg config, dsn string) error {
	ctx := context.Background()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return err
	}
	db, err := models.Open(ctx, dsn, models.OpenOptions{AcceptWeakDurability: true})
	if err != nil {
		return err
	}
	defer models.Close(db)
	var ins int64
	if err := db.Model(&models.Inspection{}).Count(&ins).Error; err != nil {
		return err
	}
	var items int64
	if err := db.Model(&models.InspectionItem{}).Count(&items).Error; err != nil {
		return err
	}
	var emps int64
	if err := db.Model(&models.Employee{}).Count(&emps).Error; err != nil {
		return err
	}
	fmt.Printf("\n## %s (%s): %d employees, %d inspections, %d inspection items; clock %s\n\n", engine(dsn), redact(dsn), emps, ins, items,
		cfg.now.In(loc).Format("2006-01-02 15:04"))
	svc := reports.NewService(db, loc)
	svc.Now = func() time.Time { return cfg.now }

	fmt.Println("| period | JSON ranking (median of", cfg.runs, "runs) | workbook wall | workbook peak (VmHWM) | floor wall | floor peak | wall / floor | rows | size |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	var sheetLines []string
	for _, ps := range cfg.periods {
		p, err := reports.ParsePeriod(ps)
		if err != nil {
			return err
		}
		var times []float64
		for range cfg.runs {
			start := time.Now()
			if _, err := svc.Ranking(ctx, p, cfg.level); err != nil {
				return err
			}
			times = append(times, float64(time.Since(start).Microseconds())/1000)
		}
		slices.Sort(times)
		wb, err := child(cfg, "-child-workbook", dsn+"|"+ps)
		if err != nil {
			return err
		}
		spec, err := os.CreateTemp("", "rankbench-spec-*.json")
		if err != nil {
			return err
		}
		if err := json.NewEncoder(spec).Encode(wb.Sheets); err != nil {
			return err
		}
		spec.Close()
		fl, err := child(cfg, "-child-floor", spec.Name())
		os.Remove(spec.Name())
		if err != nil {
			return err
		}
		fmt.Printf("| %s | %.0f ms | %.0f ms | %d MB | %.0f ms | %d MB | %.2f | %d | %.1f MB |\n", ps, times[len(times)/2], wb.WallMS, wb.PeakKB/1024,
			fl.WallMS, fl.PeakKB/1024, wb.WallMS/fl.WallMS, wb.Rows, float64(wb.Bytes)/(1<<20))
		var parts []string
		for _, s := range wb.Sheets {
			parts = append(parts, fmt.Sprintf("%s %d", s.Name, s.Rows))
		}
		sheetLines = append(sheetLines, fmt.Sprintf("- %s rows per sheet: %s", ps, strings.Join(parts, ", ")))
	}
	fmt.Println()
	for _, l := range sheetLines {
		fmt.Println(l)
	}
	if cfg.explain {
		return explain(ctx, dsn, loc, cfg)
	}
	return nil
}

// child runs this program again with one internal flag and reads its measure.
func child(cfg config, flag, arg string) (*measure, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, flag, arg, "-now", cfg.now.Format(time.RFC3339), "-level", cfg.level, "-cpuprofile", cfg.profile)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, arg, err)
	}
	var m measure
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, fmt.Errorf("%s: %w: %s", flag, err, out)
	}
	return &m, nil
}

// childWorkbook builds one workbook into a temporary file and prints its measure.
func childWorkbook(cfg config) error {
	dsn, ps, _ := strings.Cut(cfg.child, "|")
	ctx := context.Background()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return err
	}
	p, err := reports.ParsePeriod(ps)
	if err != nil {
		return err
	}
	db, err := models.Open(ctx, dsn, models.OpenOptions{AcceptWeakDurability: true})
	if err != nil {
		return err
	}
	defer models.Close(db)
	svc := reports.NewService(db, loc)
	svc.Now = func() time.Time { return cfg.now }
	f, err := os.CreateTemp("", "rankbench-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if cfg.profile != "" {
		pf, err := os.Create(filepath.Join(cfg.profile, "workbook-"+ps+".pprof"))
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	stats, err := svc.WriteWorkbook(ctx, reports.WorkbookRequest{Period: p, Level: cfg.level, Scope: models.ScopeAll, By: "rankbench"}, f, nil)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	wall := time.Since(start)
	st, _ := os.Stat(f.Name())
	return emit(measure{WallMS: float64(wall.Microseconds()) / 1000, PeakKB: peakKB(), Bytes: st.Size(), Rows: stats.Total, Sheets: stats.Sheets})
}

// childFloor writes, with excelize's streaming writer alone, the sheets of spec: the
// same names, rows and column kinds (numbers as numbers, text as a short Chinese
// string), one Flush per sheet.
func childFloor(specFile string) error {
	b, err := os.ReadFile(specFile)
	if err != nil {
		return err
	}
	var sheets []workbook.SheetInfo
	if err := json.Unmarshal(b, &sheets); err != nil {
		return err
	}
	start := time.Now()
	x := excelize.NewFile()
	defer x.Close()
	var rows int64
	for i, s := range sheets {
		if i == 0 {
			if err := x.SetSheetName("Sheet1", s.Name); err != nil {
				return err
			}
		} else if _, err := x.NewSheet(s.Name); err != nil {
			return err
		}
		sw, err := x.NewStreamWriter(s.Name)
		if err != nil {
			return err
		}
		row := make([]any, len(s.Kinds))
		for r := 1; r <= s.Rows+1; r++ {
			for c, k := range s.Kinds {
				switch {
				case r == 1:
					row[c] = "表头"
				case k == workbook.Text:
					row[c] = "营业厅" + strconv.Itoa(r%977)
				default:
					row[c] = float64(r%1000) + 0.25
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r)
			if err := sw.SetRow(cell, row); err != nil {
				return err
			}
		}
		rows += int64(s.Rows)
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	f, err := os.CreateTemp("", "rankbench-floor-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := x.WriteTo(f); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	st, _ := os.Stat(f.Name())
	return emit(measure{WallMS: float64(time.Since(start).Microseconds()) / 1000, PeakKB: peakKB(), Bytes: st.Size(), Rows: rows})
}

func emit(m measure) error { return json.NewEncoder(os.Stdout).Encode(m) }

// peakKB is the process's peak resident memory (VmHWM) in KiB.
func peakKB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// recorder is a GORM logger that keeps every statement run and its time. The ranking
// runs its snapshots side by side, so it locks.
type recorder struct {
	logger.Interface
	mu   sync.Mutex
	sql  []string
	took map[string]time.Duration
}

func (r *recorder) Trace(_ context.Context, begin time.Time, fc func() (string, int64), _ error) {
	s, _ := fc()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sql = append(r.sql, s)
	r.took[s] += time.Since(begin)
}

// explain runs one county ranking of the first period with a recording logger and
// prints the query plan of each distinct statement.
func explain(ctx context.Context, dsn string, loc *time.Location, cfg config) error {
	rec := &recorder{Interface: logger.Discard, took: map[string]time.Duration{}}
	db, err := models.Open(ctx, dsn, models.OpenOptions{AcceptWeakDurability: true, Logger: rec})
	if err != nil {
		return err
	}
	defer models.Close(db)
	svc := reports.NewService(db, loc)
	svc.Now = func() time.Time { return cfg.now }
	p, _ := reports.ParsePeriod(cfg.periods[0])
	if _, err := svc.Ranking(ctx, p, cfg.level); err != nil {
		return err
	}
	fmt.Printf("\n### Query plans of one %s ranking (%s)\n", p, engine(dsn))
	seen := map[string]bool{}
	prefix := "EXPLAIN QUERY PLAN "
	if models.DialectOf(db) == models.MySQL {
		prefix = "EXPLAIN "
	}
	for _, q := range rec.sql {
		if seen[q] || !strings.HasPrefix(strings.TrimSpace(strings.ToUpper(q)), "SELECT") {
			continue
		}
		seen[q] = true
		rows, err := db.Raw(prefix + q).Rows()
		if err != nil {
			fmt.Printf("\n```\n%s\n-- %v\n```\n", clip(q), err)
			continue
		}
		var out bytes.Buffer
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				break
			}
			var parts []string
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				if v != nil && fmt.Sprint(v) != "" {
					parts = append(parts, cols[i]+"="+fmt.Sprint(v))
				}
			}
			fmt.Fprintln(&out, strings.Join(parts, " "))
		}
		rows.Close()
		fmt.Printf("\n```\n-- %s\n%s\n%s```\n", rec.took[q].Round(time.Millisecond), clip(q), out.String())
	}
	return nil
}

func clip(s string) string {
	if len(s) > 400 {
		return s[:400] + " …"
	}
	return s
}

// redact hides a MySQL password.
func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 && strings.HasPrefix(dsn, "mysql://") {
		if j := strings.Index(dsn[:i], ":"); j > len("mysql://") {
			return dsn[:j] + ":***" + dsn[i:]
		}
	}
	return filepath.Clean(dsn)
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"gorm.io/gorm"

	"quality/accounts"
	"quality/app"
	"quality/exams"
	"quality/models"
	"quality/policy"
	"quality/rectifications"
	"quality/reports"
	"quality/seeds"
	"quality/storage"
)

const usage = `quality — 服务质量稽核与培训考核平台

usage:
  quality serve [--demo]        migrate, load base data and serve HTTP (--demo adds demo staff and users)
  quality migrate [--dry-run]   bring the database schema up to date (--dry-run: list the steps, change nothing)
  quality seed [--demo]         load base data (and demo data) without serving
  quality seed --scale province [--seed N] [--until YYYY-MM-DD]
                                generate a province-year for benchmarks (400 outlets, 20,000 staff,
                                50,000 inspections, 200,000 attempts) into a database without staff
  quality user create --username NAME --role ROLE --unit CODE [--name NAME] [--employee JOB_NUMBER]
  quality user reset-password --username NAME
                                the password comes from QUALITY_USER_PASSWORD, or a random one is printed
  quality report --period 2026-Q3 [--level county] [--out FILE]
                                write the ranking workbook (服务水平排名_2026-Q3.xlsx) offline
  quality version               the program's version and schema, and the configured database's schema

configuration (environment):
`

func run(args []string) error {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	if len(args) == 0 {
		args = []string{"help"}
	}
	switch args[0] {
	case "serve":
		return serve(args[1:])
	case "migrate":
		return migrate(args[1:])
	case "seed":
		return seed(args[1:])
	case "user":
		return user(args[1:])
	case "report":
		return report(args[1:])
	case "version":
		return version()
	case "help", "-h", "--help":
		fmt.Print(usage)
		for _, v := range app.EnvVars {
			fmt.Printf("  %-32s %-26s %s\n", v.Name, v.Default, v.Meaning)
		}
		return nil
	}
	return fmt.Errorf("unknown command %q (try: quality help)", args[0])
}

// openDB reads the configuration, connects and migrates; every failure names the
// variable to fix.
func openDB(ctx context.Context) (app.Config, *gorm.DB, error) {
	cfg, err := app.ConfigFromEnv()
	if err != nil {
		return cfg, nil, err
	}
	db, err := models.Open(ctx, cfg.DB, models.OpenOptions{AcceptWeakDurability: cfg.AcceptWeakDurability})
	if err != nil {
		return cfg, nil, fmt.Errorf("QUALITY_DB=%s: %w", redact(cfg.DB), err)
	}
	ran, err := models.Migrate(ctx, db)
	if err != nil {
		models.Close(db)
		return cfg, nil, fmt.Errorf("QUALITY_DB=%s: %w", redact(cfg.DB), err)
	}
	if len(ran) > 0 {
		slog.Info("database migrated", "steps", strings.Join(ran, "; "), "schema", models.SchemaVersion())
	}
	return cfg, db, nil
}

// redact hides the password of a MySQL DSN in messages.
func redact(dsn string) string {
	rest, ok := strings.CutPrefix(dsn, "mysql://")
	if !ok {
		return dsn
	}
	cred, host, ok := strings.Cut(rest, "@")
	if !ok {
		return dsn
	}
	user, _, _ := strings.Cut(cred, ":")
	return "mysql://" + user + ":***@" + host
}

func migrate(args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	dryRun := fs.Bool("dry-run", false, "list the steps the upgrade would run and change nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dryRun {
		db, err := openOnly(context.Background())
		if err != nil {
			return err
		}
		defer models.Close(db)
		current, steps, err := models.Pending(context.Background(), db)
		if err != nil {
			return err
		}
		fmt.Printf("database schema %d, this program's %d\n", current, models.SchemaVersion())
		if len(steps) == 0 {
			fmt.Println("nothing to do")
		}
		for _, s := range steps {
			fmt.Println("would run:", s)
		}
		return nil
	}
	_, db, err := openDB(context.Background())
	if err != nil {
		return err
	}
	defer models.Close(db)
	fmt.Println("schema version", models.SchemaVersion())
	return nil
}

// version prints the program's version and schema, and the schema of the configured
// database when it can be reached (without migrating it).
func version() error {
	fmt.Println("quality", app.Version, "schema", models.SchemaVersion())
	db, err := openOnly(context.Background())
	if err != nil {
		fmt.Println("database: not reachable:", err)
		return nil
	}
	defer models.Close(db)
	current, steps, err := models.Pending(context.Background(), db)
	switch {
	case err != nil:
		fmt.Println("database:", err)
	case current == 0:
		fmt.Println("database schema: none yet (quality migrate creates it)")
	default:
		fmt.Printf("database schema %d (%d steps to run)\n", current, len(steps))
	}
	return nil
}

// openOnly connects to the configured database without migrating it.
func openOnly(ctx context.Context) (*gorm.DB, error) {
	cfg, err := app.ConfigFromEnv()
	if err != nil {
		return nil, err
	}
	db, err := models.Open(ctx, cfg.DB, models.OpenOptions{AcceptWeakDurability: true})
	if err != nil {
		return nil, fmt.Errorf("QUALITY_DB=%s: %w", redact(cfg.DB), err)
	}
	return db, nil
}

func seed(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "also load the demo staff and users")
	scale := fs.String("scale", "", "province: generate a province-year for benchmarks into a database with no staff yet")
	seedN := fs.Uint64("seed", 1, "the generator's seed (--scale): the same seed and --until give the same data")
	until := fs.String("until", "", "the day the generated year ends (--scale), YYYY-MM-DD in the company's zone; default today")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *scale != "" && *scale != "province" {
		return fmt.Errorf("--scale %q: want province", *scale)
	}
	if *scale != "" && *demo {
		return errors.New("--scale and --demo: choose one")
	}
	ctx := context.Background()
	cfg, db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer models.Close(db)
	var files storage.Store
	if *demo {
		if files, err = openFiles(ctx, cfg); err != nil {
			return err
		}
	}
	if err := loadData(ctx, cfg, db, files, *demo); err != nil {
		return err
	}
	if *scale == "" {
		return nil
	}
	end, err := generatedUntil(*until, cfg.Location)
	if err != nil {
		return err
	}
	start := time.Now()
	n, err := seeds.LoadProvince(ctx, db, seeds.FullProvince, *seedN, end, func(what string, rows int, took time.Duration) {
		fmt.Printf("  %-46s %9d rows  %6.1f s\n", what, rows, took.Seconds())
	})
	if err != nil {
		return err
	}
	fmt.Printf("province generated in %s: %+v\n", time.Since(start).Round(time.Second), n)
	return nil
}

// generatedUntil is the midnight (in loc) that ends the generated year: the start of the
// day given as YYYY-MM-DD, or of today.
func generatedUntil(day string, loc *time.Location) (time.Time, error) {
	if day == "" {
		day = time.Now().In(loc).Format(time.DateOnly)
	}
	t, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("--until %q: want a day as YYYY-MM-DD", day)
	}
	return t, nil
}

// openFiles opens the file storage QUALITY_STORAGE names (the folder QUALITY_DATA_DIR
// by default), naming the variable in any error.
func openFiles(ctx context.Context, cfg app.Config) (storage.Store, error) {
	files, err := storage.Open(ctx, cfg.Storage, cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("QUALITY_STORAGE=%s: %w", storage.Redact(cfg.Storage), err)
	}
	return files, nil
}

// loadData loads the base data, makes sure an admin exists and, with demo, the demo data
// (its photos kept in files).
func loadData(ctx context.Context, cfg app.Config, db *gorm.DB, files storage.Store, demo bool) error {
	now := time.Now().UTC()
	logLoaded := func(name string, n int) { slog.Info("seed data loaded", "what", name, "count", n) }
	if err := seeds.Run(ctx, db, seeds.BaseSteps(now), logLoaded); err != nil {
		return err
	}
	created, password, err := seeds.EnsureAdmin(ctx, db, cfg.AdminPassword)
	if err != nil {
		return err
	}
	if created && cfg.AdminPassword == "" {
		fmt.Printf("\n  admin account created: username admin, password %s\n  (printed once; set QUALITY_ADMIN_PASSWORD to choose it)\n\n", password)
	} else if created {
		fmt.Println("  admin account created with QUALITY_ADMIN_PASSWORD")
	}
	if !demo {
		return nil
	}
	if err := seeds.Run(ctx, db, seeds.DemoSteps(cfg.DemoPassword, files, now), logLoaded); err != nil {
		return err
	}
	fmt.Println("  demo users (password from QUALITY_DEMO_PASSWORD, default " + seeds.DefaultDemoPassword + "):")
	for _, u := range seeds.DemoUsers {
		fmt.Printf("    %-10s %-9s %s\n", u.Username, u.Role, u.DisplayName)
	}
	return nil
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "load the demo province when the database has no demo data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer models.Close(db)
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("QUALITY_DATA_DIR=%s: %w", cfg.DataDir, err)
	}
	files, err := openFiles(ctx, cfg)
	if err != nil {
		return err
	}
	if err := loadData(ctx, cfg, db, files, *demo); err != nil {
		return err
	}
	exporter := reports.NewExporter(reports.NewService(db, cfg.Location), files, nil)
	a, err := app.New(cfg, app.Deps{DB: db, Files: files, Exports: exporter})
	if err != nil {
		return err
	}
	go sweepSessions(ctx, db, cfg.Sessions)
	go sweepAttempts(ctx, exams.NewService(db))
	go sweepRectifications(ctx, rectifications.New(db, files, policy.NewService(db), cfg.Location))
	go sweepExports(ctx, exporter)

	errc := make(chan error, 1)
	go func() { errc <- a.Listen(cfg.Addr) }()
	fmt.Printf("  quality %s listening on http://%s\n", app.Version, cfg.Addr)
	select {
	case err := <-errc:
		return fmt.Errorf("QUALITY_ADDR=%s: %w", cfg.Addr, err)
	case <-ctx.Done():
		slog.Info("shutting down")
		return a.ShutdownWithTimeout(10 * time.Second)
	}
}

// sweepSessions deletes dead sessions every ten minutes; any instance may do it.
func sweepSessions(ctx context.Context, db *gorm.DB, cfg accounts.Config) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			now := time.Now().UTC()
			if n, err := models.DeleteExpiredSessions(ctx, db, now, now.Add(-cfg.IdleTimeout)); err != nil {
				slog.Warn("session sweep failed", "err", err)
			} else if n > 0 {
				slog.Info("expired sessions removed", "count", n)
			}
		}
	}
}

// sweepAttempts auto-submits overdue attempts every 20 s, with the answers saved so
// far; several instances may sweep at once, each attempt closes once.
func sweepAttempts(ctx context.Context, svc *exams.Service) {
	t := time.NewTicker(20 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := svc.Sweep(ctx); err != nil {
				slog.Warn("attempt sweep failed", "err", err)
			} else if n > 0 {
				slog.Info("overdue attempts submitted", "count", n)
			}
		}
	}
}

// sweepRectifications reminds and escalates open rectifications at start and every
// five minutes; several instances may sweep at once, each level is reached once.
func sweepRectifications(ctx context.Context, svc *rectifications.Service) {
	sweep := func() {
		done, err := svc.Sweep(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			slog.Warn("rectification sweep failed", "err", err)
		case len(done.Escalations) > 0:
			slog.Info("rectifications reminded and escalated", "count", len(done.Escalations))
		}
	}
	sweep()
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			sweep()
		}
	}
}

// sweepExports takes up the workbook jobs no worker holds (queued, or left by a killed
// server once its lease ran out) at start and every 30 s, and removes expired files;
// several instances may sweep at once, each job is claimed by one.
func sweepExports(ctx context.Context, e *reports.Exporter) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		switch ran, removed, err := e.Sweep(ctx); {
		case err != nil && ctx.Err() == nil:
			slog.Warn("ranking export sweep failed", "err", err)
		case ran > 0 || removed > 0:
			slog.Info("ranking exports swept", "ran", ran, "files_removed", removed)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func user(args []string) error {
	if len(args) == 0 {
		return errors.New("user: want create or reset-password")
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	username := fs.String("username", "", "login name")
	name := fs.String("name", "", "display name")
	role := fs.String("role", "", "admin|trainer|inspector|manager|employee")
	unit := fs.String("unit", "", "code of the org unit the role covers")
	job := fs.String("employee", "", "job number of the employee to link")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	ctx := context.Background()
	cfg, db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer models.Close(db)
	users := accounts.NewService(db, cfg.Sessions)
	password, generated := os.Getenv("QUALITY_USER_PASSWORD"), false
	if password == "" {
		password, generated = accounts.RandomPassword(), true
	}
	switch args[0] {
	case "create":
		u, err := models.GetOrgUnitByCode(ctx, db, models.ScopeAll, *unit)
		if err != nil {
			return fmt.Errorf("--unit %q: %w", *unit, err)
		}
		in := accounts.UserInput{Username: *username, DisplayName: *name, Password: password,
			Grants: []accounts.GrantInput{{Role: *role, OrgUnitID: u.ID}}}
		if *job != "" {
			emps, err := models.EmployeesByJobNumber(ctx, db, []string{*job})
			if err != nil {
				return err
			}
			e, ok := emps[*job]
			if !ok {
				return fmt.Errorf("--employee %q: no such job number", *job)
			}
			in.EmployeeID = &e.ID
		}
		if _, err := users.CreateUser(ctx, models.SystemActor, models.ScopeAll, in); err != nil {
			return err
		}
		fmt.Println("user created:", *username)
	case "reset-password":
		u, err := models.GetUserByUsername(ctx, db, *username)
		if err != nil {
			return fmt.Errorf("--username %q: %w", *username, err)
		}
		if err := users.SetPassword(ctx, models.SystemActor, models.ScopeAll, u.ID, password); err != nil {
			return err
		}
		fmt.Println("password reset; every session of", *username, "ended")
	default:
		return fmt.Errorf("user %s: want create or reset-password", args[0])
	}
	if generated {
		fmt.Println("password:", password)
	}
	return nil
}

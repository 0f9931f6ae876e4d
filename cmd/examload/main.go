// Command examload is the exam-day benchmark (issue 3, point 9) and the load half of the
// crash test (point 10, scripts/crash-test.sh). It drives a running `quality serve` on
// loopback and then checks the database itself:
//
//	go run ./cmd/examload -mode examday  -db DSN -addr 127.0.0.1:8080 -n 2000 -reset
//	go run ./cmd/examload -mode capacity -db DSN -addr 127.0.0.1:8080 -n 2000 -reset
//	go run ./cmd/examload -mode floor    -db DSN -n 2000
//	go run ./cmd/examload -mode reconcile -db DSN -acks FILE
//
// examday: N examinees log in and start the exam within -start-window (60 s),
// then each saves an answer every ~-think (10 s), -saves times (30), and submits.
// capacity: the same without think time and with a barrier between the phases, so the
// save phase measures the most saves per second the server sustains.
// floor: a bare Fiber endpoint in this process doing one read and one INSERT into a
// scratch table of the same database, driven by the capacity loop: what the stack
// costs without the product.
// reconcile: checks the acknowledged saves of a file written by an earlier run (the
// crash test runs it after restarting a server it killed).
// -exam chooses the exam: the seeded onboarding exam (default), or province, an exam
// examload makes for itself (found by its title), open to everyone, so that every active
// employee without an account can sit it (the province database's 20,000).
// prepare only makes the examinee accounts (and, with -reset, clears their attempts);
// createdb and dropdb make and drop the MySQL database a DSN names, for the crash test.
//
// Every run is bounded: each request has -timeout, the whole run -deadline. Every save
// the server acknowledged (2xx) is appended to -acks as one JSON line, written at once,
// so the saves acknowledged before a crash are known; afterwards every one of them must
// be in the database with its value, or superseded by a newer seq of the same question.
// The exit status is 1 when an acknowledged save is lost or a person has two attempts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// config is the command line.
type config struct {
	mode        string
	exam        string
	dsn         string
	addr        string
	n           int
	prefix      string
	password    string
	saves       int
	think       time.Duration
	startWindow time.Duration
	loginConc   int
	conc        int
	timeout     time.Duration
	deadline    time.Duration
	reset       bool
	acks        string
	reconcile   bool
	seed        uint64
	floor       float64
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	cfg, err := parseFlags(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "examload:", err)
		return 2
	}
	// Ctrl-C ends the run early but still prints what was measured and reconciles.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var code int
	switch cfg.mode {
	case "prepare":
		code, err = runPrepare(ctx, cfg)
	case "examday", "capacity":
		code, err = runLoad(ctx, cfg)
	case "floor":
		code, err = runFloor(ctx, cfg)
	case "reconcile":
		code, err = runReconcile(ctx, cfg)
	case "createdb", "dropdb":
		err = mysqlDatabase(ctx, cfg.dsn, cfg.mode == "createdb")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "examload:", err)
		return 2
	}
	return code
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("examload", flag.ContinueOnError)
	fs.StringVar(&c.mode, "mode", "examday", "examday | capacity | floor | reconcile | prepare | createdb | dropdb (the last two: MySQL, for the crash test)")
	fs.StringVar(&c.exam, "exam", examOnboarding, "the exam sat: onboarding (the seeded one; examinees who have sat no exam) | province (examload's own, open to every active employee without an account; reconcile reads the exam from -acks)")
	fs.StringVar(&c.dsn, "db", envOr("QUALITY_DB", "sqlite:./data/quality.db"), "the server's database (same syntax as QUALITY_DB)")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "the server to drive (loopback)")
	fs.IntVar(&c.n, "n", 2000, "examinees")
	fs.StringVar(&c.prefix, "prefix", "exam", "examinee user names are PREFIX0001…")
	fs.StringVar(&c.password, "password", "examload-2026", "the examinees' password")
	fs.IntVar(&c.saves, "saves", 30, "saves per examinee")
	fs.DurationVar(&c.think, "think", 10*time.Second, "examday: time between two saves of one examinee (±20 %)")
	fs.DurationVar(&c.startWindow, "start-window", 60*time.Second, "examday: arrivals are spread evenly over this window")
	fs.IntVar(&c.loginConc, "login-concurrency", 64, "logins in flight at once")
	fs.IntVar(&c.conc, "c", 64, "capacity and floor: examinees saving (and submitting) at once (0: all N)")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "timeout of one request")
	fs.DurationVar(&c.deadline, "deadline", 0, "end of the whole run (0: start window + saves × think + 5 min for examday, 10 min otherwise)")
	fs.BoolVar(&c.reset, "reset", false, "delete the examinees' attempts (with answers) and sessions before the run")
	fs.StringVar(&c.acks, "acks", "", "file of acknowledged saves, one JSON line each (written as they come; read by -mode reconcile)")
	fs.BoolVar(&c.reconcile, "reconcile", true, "reconcile against the database after the run")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the examinees' random answers")
	watch := fs.String("watch", "", "NAME=PID,… processes whose CPU use to report per phase (the server, mariadbd)")
	fs.Float64Var(&c.floor, "floor", 0, "capacity: the floor's req/s (from -mode floor), to compare")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: examload -mode examday|capacity|floor|reconcile|prepare [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	for _, w := range strings.Split(*watch, ",") {
		if w == "" {
			continue
		}
		name, pid, ok := strings.Cut(w, "=")
		n, err := strconv.Atoi(pid)
		if !ok || err != nil || n <= 0 {
			return c, fmt.Errorf("-watch %q: want NAME=PID,…", *watch)
		}
		watched = append(watched, watchedProc{name: name, pid: n})
	}
	switch c.mode {
	case "examday", "capacity", "floor", "reconcile", "prepare", "createdb", "dropdb":
	default:
		return c, fmt.Errorf("-mode %q: want examday, capacity, floor, reconcile or prepare", c.mode)
	}
	if c.exam != examOnboarding && c.exam != examProvince {
		return c, fmt.Errorf("-exam %q: want %s or %s", c.exam, examOnboarding, examProvince)
	}
	if c.n < 1 || c.n > 99999 {
		return c, errors.New("-n: want 1..99999")
	}
	if c.saves < 1 {
		return c, errors.New("-saves: want at least 1")
	}
	if c.conc <= 0 || c.conc > c.n || c.mode == "examday" {
		c.conc = c.n // on exam day everyone is in the room; think time paces them
	}
	if c.loginConc < 1 {
		c.loginConc = 1
	}
	if c.mode == "reconcile" && c.acks == "" {
		return c, errors.New("-mode reconcile needs -acks FILE")
	}
	if c.mode == "capacity" || c.mode == "floor" {
		c.think = 0
	}
	if c.deadline == 0 {
		c.deadline = 10 * time.Minute
		if c.mode == "examday" {
			c.deadline = c.startWindow + time.Duration(c.saves)*c.think*6/5 + 5*time.Minute
		}
	}
	if !strings.HasPrefix(c.addr, "127.") && !strings.HasPrefix(c.addr, "localhost:") && !strings.HasPrefix(c.addr, "[::1]") {
		return c, fmt.Errorf("-addr %s: examload drives a server on loopback only", c.addr)
	}
	return c, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// machine describes where the figures were measured, with the load average: other
// work on the host skews every figure.
func machine() string {
	return fmt.Sprintf("%s/%s, %d CPUs, %s, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), loadavg())
}

// loadavg is the host's 1, 5 and 15 minute load average (Linux; empty elsewhere).
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return "load average " + strings.Join(f[:3], " ")
}

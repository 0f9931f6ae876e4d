package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"quality/exams"
	"quality/models"
)

// runner drives the examinees of one run.
type runner struct {
	cfg    config
	examID uint
	base   string
	hc     *http.Client
	acks   *ackLog

	login, start, save, submit *op
	// steady holds the saves sent after every examinee had started: on exam day the
	// saves made during the login storm compete with argon2 for the CPU.
	steady    *op
	allInRoom atomic.Bool

	// aborted examinees stopped at a failed connection (the server is gone or stuck);
	// unfinished ones were stopped by the run's deadline.
	aborted, unfinished atomic.Int64
	// resumed counts starts answered 200 (an existing attempt) instead of 201.
	resumed atomic.Int64
	// attempts maps each examinee to the attempt its start returned.
	attempts sync.Map
}

func runLoad(ctx context.Context, cfg config) (int, error) {
	db, err := openDB(ctx, cfg.dsn)
	if err != nil {
		return 0, err
	}
	defer models.Close(db)
	exam, err := sitExam(ctx, db, cfg)
	if err != nil {
		return 0, err
	}
	ex, err := prepare(ctx, db, cfg, exam)
	if err != nil {
		return 0, err
	}
	emps := employeeIDs(ex)
	if cfg.reset {
		if err := reset(ctx, db, exam.ID, ex); err != nil {
			return 0, err
		}
	} else if n, err := countAttempts(ctx, db, exam.ID, emps); err != nil {
		return 0, err
	} else if n > 0 {
		return 0, fmt.Errorf("the examinees already have %d attempts at exam %d (%d allowed, %d min cool-off): run again with -reset, or use another -prefix",
			n, exam.ID, exam.AttemptsAllowed, exam.CoolOffMinutes)
	}

	runStart := time.Now().UTC()
	acks, err := newAckLog(cfg.acks, ackHeader{Run: runStart, Exam: exam.ID, Prefix: cfg.prefix, N: cfg.n, Mode: cfg.mode})
	if err != nil {
		return 0, err
	}
	defer acks.close()
	r := &runner{cfg: cfg, examID: exam.ID, base: "http://" + cfg.addr, hc: newHTTPClient(cfg.n), acks: acks,
		login: newOp("login"), start: newOp("start"), save: newOp("save"), submit: newOp("submit"),
		steady: newOp("save after start phase")}
	if err := r.ready(ctx); err != nil {
		return 0, err
	}

	fmt.Printf("examload %s: %d examinees, %d saves each, think %s, exam %d %q, server %s, db %s\n",
		cfg.mode, cfg.n, cfg.saves, cfg.think, exam.ID, exam.Title, cfg.addr, redact(cfg.dsn))
	fmt.Printf("machine: %s\n", machine())
	phases := r.run(ctx, ex)

	fmt.Println()
	if cfg.mode == "examday" {
		printOps(os.Stdout, r.login, r.start, r.save, r.steady, r.submit)
	} else {
		printOps(os.Stdout, r.login, r.start, r.save, r.submit)
	}
	for _, p := range phases {
		fmt.Println(p)
	}
	fmt.Printf("after the run: %s\n", loadavg())
	if n := r.aborted.Load(); n > 0 {
		fmt.Printf("examinees stopped by a failed connection: %d\n", n)
	}
	if n := r.unfinished.Load(); n > 0 {
		fmt.Printf("examinees stopped by the deadline (%s): %d\n", cfg.deadline, n)
	}
	if n := r.resumed.Load(); n > 0 {
		fmt.Printf("starts that resumed an existing attempt instead of creating one: %d\n", n)
	}
	if err := acks.err(); err != nil {
		return 0, fmt.Errorf("writing %s: %w", cfg.acks, err)
	}
	if !cfg.reconcile {
		fmt.Printf("acknowledged saves: %d (not reconciled: -reconcile=false)\n", len(acks.all))
		return 0, nil
	}
	res, err := reconcile(ctx, db, acks.all, exam.ID, emps, runStart)
	if err != nil {
		return 0, err
	}
	res.print(os.Stdout)
	code := res.code()
	r.goals(os.Stdout, res)
	return code, nil
}

// ready waits up to 30 s for the server's /readyz.
func (r *runner) ready(ctx context.Context) error {
	var last error
	for range 60 {
		res, err := call(ctx, r.hc, 2*time.Second, r.base, nil, http.MethodGet, "/readyz", nil)
		if err == nil && res.status == http.StatusOK {
			return nil
		}
		last = fmt.Errorf("status %d %w", res.status, err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	return fmt.Errorf("no server ready at %s: %v", r.base, last)
}

// run drives every examinee and returns a line per phase.
func (r *runner) run(parent context.Context, ex []examinee) []string {
	ctx, cancel := context.WithTimeout(parent, r.cfg.deadline)
	defer cancel()
	capacity := r.cfg.mode == "capacity"
	loginSlots := make(chan struct{}, r.cfg.loginConc)
	saveSlots := make(chan struct{}, r.cfg.conc)
	var started, saved, done sync.WaitGroup
	// In capacity mode the phases are separated by barriers, so that the save phase
	// measures saves alone and not saves mixed with argon2 logins.
	startGate, submitGate := make(chan struct{}), make(chan struct{})
	started.Add(len(ex))
	saved.Add(len(ex))
	done.Add(len(ex))
	t0 := time.Now()
	cpu := startCPU()
	for i, e := range ex {
		arrive := time.Duration(0)
		if !capacity {
			arrive = r.cfg.startWindow * time.Duration(i) / time.Duration(len(ex))
		}
		go func() {
			defer done.Done()
			r.examinee(ctx, i, e, arrive, loginSlots, saveSlots, &started, &saved, startGate, submitGate, capacity)
		}()
	}
	var lines []string
	started.Wait()
	r.allInRoom.Store(true)
	tStarted := time.Now()
	savesBefore := r.save.summary().OK
	lines = append(lines, fmt.Sprintf("start phase: every examinee logged in and started %.1f s after the first arrival (%s)",
		tStarted.Sub(t0).Seconds(), cpu.report(len(ex))))
	cpu = startCPU()
	close(startGate)
	if !capacity {
		// On exam day the saves and submits go on at their own pace after the start phase.
		done.Wait()
		lines = append(lines, fmt.Sprintf("after the start phase: %.1f s of saves and submits (%s); whole run %.1f s",
			time.Since(tStarted).Seconds(), cpu.report(r.save.summary().OK-savesBefore), time.Since(t0).Seconds()))
		return lines
	}
	saved.Wait()
	tSaved := time.Now()
	lines = append(lines, fmt.Sprintf("save phase: %.1f s (%s)", tSaved.Sub(tStarted).Seconds(), cpu.report(r.save.summary().OK)))
	cpu = startCPU()
	close(submitGate)
	done.Wait()
	lines = append(lines, fmt.Sprintf("submit phase: %.1f s (%s); whole run %.1f s", time.Since(tSaved).Seconds(), cpu.report(r.submit.summary().OK), time.Since(t0).Seconds()))
	return lines
}

// examinee is one person: arrive, log in, start, save, submit. A failed connection stops
// them (their state on the server is unknown); a refused request is counted and they go
// on, as a browser's autosave would.
func (r *runner) examinee(ctx context.Context, i int, e examinee, arrive time.Duration, loginSlots, saveSlots chan struct{},
	started, saved *sync.WaitGroup, startGate, submitGate chan struct{}, capacity bool) {
	rng := rand.New(rand.NewPCG(r.cfg.seed, uint64(i)))
	startedDone, savedDone := false, false
	defer func() {
		if !startedDone {
			started.Done()
		}
		if !savedDone {
			saved.Done()
		}
	}()
	if !sleep(ctx, arrive) {
		r.unfinished.Add(1)
		return
	}
	s, paper := r.enter(ctx, e, loginSlots)
	started.Done()
	startedDone = true
	if paper == nil {
		return
	}
	if capacity && !wait(ctx, startGate) {
		r.unfinished.Add(1)
		return
	}
	if !r.answer(ctx, rng, s, paper, saveSlots) {
		return
	}
	saved.Done()
	savedDone = true
	if capacity && !wait(ctx, submitGate) {
		r.unfinished.Add(1)
		return
	}
	if !acquire(ctx, saveSlots) {
		r.unfinished.Add(1)
		return
	}
	defer func() { <-saveSlots }()
	t := time.Now()
	res, err := call(ctx, r.hc, r.cfg.timeout, r.base, s, http.MethodPost, fmt.Sprintf("/api/v1/attempts/%d/submit", paper.ID), nil)
	r.outcome(ctx, r.submit, t, res, err, http.StatusOK)
}

// enter logs in and starts the exam; a nil paper means the examinee could not.
func (r *runner) enter(ctx context.Context, e examinee, loginSlots chan struct{}) (*session, *exams.AttemptView) {
	if !acquire(ctx, loginSlots) {
		r.unfinished.Add(1)
		return nil, nil
	}
	t := time.Now()
	res, err := call(ctx, r.hc, r.cfg.timeout, r.base, nil, http.MethodPost, "/api/v1/auth/login",
		map[string]string{"username": e.Username, "password": r.cfg.password})
	<-loginSlots
	if !r.outcome(ctx, r.login, t, res, err, http.StatusOK) {
		return nil, nil
	}
	var me struct {
		CSRFToken string `json:"csrf_token"`
	}
	if err := json.Unmarshal(res.body, &me); err != nil || me.CSRFToken == "" {
		r.login.fail(t, res, errors.New("login reply without csrf_token"))
		return nil, nil
	}
	s := &session{csrf: me.CSRFToken}
	for _, c := range res.cookies {
		if c.Name == "quality_session" || c.Name == "csrf_" {
			if s.cookie != "" {
				s.cookie += "; "
			}
			s.cookie += c.Name + "=" + c.Value
		}
	}

	t = time.Now()
	res, err = call(ctx, r.hc, r.cfg.timeout, r.base, s, http.MethodPost, fmt.Sprintf("/api/v1/exams/%d/attempts", r.examID), nil)
	if !r.outcome(ctx, r.start, t, res, err, http.StatusCreated, http.StatusOK) {
		return nil, nil
	}
	if res.status == http.StatusOK {
		r.resumed.Add(1)
	}
	var paper exams.AttemptView
	if err := json.Unmarshal(res.body, &paper); err != nil || paper.ID == 0 || len(paper.Questions) == 0 {
		r.start.fail(t, res, fmt.Errorf("start reply without a paper: %v", err))
		return nil, nil
	}
	if prev, loaded := r.attempts.LoadOrStore(e.EmployeeID, paper.ID); loaded && prev != paper.ID {
		r.start.fail(t, res, fmt.Errorf("second attempt %d for employee %d (first %v)", paper.ID, e.EmployeeID, prev))
	}
	return s, &paper
}

// answer makes the examinee's saves, walking the paper and coming back to earlier
// questions with a higher seq; it reports false when the examinee stopped.
func (r *runner) answer(ctx context.Context, rng *rand.Rand, s *session, paper *exams.AttemptView, saveSlots chan struct{}) bool {
	if !acquire(ctx, saveSlots) {
		r.unfinished.Add(1)
		return false
	}
	defer func() { <-saveSlots }()
	seq := map[uint]int64{}
	for k := range r.cfg.saves {
		if r.cfg.think > 0 {
			d := time.Duration(float64(r.cfg.think) * (0.8 + 0.4*rng.Float64()))
			if !sleep(ctx, d) {
				r.unfinished.Add(1)
				return false
			}
		}
		q := paper.Questions[k%len(paper.Questions)]
		seq[q.ID]++
		in := response(rng, q)
		in.Seq = seq[q.ID]
		t, steady := time.Now(), r.allInRoom.Load()
		res, err := call(ctx, r.hc, r.cfg.timeout, r.base, s, http.MethodPut, fmt.Sprintf("/api/v1/attempts/%d/answers/%d", paper.ID, q.ID), in)
		if steady {
			if err == nil && res.status == http.StatusOK {
				r.steady.ok(t)
			} else {
				r.steady.fail(t, res, err)
			}
		}
		if r.outcome(ctx, r.save, t, res, err, http.StatusOK) {
			choices := slices.Clone(in.Choices)
			slices.Sort(choices)
			r.acks.add(ack{Attempt: paper.ID, Question: q.ID, Seq: in.Seq, Choices: choices, Text: in.Text})
		} else if err != nil {
			return false
		}
	}
	return true
}

// outcome records a reply; a failed connection also stops the examinee (aborted).
func (r *runner) outcome(ctx context.Context, o *op, t time.Time, res reply, err error, want ...int) bool {
	if err == nil && slices.Contains(want, res.status) {
		o.ok(t)
		return true
	}
	o.fail(t, res, err)
	if err != nil {
		if ctx.Err() != nil {
			r.unfinished.Add(1) // the run's deadline or an interruption, not the server
		} else {
			r.aborted.Add(1)
		}
	}
	return false
}

// response picks an answer a person might give: one option, a few for a multiple
// choice, or a short text for a fill-in question.
func response(rng *rand.Rand, q exams.PaperQuestion) exams.SaveInput {
	switch {
	case q.Kind == models.KindFill || len(q.Options) == 0:
		return exams.SaveInput{Text: fmt.Sprintf("答案%d", rng.IntN(1000))}
	case q.Kind == models.KindMultiple:
		perm := rng.Perm(len(q.Options))
		n := 1 + rng.IntN(min(3, len(q.Options)))
		out := make([]int, n)
		for i := range n {
			out[i] = q.Options[perm[i]].ID
		}
		return exams.SaveInput{Choices: out}
	default:
		return exams.SaveInput{Choices: []int{q.Options[rng.IntN(len(q.Options))].ID}}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func wait(ctx context.Context, gate chan struct{}) bool {
	select {
	case <-ctx.Done():
		return false
	case <-gate:
		return true
	}
}

func acquire(ctx context.Context, slots chan struct{}) bool {
	select {
	case <-ctx.Done():
		return false
	case slots <- struct{}{}:
		return true
	}
}

// goals prints the targets of issue 3, point 9, met or not.
func (r *runner) goals(w io.Writer, res reconciled) {
	errs := 0
	for _, o := range []*op{r.login, r.start, r.save, r.submit} {
		errs += o.summary().Errors
	}
	mark := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	fmt.Fprintln(w, "goals:")
	fmt.Fprintf(w, "  0 lost answers: %d lost, %d wrong (%s)\n", res.Lost, res.Wrong, mark(res.Lost+res.Wrong == 0))
	fmt.Fprintf(w, "  0 errors: %d (%s)\n", errs, mark(errs == 0))
	fmt.Fprintf(w, "  0 duplicate attempts: %d (%s)\n", res.Duplicates, mark(res.Duplicates == 0))
	switch r.cfg.mode {
	case "examday":
		save, start := r.save.summary(), r.start.summary()
		fmt.Fprintf(w, "  save p99 < 50 ms: %s ms (%s); after the start phase %s ms\n", ms(save.P99), mark(save.OK > 0 && save.P99 < 50*time.Millisecond), ms(r.steady.summary().P99))
		fmt.Fprintf(w, "  start p95 < 1 s: %s ms (%s)\n", ms(start.P95), mark(start.OK > 0 && start.P95 < time.Second))
	case "capacity":
		save := r.save.summary()
		if r.cfg.floor > 0 {
			fmt.Fprintf(w, "  capacity ≥ half the floor: %.0f saves/s vs floor %.0f req/s = %.0f%% (%s)\n",
				save.PerSecond, r.cfg.floor, 100*save.PerSecond/r.cfg.floor, mark(save.PerSecond >= r.cfg.floor/2))
		} else {
			fmt.Fprintf(w, "  capacity: %.0f saves/s (give -floor REQ_PER_S from -mode floor to compare)\n", save.PerSecond)
		}
	}
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"time"

	"gorm.io/gorm"

	"quality/models"
)

// ack is one save the server acknowledged: attempt, question, seq and the value sent
// (choices sorted, as the server stores them).
type ack struct {
	Attempt  uint   `json:"a"`
	Question uint   `json:"q"`
	Seq      int64  `json:"s"`
	Choices  []int  `json:"c,omitempty"`
	Text     string `json:"t,omitempty"`
}

// ackHeader is the first line of an acks file: which run wrote it.
type ackHeader struct {
	Run    time.Time `json:"run"`
	Exam   uint      `json:"exam"`
	Prefix string    `json:"prefix"`
	N      int       `json:"n"`
	Mode   string    `json:"mode"`
}

// ackLog keeps the acknowledged saves in memory and, with a file, appends each one as
// a line at once (one write per line, no buffer): when the server is killed, every
// save acknowledged before is already in the file.
type ackLog struct {
	mu   sync.Mutex
	f    *os.File
	all  []ack
	werr error
}

func newAckLog(path string, h ackHeader) (*ackLog, error) {
	l := &ackLog{}
	if path == "" {
		return l, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	l.f = f
	b, _ := json.Marshal(map[string]ackHeader{"header": h})
	if _, err := f.Write(append(b, '\n')); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *ackLog) add(a ack) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = append(l.all, a)
	if l.f == nil || l.werr != nil {
		return
	}
	b, _ := json.Marshal(a)
	if _, err := l.f.Write(append(b, '\n')); err != nil {
		l.werr = err
	}
}

func (l *ackLog) err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.werr
}

func (l *ackLog) close() {
	if l.f != nil {
		_ = l.f.Close()
	}
}

// readAcks reads an acks file; a last line cut short (the writer killed mid-line) is
// not an acknowledged save and is skipped.
func readAcks(path string) (ackHeader, []ack, error) {
	f, err := os.Open(path)
	if err != nil {
		return ackHeader{}, nil, err
	}
	defer f.Close()
	rd := bufio.NewReader(f)
	var h ackHeader
	var out []ack
	for n := 1; ; n++ {
		line, err := rd.ReadBytes('\n')
		if err == io.EOF {
			if len(line) > 0 {
				fmt.Fprintf(os.Stderr, "examload: %s: line %d cut short, skipped\n", path, n)
			}
			break
		}
		if err != nil {
			return h, nil, err
		}
		if n == 1 {
			var wrap map[string]ackHeader
			if err := json.Unmarshal(line, &wrap); err != nil || wrap["header"].Exam == 0 {
				return h, nil, fmt.Errorf("%s: no header line: not written by examload", path)
			}
			h = wrap["header"]
			continue
		}
		var a ack
		if err := json.Unmarshal(line, &a); err != nil {
			return h, nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		out = append(out, a)
	}
	return h, out, nil
}

// reconciled is the comparison of the acknowledged saves with the database.
type reconciled struct {
	Acked int
	// Exact saves are stored with their value; Newer ones are superseded by a higher
	// seq of the same question; Lost ones are missing or stored with a lower seq; Wrong
	// ones have their seq but another value.
	Exact, Newer, Lost, Wrong int
	Samples                   []string
	// People with an attempt at the exam since the run began, their attempts, and the
	// attempts beyond one per person.
	People, Attempts, Duplicates int
}

// reconcile checks every acknowledged save against the answers table, and counts the
// examinees' attempts at the exam started since the run began.
func reconcile(ctx context.Context, db *gorm.DB, acks []ack, examID uint, emps []uint, since time.Time) (reconciled, error) {
	res := reconciled{Acked: len(acks)}
	type key struct{ a, q uint }
	ids := map[uint]bool{}
	for _, a := range acks {
		ids[a.Attempt] = true
	}
	attemptIDs := make([]uint, 0, len(ids))
	for id := range ids {
		attemptIDs = append(attemptIDs, id)
	}
	slices.Sort(attemptIDs)
	stored := make(map[key]models.Answer, len(acks))
	for lo := 0; lo < len(attemptIDs); lo += batch {
		var rows []models.Answer
		err := db.WithContext(ctx).Select("attempt_id", "question_id", "choices", "text", "seq").
			Where("attempt_id IN ?", attemptIDs[lo:min(lo+batch, len(attemptIDs))]).Find(&rows).Error
		if err != nil {
			return res, fmt.Errorf("read answers: %w", err)
		}
		for _, row := range rows {
			stored[key{row.AttemptID, row.QuestionID}] = row
		}
	}
	for _, a := range acks {
		row, ok := stored[key{a.Attempt, a.Question}]
		switch {
		case !ok || row.Seq < a.Seq:
			res.Lost++
			if len(res.Samples) < 5 {
				res.Samples = append(res.Samples, fmt.Sprintf("lost: attempt %d question %d seq %d (stored seq %d, found %v)", a.Attempt, a.Question, a.Seq, row.Seq, ok))
			}
		case row.Seq > a.Seq:
			res.Newer++
		case slices.Equal(sorted(row.Choices), a.Choices) && row.Text == a.Text:
			res.Exact++
		default:
			res.Wrong++
			if len(res.Samples) < 5 {
				res.Samples = append(res.Samples, fmt.Sprintf("wrong value: attempt %d question %d seq %d: sent %v %q, stored %v %q",
					a.Attempt, a.Question, a.Seq, a.Choices, a.Text, []int(row.Choices), row.Text))
			}
		}
	}

	// Two parallel starts must not make two attempts: count per (exam, person).
	for lo := 0; lo < len(emps); lo += batch {
		var rows []struct {
			EmployeeID uint
			N          int
		}
		err := db.WithContext(ctx).Model(&models.Attempt{}).Select("employee_id, COUNT(*) AS n").
			Where("exam_id = ? AND employee_id IN ? AND started_at >= ?", examID, emps[lo:min(lo+batch, len(emps))], since.Add(-2*time.Second)).
			Group("employee_id").Scan(&rows).Error
		if err != nil {
			return res, fmt.Errorf("count attempts: %w", err)
		}
		for _, r := range rows {
			res.People++
			res.Attempts += r.N
			res.Duplicates += r.N - 1
		}
	}
	return res, nil
}

func sorted(l models.JSONList[int]) []int {
	out := slices.Clone([]int(l))
	slices.Sort(out)
	if out == nil {
		out = []int{}
	}
	return out
}

func (r reconciled) print(w io.Writer) {
	fmt.Fprintf(w, "reconcile: %d acknowledged saves: %d stored with their value, %d superseded by a newer seq, %d LOST, %d WRONG VALUE\n",
		r.Acked, r.Exact, r.Newer, r.Lost, r.Wrong)
	for _, s := range r.Samples {
		fmt.Fprintln(w, "  "+s)
	}
	fmt.Fprintf(w, "attempts: %d examinees with %d attempts since the run began, %d DUPLICATE\n", r.People, r.Attempts, r.Duplicates)
}

// code is the exit status: 1 when an acknowledged save is lost or wrong, or a person
// has a second attempt.
func (r reconciled) code() int {
	if r.Lost > 0 || r.Wrong > 0 || r.Duplicates > 0 {
		return 1
	}
	return 0
}

func runReconcile(ctx context.Context, cfg config) (int, error) {
	h, acks, err := readAcks(cfg.acks)
	if err != nil {
		return 0, err
	}
	db, err := openDB(ctx, cfg.dsn)
	if err != nil {
		return 0, err
	}
	defer models.Close(db)
	have, err := loadExaminees(ctx, db, usernames(h.Prefix, h.N))
	if err != nil {
		return 0, err
	}
	emps := make([]uint, 0, len(have))
	for _, e := range have {
		emps = append(emps, e.EmployeeID)
	}
	res, err := reconcile(ctx, db, acks, h.Exam, emps, h.Run)
	if err != nil {
		return 0, err
	}
	fmt.Printf("acks file %s (run of %s, %s mode, %d examinees %s…)\n", cfg.acks, h.Run.Format(time.RFC3339), h.Mode, h.N, h.Prefix)
	res.print(os.Stdout)
	return res.code(), nil
}

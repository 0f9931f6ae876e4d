package reports

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"quality/models"
)

// Kinds of period.
const (
	Month   = "month"
	Quarter = "quarter"
	Half    = "half"
	Year    = "year"
)

// Period is a calendar month (2026-09), quarter (2026-Q3), half year (2026-H1) or year
// (2026), bounded at midnight in the company's zone.
type Period struct {
	Kind string
	Year int
	// N is the month (1–12), quarter (1–4) or half (1–2); 0 for a year.
	N int
}

var periodRE = regexp.MustCompile(`^(\d{4})(?:-(\d{2})|-Q([1-4])|-H([12]))?$`)

// ErrPeriod is a period that is not one of the four written forms.
var ErrPeriod = errors.New("period: want YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY")

// ParsePeriod reads 2026-09, 2026-Q3, 2026-H1 or 2026; anything else (2026-Q5, 26-09,
// 2026-13) is ErrPeriod.
func ParsePeriod(s string) (Period, error) {
	m := periodRE.FindStringSubmatch(s)
	if m == nil {
		return Period{}, ErrPeriod
	}
	year, _ := strconv.Atoi(m[1])
	if year < 2000 || year > 2999 {
		return Period{}, ErrPeriod
	}
	p := Period{Kind: Year, Year: year}
	switch {
	case m[2] != "":
		p.Kind, p.N = Month, atoi(m[2])
		if p.N < 1 || p.N > 12 {
			return Period{}, ErrPeriod
		}
	case m[3] != "":
		p.Kind, p.N = Quarter, atoi(m[3])
	case m[4] != "":
		p.Kind, p.N = Half, atoi(m[4])
	}
	return p, nil
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// String writes the period as ParsePeriod reads it.
func (p Period) String() string {
	switch p.Kind {
	case Month:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	case Half:
		return fmt.Sprintf("%04d-H%d", p.Year, p.N)
	}
	return fmt.Sprintf("%04d", p.Year)
}

// Label is the period in Chinese words, for the workbook: 2026年9月, 2026年第3季度,
// 2026年上半年, 2026年.
func (p Period) Label() string {
	switch p.Kind {
	case Month:
		return fmt.Sprintf("%d年%d月", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%d年第%d季度", p.Year, p.N)
	case Half:
		return fmt.Sprintf("%d年%s", p.Year, map[int]string{1: "上半年", 2: "下半年"}[p.N])
	}
	return fmt.Sprintf("%d年", p.Year)
}

// months is the first month and the number of months of the period.
func (p Period) months() (first time.Month, n int) {
	switch p.Kind {
	case Month:
		return time.Month(p.N), 1
	case Quarter:
		return time.Month(3*p.N - 2), 3
	case Half:
		return time.Month(6*p.N - 5), 6
	}
	return time.January, 12
}

// Bounds are the period's first instant and the first instant after it, at midnight
// in loc: [from, to).
func (p Period) Bounds(loc *time.Location) (from, to time.Time) {
	first, n := p.months()
	from = time.Date(p.Year, first, 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(0, n, 0)
}

// Months lists the months of the period as YYYY-MM.
func (p Period) Months() []string {
	first, n := p.months()
	out := make([]string, n)
	for i := range n {
		out[i] = fmt.Sprintf("%04d-%02d", p.Year, int(first)+i)
	}
	return out
}

// Previous is the period of the same kind before p: 2026-Q2 for 2026-Q3, 2025-12 for
// 2026-01, 2025 for 2026.
func (p Period) Previous() Period {
	per := map[string]int{Month: 12, Quarter: 4, Half: 2}[p.Kind]
	if p.Kind == Year {
		return Period{Kind: Year, Year: p.Year - 1}
	}
	if p.N == 1 {
		return Period{Kind: p.Kind, Year: p.Year - 1, N: per}
	}
	return Period{Kind: p.Kind, Year: p.Year, N: p.N - 1}
}

// Window is a period as ranked at some moment: its bounds and the cut-off up to which
// facts count. A period not yet over is ranked with the data so far (InProgress), up to
// CutOff; a finished one up to its end.
type Window struct {
	Period     Period
	From, To   time.Time
	CutOff     time.Time
	InProgress bool
	loc        *time.Location
}

// ErrNotStarted is a period that begins after now: there is nothing to rank yet.
var ErrNotStarted = errors.New("period has not started")

// WindowAt is p as ranked at now in loc.
func WindowAt(p Period, now time.Time, loc *time.Location) (Window, error) {
	from, to := p.Bounds(loc)
	w := Window{Period: p, From: from, To: to, CutOff: to, loc: loc}
	if !now.After(from) {
		return w, ErrNotStarted
	}
	if now.Before(to) {
		w.InProgress, w.CutOff = true, now.In(loc).Truncate(time.Second)
	}
	return w, nil
}

// FromDate is the first day of the period.
func (w Window) FromDate() models.Date { return models.DateOf(w.From.In(w.loc)) }

// DayLimit is the first day whose due date does not count: the day after the period,
// or while it runs the day of the cut-off, because a due day counts once it is over.
func (w Window) DayLimit() models.Date { return models.DateOf(w.CutOff.In(w.loc)) }

// Months are the period's months that began before the cut-off.
func (w Window) Months() []string {
	var out []string
	for i, m := range w.Period.Months() {
		if w.From.AddDate(0, i, 0).Before(w.CutOff) {
			out = append(out, m)
		}
	}
	return out
}

// Offset is the zone's offset east of UTC in seconds at the period's start, to find
// the local day of a stored UTC instant in SQL (Asia/Shanghai has had one offset since
// 1991).
func (w Window) Offset() int {
	_, off := w.From.Zone()
	return off
}

// LastQuarter is the last quarter over at now in loc: what the leadership group ranks by
// default.
func LastQuarter(now time.Time, loc *time.Location) Period {
	l := now.In(loc)
	p := Period{Kind: Quarter, Year: l.Year(), N: (int(l.Month())-1)/3 + 1}
	return p.Previous()
}

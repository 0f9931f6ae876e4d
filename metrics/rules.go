// Package metrics keeps the service metrics of the county branches (R3–R5): one row of
// work-order figures per branch and calendar month, entered one by one or imported from
// the company's work-order system as a workbook, checked against the rules of the
// source document, audited, exported, and watched for missing months.
package metrics

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"quality/models"
)

// MaxCount bounds every count, so no sum or product of counts overflows and a typo of
// a few extra digits is refused instead of ranking a branch.
const MaxCount = 100_000_000

// MaxSurveyScore is the best score of one satisfaction survey (R3.3): a month's score
// sum is at most MaxSurveyScore × surveys.
const MaxSurveyScore = 100

// Count is a count shown to people: its text has thousands separators (12,000); in
// JSON it is a plain number.
type Count int64

var grouped = message.NewPrinter(language.English)

func (n Count) String() string { return grouped.Sprintf("%d", int64(n)) }

// field is one count of a service metric: Key is its JSON name (and column, and a
// header the import accepts), Title its header in the workbooks (an asterisk: required),
// Total the count it may not exceed ("" for none), and row and in reach the value in a
// stored row and in a PUT body.
type field struct {
	Key, Title, Total string
	row               func(*models.ServiceMetric) *int64
	in                func(*Input) **int64
}

// fields are the counts in the workbooks' column order.
var fields = []field{
	// R3.3: work orders responded to within 24 hours.
	{"work_orders", "工单数*", "", func(m *models.ServiceMetric) *int64 { return &m.WorkOrders }, func(i *Input) **int64 { return &i.WorkOrders }},
	{"responded_24h", "24小时内响应工单数*", "work_orders", func(m *models.ServiceMetric) *int64 { return &m.Responded24h }, func(i *Input) **int64 { return &i.Responded24h }},
	// R4.1: ordinary faults fixed within 24 hours, major faults within 72 hours.
	{"ordinary_faults", "一般故障数*", "", func(m *models.ServiceMetric) *int64 { return &m.OrdinaryFaults }, func(i *Input) **int64 { return &i.OrdinaryFaults }},
	{"ordinary_fixed_24h", "24小时内修复一般故障数*", "ordinary_faults", func(m *models.ServiceMetric) *int64 { return &m.OrdinaryFixed24h }, func(i *Input) **int64 { return &i.OrdinaryFixed24h }},
	{"major_faults", "重大故障数*", "", func(m *models.ServiceMetric) *int64 { return &m.MajorFaults }, func(i *Input) **int64 { return &i.MajorFaults }},
	{"major_fixed_72h", "72小时内修复重大故障数*", "major_faults", func(m *models.ServiceMetric) *int64 { return &m.MajorFixed72h }, func(i *Input) **int64 { return &i.MajorFixed72h }},
	// R4.2: installations, restorations and complaint replies within their limits.
	{"installations", "新装数*", "", func(m *models.ServiceMetric) *int64 { return &m.Installations }, func(i *Input) **int64 { return &i.Installations }},
	{"installed_on_time", "按时新装数*", "installations", func(m *models.ServiceMetric) *int64 { return &m.InstalledOnTime }, func(i *Input) **int64 { return &i.InstalledOnTime }},
	{"restorations", "恢复服务数*", "", func(m *models.ServiceMetric) *int64 { return &m.Restorations }, func(i *Input) **int64 { return &i.Restorations }},
	{"restored_on_time", "按时恢复服务数*", "restorations", func(m *models.ServiceMetric) *int64 { return &m.RestoredOnTime }, func(i *Input) **int64 { return &i.RestoredOnTime }},
	{"complaints", "投诉数*", "", func(m *models.ServiceMetric) *int64 { return &m.Complaints }, func(i *Input) **int64 { return &i.Complaints }},
	{"complaints_replied_3d", "3个工作日内答复投诉数*", "complaints", func(m *models.ServiceMetric) *int64 { return &m.ComplaintsReplied }, func(i *Input) **int64 { return &i.ComplaintsReplied }},
	// R5.1: callbacks due and done within 72 hours.
	{"callbacks_due", "应回访数*", "", func(m *models.ServiceMetric) *int64 { return &m.CallbacksDue }, func(i *Input) **int64 { return &i.CallbacksDue }},
	{"callbacks_done_72h", "72小时内回访数*", "callbacks_due", func(m *models.ServiceMetric) *int64 { return &m.CallbacksDone72h }, func(i *Input) **int64 { return &i.CallbacksDone72h }},
	// R3.3 customer satisfaction and R3.4 subscriber retention.
	{"surveys", "满意度调查数*", "", func(m *models.ServiceMetric) *int64 { return &m.Surveys }, func(i *Input) **int64 { return &i.Surveys }},
	{"survey_score_sum", "满意度得分合计*", "", func(m *models.ServiceMetric) *int64 { return &m.SurveyScoreSum }, func(i *Input) **int64 { return &i.SurveyScoreSum }},
	{"subscribers_start", "月初用户数*", "", func(m *models.ServiceMetric) *int64 { return &m.SubscribersStart }, func(i *Input) **int64 { return &i.SubscribersStart }},
	{"subscribers_end", "月末用户数*", "", func(m *models.ServiceMetric) *int64 { return &m.SubscribersEnd }, func(i *Input) **int64 { return &i.SubscribersEnd }},
}

// byKey finds a count by its key.
var byKey = func() map[string]field {
	m := make(map[string]field, len(fields))
	for _, f := range fields {
		m[f.Key] = f
	}
	return m
}()

// Validate adds to ve every count of m that breaks a rule, field by field: each is a
// whole number from 0 to MaxCount (R3–R5 count things); each "on time" count is at most
// its total (R3.3 responded within 24 h, R4.1 fixed within 24 h / 72 h, R4.2 installed,
// restored and replied on time, R5.1 called back within 72 h); and the survey score sum
// is at most MaxSurveyScore per survey (R3.3).
func Validate(ve *models.ValidationError, m *models.ServiceMetric) {
	inRange := func(v int64) bool { return v >= 0 && v <= MaxCount }
	for _, f := range fields {
		v := *f.row(m)
		if !inRange(v) {
			ve.Add(f.Key, "metric_count_range", "max", Count(MaxCount))
			continue
		}
		if f.Total == "" {
			continue
		}
		// A total out of range has its own error; comparing with it says nothing.
		if total := *byKey[f.Total].row(m); inRange(total) && v > total {
			ve.Add(f.Key, "metric_above_"+f.Total, "max", Count(total))
		}
	}
	if s, sum := m.Surveys, m.SurveyScoreSum; inRange(s) && inRange(sum) && sum > MaxSurveyScore*s {
		ve.Add("survey_score_sum", "metric_score_above_max", "max", Count(MaxSurveyScore*s))
	}
}

// sameCounts reports whether two rows hold the same counts.
func sameCounts(a, b *models.ServiceMetric) bool {
	for _, f := range fields {
		if *f.row(a) != *f.row(b) {
			return false
		}
	}
	return true
}

// changes are the counts that differ from before to after, as the audit log keeps
// them: field → {from, to}.
func changes(before, after *models.ServiceMetric) map[string]models.Change {
	pairs := make(map[string][2]any, len(fields))
	for _, f := range fields {
		pairs[f.Key] = [2]any{*f.row(before), *f.row(after)}
	}
	return models.Diff(pairs)
}

// counts are the counts of m by key, as an audit event of a new row keeps them.
func counts(m *models.ServiceMetric) map[string]int64 {
	out := make(map[string]int64, len(fields))
	for _, f := range fields {
		out[f.Key] = *f.row(m)
	}
	return out
}

// monthLayout writes a month.
const monthLayout = "2006-01"

// firstYear is the earliest year a month may name: an Excel cell holding a small
// number (5 for May) reads as a date of 1900, which must not pass as a month.
const firstYear = 2000

// ParseMonth reads a month written YYYY-MM (2000-01 or later) as its first day in UTC.
func ParseMonth(s string) (time.Time, error) {
	t, err := time.Parse(monthLayout, s)
	if err != nil || t.Format(monthLayout) != s || t.Year() < firstYear {
		return time.Time{}, fmt.Errorf("month %q: want YYYY-MM from %d on", s, firstYear)
	}
	return t, nil
}

// monthOf is the calendar month of t in its own zone.
func monthOf(t time.Time) string { return t.Format(monthLayout) }

// addMonths is month m moved by n months (m is well formed).
func addMonths(m string, n int) string {
	t, _ := time.Parse(monthLayout, m)
	return t.AddDate(0, n, 0).Format(monthLayout)
}

// monthsBetween lists the months from..to, both included (well formed, from ≤ to).
func monthsBetween(from, to string) []string {
	var out []string
	for m := from; m <= to; m = addMonths(m, 1) {
		out = append(out, m)
	}
	return out
}

// checkMonth adds to ve what is wrong with month, named field: malformed, or after the
// current month of now (in the company's zone), whose figures cannot exist yet.
func checkMonth(ve *models.ValidationError, field, month string, now time.Time) {
	if _, err := ParseMonth(month); err != nil {
		ve.Add(field, "invalid_month")
		return
	}
	if current := monthOf(now); month > current {
		ve.Add(field, "metric_future_month", "current", current)
	}
}

// parseCount reads a count cell: a whole number, written plainly, with thousands
// separators (12,000) or as Excel stores a number (1200.0, 1.2E3).
func parseCount(s string) (int64, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	if groupedRE.MatchString(s) {
		n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
		return n, err == nil
	}
	// NaN and infinities fail the comparisons; 1e15 keeps every whole float exact.
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f >= -1e15 && f <= 1e15) || f != math.Trunc(f) {
		return 0, false
	}
	return int64(f), true
}

// groupedRE is a whole number with thousands separators.
var groupedRE = regexp.MustCompile(`^\d{1,3}(,\d{3})+$`)

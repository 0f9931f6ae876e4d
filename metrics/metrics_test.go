package metrics_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/metrics"
	"quality/models"
	"quality/models/dbtest"
)

// metricOf is a row holding c.
func metricOf(t *testing.T, c map[string]int64) *models.ServiceMetric {
	t.Helper()
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var m models.ServiceMetric
	require.NoError(t, json.Unmarshal(b, &m))
	return &m
}

// fieldCodes lists a validation error's fields as "field:code".
func fieldCodes(ve *models.ValidationError) []string {
	out := []string{}
	for _, f := range ve.Fields {
		out = append(out, f.Field+":"+f.Code)
	}
	return out
}

// TestValidate: every count is a whole number from 0 to MaxCount, every "on time"
// count at most its total (R3.3, R4.1, R4.2, R5.1), the survey score sum at most 100
// per survey; each problem is reported on its own field.
func TestValidate(t *testing.T) {
	good := counts(1)
	for _, tc := range []struct {
		name string
		c    map[string]int64
		want []string
	}{
		{"a good month", good, []string{}},
		{"all zero", with(with(counts(0), "subscribers_start", 0), "subscribers_end", 0), []string{}},
		{"on time equal to its total", with(good, "responded_24h", 100), []string{}},
		{"the most there may be", with(with(good, "work_orders", metrics.MaxCount), "subscribers_end", metrics.MaxCount), []string{}},
		{"negative", with(good, "complaints", -1), []string{"complaints:metric_count_range"}},
		{"above the bound", with(good, "subscribers_start", metrics.MaxCount+1), []string{"subscribers_start:metric_count_range"}},
		{"R3.3 responded above work orders", with(good, "responded_24h", 101), []string{"responded_24h:metric_above_work_orders"}},
		{"R4.1 ordinary fixed above faults", with(good, "ordinary_fixed_24h", 41), []string{"ordinary_fixed_24h:metric_above_ordinary_faults"}},
		{"R4.1 major fixed above faults", with(good, "major_fixed_72h", 6), []string{"major_fixed_72h:metric_above_major_faults"}},
		{"R4.2 installed above installations", with(good, "installed_on_time", 31), []string{"installed_on_time:metric_above_installations"}},
		{"R4.2 restored above restorations", with(good, "restored_on_time", 11), []string{"restored_on_time:metric_above_restorations"}},
		{"R4.2 replied above complaints", with(good, "complaints_replied_3d", 7), []string{"complaints_replied_3d:metric_above_complaints"}},
		{"R5.1 called back above due", with(good, "callbacks_done_72h", 51), []string{"callbacks_done_72h:metric_above_callbacks_due"}},
		{"R3.3 scores above 100 per survey", with(good, "survey_score_sum", 2001), []string{"survey_score_sum:metric_score_above_max"}},
		{"scores with no survey", with(with(good, "surveys", 0), "survey_score_sum", 1), []string{"survey_score_sum:metric_score_above_max"}},
		{"a total out of range is not compared", with(good, "work_orders", -5), []string{"work_orders:metric_count_range"}},
		{"several at once, field by field", with(with(good, "responded_24h", 500), "callbacks_done_72h", -2),
			[]string{"responded_24h:metric_above_work_orders", "callbacks_done_72h:metric_count_range"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ve := &models.ValidationError{}
			metrics.Validate(ve, metricOf(t, tc.c))
			assert.ElementsMatch(t, tc.want, fieldCodes(ve))
		})
	}
	t.Run("the total in the message has separators", func(t *testing.T) {
		ve := &models.ValidationError{}
		metrics.Validate(ve, metricOf(t, with(with(good, "work_orders", 12000), "responded_24h", 12001)))
		require.Len(t, ve.Fields, 1)
		assert.Equal(t, "12,000", fmt.Sprint(ve.Fields[0].Params["max"]))
		b, err := json.Marshal(ve.Fields[0].Params)
		require.NoError(t, err)
		assert.JSONEq(t, `{"max":12000}`, string(b), "a plain number in JSON")
	})
}

// TestParseMonth accepts YYYY-MM from 2000 on and nothing else.
func TestParseMonth(t *testing.T) {
	for _, s := range []string{"2026-05", "2000-01", "2099-12"} {
		_, err := metrics.ParseMonth(s)
		assert.NoError(t, err, s)
	}
	for _, s := range []string{"", "2026-5", "2026-13", "2026-00", "26-05", "2026/05", "2026-05-01", "1999-12", " 2026-05", "2026-05x"} {
		_, err := metrics.ParseMonth(s)
		assert.Error(t, err, s)
	}
}

// TestReplace: PUT creates the row, replaces it whole, writes nothing when nothing
// changed, and audits each change; out of scope is a 404 like nonexistent.
func TestReplace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		donghu := f.unit("360102").ID
		mark := f.lastAudit()

		v, err := f.svc.Replace(f.ctx, province, donghu, "2026-04", input(t, counts(1)))
		require.NoError(t, err)
		assert.Equal(t, "360102", v.UnitCode)
		assert.Equal(t, "东湖区分公司", v.UnitName)
		assert.Equal(t, int64(90), v.Responded24h)
		require.NotNil(t, v.UpdatedBy)
		assert.Equal(t, uint(7), *v.UpdatedBy)
		evs := f.audits(mark)
		require.Len(t, evs, 1)
		assert.Equal(t, []string{"create", "province-admin", fmt.Sprint(v.ID)}, []string{evs[0].Action, evs[0].ActorName, evs[0].EntityID})
		assert.Contains(t, evs[0].Summary, `"responded_24h":90`)

		t.Run("the same counts again write nothing", func(t *testing.T) {
			mark := f.lastAudit()
			before := f.stored("360102", "2026-04")
			again, err := f.svc.Replace(f.ctx, province, donghu, "2026-04", input(t, counts(1)))
			require.NoError(t, err)
			assert.Equal(t, v.ID, again.ID)
			assert.Empty(t, f.audits(mark))
			assert.Equal(t, before.UpdatedAt, f.stored("360102", "2026-04").UpdatedAt)
		})
		t.Run("a change is audited field by field", func(t *testing.T) {
			mark := f.lastAudit()
			c := with(with(counts(1), "responded_24h", 95), "complaints", 0)
			c = with(c, "complaints_replied_3d", 0)
			got, err := f.svc.Replace(f.ctx, province, donghu, "2026-04", input(t, c))
			require.NoError(t, err)
			assert.Equal(t, v.ID, got.ID)
			assert.Equal(t, int64(95), f.stored("360102", "2026-04").Responded24h)
			assert.Zero(t, f.stored("360102", "2026-04").Complaints, "a zero is written, not skipped")
			evs := f.audits(mark)
			require.Len(t, evs, 1)
			assert.Equal(t, "update", evs[0].Action)
			var sum struct {
				OrgUnitID uint                     `json:"org_unit_id"`
				Month     string                   `json:"month"`
				Changes   map[string]models.Change `json:"changes"`
			}
			require.NoError(t, json.Unmarshal([]byte(evs[0].Summary), &sum))
			assert.Equal(t, donghu, sum.OrgUnitID)
			assert.Equal(t, "2026-04", sum.Month)
			assert.Equal(t, map[string]models.Change{
				"responded_24h":         {From: float64(90), To: float64(95)},
				"complaints":            {From: float64(6), To: float64(0)},
				"complaints_replied_3d": {From: float64(5), To: float64(0)},
			}, sum.Changes)
		})
		t.Run("refusals write nothing", func(t *testing.T) {
			mark, n := f.lastAudit(), f.count()
			missing := input(t, counts(1))
			missing.Surveys = nil
			for _, tc := range []struct {
				name         string
				by           metrics.Caller
				unit         uint
				month        string
				in           metrics.Input
				field, code  string
				wantNotFound bool
			}{
				{name: "a month in the future", by: province, unit: donghu, month: "2026-06", in: input(t, counts(1)), field: "month", code: "metric_future_month"},
				{name: "a malformed month", by: province, unit: donghu, month: "2026-6", in: input(t, counts(1)), field: "month", code: "invalid_month"},
				{name: "a city company", by: province, unit: f.unit("3601").ID, month: "2026-04", in: input(t, counts(1)), field: "unit_id", code: "metric_not_county"},
				{name: "an outlet", by: province, unit: f.unit("360102-01").ID, month: "2026-04", in: input(t, counts(1)), field: "unit_id", code: "metric_not_county"},
				{name: "a count left out", by: province, unit: donghu, month: "2026-04", in: missing, field: "surveys", code: "required"},
				{name: "a rule broken", by: province, unit: donghu, month: "2026-04", in: input(t, with(counts(1), "major_fixed_72h", 9)), field: "major_fixed_72h", code: "metric_above_major_faults"},
				{name: "a branch of another city", by: f.city(), unit: f.unit("360402").ID, month: "2026-04", in: input(t, counts(1)), wantNotFound: true},
				{name: "no such unit", by: province, unit: 999999, month: "2026-04", in: input(t, counts(1)), wantNotFound: true},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := f.svc.Replace(f.ctx, tc.by, tc.unit, tc.month, tc.in)
					if tc.wantNotFound {
						require.ErrorIs(t, err, models.ErrNotFound)
						return
					}
					dbtest.RequireFieldError(t, err, tc.field, tc.code)
				})
			}
			assert.Empty(t, f.audits(mark))
			assert.Equal(t, n, f.count())
		})
		t.Run("the current month is allowed, in Shanghai's calendar", func(t *testing.T) {
			f.now = f.now.AddDate(0, 0, 20).Add(15 * time.Hour) // 2026-05-31 24:00 in Shanghai is June
			defer func() { f.now = f.now.AddDate(0, 0, -20).Add(-15 * time.Hour) }()
			_, err := f.svc.Replace(f.ctx, province, donghu, "2026-06", input(t, counts(1)))
			require.NoError(t, err)
		})
		t.Run("a city's admin writes inside the city", func(t *testing.T) {
			_, err := f.svc.Replace(f.ctx, f.city(), f.unit("360103").ID, "2026-04", input(t, counts(2)))
			require.NoError(t, err)
		})
	})
}

// TestReplaceInParallel: first writes of one branch-month at once make one row and one
// audit event; the rest find it and change nothing.
func TestReplaceInParallel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		donghu := f.unit("360102").ID
		mark := f.lastAudit()
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() { _, errs[i] = f.svc.Replace(f.ctx, province, donghu, "2026-03", input(t, counts(3))) })
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		assert.Len(t, f.audits(mark), 1)
		assert.Equal(t, int64(1), f.count())

		// Changes at once queue on the branch: each audit event starts from what the
		// one before it left, so the log adds up to the row.
		mark = f.lastAudit()
		for i := range errs {
			wg.Go(func() { _, errs[i] = f.svc.Replace(f.ctx, province, donghu, "2026-03", input(t, counts(int64(i+4)))) })
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		evs := f.audits(mark)
		require.Len(t, evs, len(errs))
		last := float64(300)
		for _, ev := range evs {
			var sum struct {
				Changes map[string]models.Change `json:"changes"`
			}
			require.NoError(t, json.Unmarshal([]byte(ev.Summary), &sum))
			wo := sum.Changes["work_orders"]
			assert.Equal(t, last, wo.From, "event %d", ev.ID)
			last = wo.To.(float64)
		}
		assert.Equal(t, int64(last), f.stored("360102", "2026-03").WorkOrders)
	})
}

// TestGetAndList: one branch-month, and lists filtered by subtree and months, cut to
// the scope; a unit outside the scope is a 404.
func TestGetAndList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.put("360102", "2026-03", counts(1))
		f.put("360102", "2026-04", counts(2))
		f.put("360103", "2026-04", counts(3))
		f.put("360402", "2026-04", counts(4))
		city := f.city().Scope

		v, err := f.svc.Get(f.ctx, city, f.unit("360102").ID, "2026-04")
		require.NoError(t, err)
		assert.Equal(t, int64(200), v.WorkOrders)
		assert.Equal(t, "东湖区分公司", v.UnitName)
		_, err = f.svc.Get(f.ctx, city, f.unit("360402").ID, "2026-04")
		require.ErrorIs(t, err, models.ErrNotFound, "another city's branch")
		_, err = f.svc.Get(f.ctx, city, f.unit("360102").ID, "2026-02")
		require.ErrorIs(t, err, models.ErrNotFound, "a month without a row")

		list := func(scope models.Scope, in metrics.ListInput) []string {
			t.Helper()
			l, err := f.svc.List(f.ctx, scope, in)
			require.NoError(t, err)
			out := []string{}
			for _, v := range l.Items {
				out = append(out, v.UnitCode+" "+v.Month)
			}
			assert.Equal(t, int64(len(out)), l.Total)
			return out
		}
		assert.Equal(t, []string{"360102 2026-04", "360103 2026-04", "360402 2026-04", "360102 2026-03"}, list(models.ScopeAll, metrics.ListInput{}))
		assert.Equal(t, []string{"360102 2026-04", "360103 2026-04", "360102 2026-03"}, list(city, metrics.ListInput{}))
		assert.Equal(t, []string{"360102 2026-04", "360103 2026-04"}, list(city, metrics.ListInput{From: "2026-04"}))
		assert.Equal(t, []string{"360102 2026-03"}, list(city, metrics.ListInput{To: "2026-03"}))
		assert.Equal(t, []string{"360102 2026-04", "360102 2026-03"}, list(city, metrics.ListInput{UnitID: f.unit("360102").ID}))
		assert.Equal(t, []string{"360402 2026-04"}, list(models.ScopeAll, metrics.ListInput{UnitID: f.unit("3604").ID}))
		page, err := f.svc.List(f.ctx, models.ScopeAll, metrics.ListInput{Page: models.Page{Page: 2, PerPage: 3}})
		require.NoError(t, err)
		assert.Equal(t, int64(4), page.Total)
		require.Len(t, page.Items, 1)
		assert.Equal(t, "2026-03", page.Items[0].Month)

		_, err = f.svc.List(f.ctx, city, metrics.ListInput{UnitID: f.unit("3604").ID})
		require.ErrorIs(t, err, models.ErrNotFound, "a unit outside the scope")
		_, err = f.svc.List(f.ctx, city, metrics.ListInput{From: "2026-05", To: "2026-04"})
		dbtest.RequireFieldError(t, err, "to", "metric_to_before_from")
		_, err = f.svc.List(f.ctx, city, metrics.ListInput{From: "2026-5"})
		var ve *models.ValidationError
		require.True(t, errors.As(err, &ve))
		dbtest.RequireFieldError(t, err, "from", "invalid_month")
	})
}

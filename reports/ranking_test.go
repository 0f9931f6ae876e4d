package reports_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/reports"
	"quality/seeds"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// service is a ranking service on db at the fixture's now.
func service(db *gorm.DB, now time.Time) *reports.Service {
	s := reports.NewService(db, shanghai)
	s.Now = func() time.Time { return now }
	return s
}

// want is one branch's expected line: the numbers worked out by hand in
// seeds/rankingfixture.go. Scores are in DimensionKeys order, "" for 无数据.
type want struct {
	code       string
	rank       int // 0: not ranked
	prev       int // 0: not ranked in the previous period
	change     string
	composite  string // "": none
	deductions int64
	weight     int
	flags      []string
	scores     [7]string
	counts     [7]int64
}

var q3County = []want{
	{code: "990101", rank: 1, prev: 2, change: "▲1", composite: "81.24", deductions: 1, weight: 100, flags: []string{},
		scores: [7]string{"90.00", "60.00", "74.00", "75.00", "80.00", "94.95", "91.00"}, counts: [7]int64{4, 5, 25, 4, 10, 3, 300}},
	{code: "990102", rank: 2, change: "新", composite: "81.14", weight: 90, flags: []string{},
		scores: [7]string{"71.75", "100.00", "85.00", "", "60.00", "90.00", "85.00"}, counts: [7]int64{3, 2, 10, 0, 5, 1, 20}},
	{code: "990201", rank: 2, prev: 1, change: "▼1", composite: "81.14", deductions: 3, weight: 75, flags: []string{},
		scores: [7]string{"90.26", "", "79.00", "", "50.00", "95.43", "88.10"}, counts: [7]int64{8, 0, 50, 0, 18, 2, 212}},
	{code: "990202", rank: 4, prev: 4, change: "—", composite: "31.11", deductions: 20, weight: 90, flags: []string{reports.FlagSmallSample},
		scores: [7]string{"65.00", "0.00", "50.00", "", "25.00", "80.00", "70.00"}, counts: [7]int64{2, 1, 10, 0, 4, 1, 10}},
	{code: "990301", prev: 3, composite: "58.89", weight: 45, flags: []string{reports.FlagSmallSample, reports.FlagNotRanked},
		scores: [7]string{"", "", "50.00", "", "0.00", "90.00", "80.00"}, counts: [7]int64{0, 0, 4, 0, 2, 1, 10}},
	{code: "990302", flags: []string{reports.FlagSmallSample, reports.FlagNotRanked}},
}

var q2County = []want{
	{code: "990201", rank: 1, change: "新", composite: "85.20", weight: 75, flags: []string{},
		scores: [7]string{"90.00", "", "79.00", "", "50.00", "100.00", "90.00"}, counts: [7]int64{3, 0, 50, 0, 18, 1, 10}},
	{code: "990101", rank: 2, change: "新", composite: "85.08", weight: 75, flags: []string{},
		scores: [7]string{"80.00", "", "88.10", "", "90.00", "90.00", "85.00"}, counts: [7]int64{3, 0, 21, 0, 10, 1, 10}},
	{code: "990301", rank: 3, change: "新", composite: "73.73", weight: 75, flags: []string{},
		scores: [7]string{"96.00", "", "50.00", "", "0.00", "90.00", "80.00"}, counts: [7]int64{3, 0, 4, 0, 2, 1, 10}},
	{code: "990202", rank: 4, change: "新", composite: "63.33", weight: 75, flags: []string{},
		scores: [7]string{"70.00", "", "50.00", "", "25.00", "80.00", "70.00"}, counts: [7]int64{3, 0, 10, 0, 4, 1, 10}},
	{code: "990102", composite: "72.50", weight: 20, flags: []string{reports.FlagSmallSample, reports.FlagNotRanked},
		scores: [7]string{"", "", "85.00", "", "60.00", "", ""}, counts: [7]int64{0, 0, 10, 0, 5, 0, 0}},
	{code: "990302", flags: []string{reports.FlagSmallSample, reports.FlagNotRanked}},
}

var q3City = []want{
	{code: "9901", rank: 1, prev: 1, change: "—", composite: "78.87", deductions: 1, weight: 100, flags: []string{},
		scores: [7]string{"77.83", "71.43", "77.14", "75.00", "73.33", "94.64", "90.63"}, counts: [7]int64{7, 7, 35, 4, 15, 4, 320}},
	{code: "9902", rank: 2, prev: 2, change: "—", composite: "48.33", deductions: 20, weight: 90, flags: []string{},
		scores: [7]string{"89.01", "0.00", "74.17", "", "45.45", "94.03", "87.28"}, counts: [7]int64{10, 1, 60, 0, 22, 3, 222}},
	{code: "9903", prev: 3, composite: "58.89", weight: 45, flags: []string{reports.FlagSmallSample, reports.FlagNotRanked},
		scores: [7]string{"", "", "50.00", "", "0.00", "90.00", "80.00"}, counts: [7]int64{0, 0, 4, 0, 2, 1, 10}},
}

func TestRankingByHand(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		_, err := seeds.LoadRankingFixture(ctx, db, nil)
		require.NoError(t, err)
		svc := service(db, seeds.RankingFixtureNow)
		q3, err := reports.ParsePeriod("2026-Q3")
		require.NoError(t, err)

		county, err := svc.Ranking(ctx, q3, reports.LevelCounty)
		require.NoError(t, err)
		assert.Equal(t, "2026-Q2", county.PreviousPeriod)
		assert.False(t, county.InProgress)
		assert.Equal(t, time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC), county.From, "Q3 starts at midnight in Beijing")
		assert.Equal(t, time.Date(2026, 9, 30, 16, 0, 0, 0, time.UTC), county.To)
		assert.Equal(t, county.To, county.CutOff)
		checkItems(t, q3County, county.Items)

		// The previous period, worked out in the fixture's comment too.
		q2, err := svc.Ranking(ctx, q3.Previous(), reports.LevelCounty)
		require.NoError(t, err)
		checkItems(t, q2County, q2.Items)

		city, err := svc.Ranking(ctx, q3, reports.LevelCity)
		require.NoError(t, err)
		checkItems(t, q3City, city.Items)

		// Beside the scores: the numbers a reader needs to recompute them.
		a1 := county.Items[0]
		assert.Equal(t, map[string]int64{"earned": 180, "possible": 200, "passed": 3, "critical_failures": 1}, a1.Dimensions[reports.DimSite].Facts)
		assert.Equal(t, "75.00", a1.Dimensions[reports.DimSite].Rates["pass_rate"].String())
		sat := a1.Dimensions[reports.DimSatisfaction]
		assert.Equal(t, "0.50", sat.Rates["complaints_per_1000"].String(), "50 complaints per 100,000 households")
		assert.Equal(t, "100.40", sat.Rates["retention"].String(), "50,000 → 50,200")
		assert.Equal(t, "50000.00", sat.Rates["households_per_installer"].String(), "100,000 households, 2 installers")
		assert.Equal(t, int64(4500), sat.Facts["households_norm"], "urban: R3.1's 4,500")
		assert.Equal(t, "30.00", a1.Dimensions[reports.DimSite].WeightUsed.String())
		b1 := county.Items[2]
		assert.Equal(t, "40.00", b1.Dimensions[reports.DimSite].WeightUsed.String(), "30 of the 75 with data")
		assert.Nil(t, b1.Dimensions[reports.DimRectification].WeightUsed)
		assert.Equal(t, map[string]int64{"warnings": 1, "no_awards": 0, "circulated_criticism": 0, "penalties": 0, "critical_failures": 2}, b1.DeductionFacts)
		b2 := county.Items[3]
		assert.Equal(t, map[string]int64{"warnings": 0, "no_awards": 1, "circulated_criticism": 1, "penalties": 2, "critical_failures": 6}, b2.DeductionFacts,
			"21 points, capped at 20")
	})
}

// checkItems compares a ranking's items, in order, with the expected lines.
func checkItems(t *testing.T, wants []want, items []reports.Item) {
	t.Helper()
	require.Len(t, items, len(wants))
	for i, w := range wants {
		it := items[i]
		require.Equal(t, w.code, it.UnitCode, "line %d", i+1)
		if w.rank == 0 {
			assert.Nil(t, it.Rank, "%s rank", w.code)
		} else if assert.NotNil(t, it.Rank, "%s rank", w.code) {
			assert.Equal(t, w.rank, *it.Rank, "%s rank", w.code)
		}
		if w.prev == 0 {
			assert.Nil(t, it.PreviousRank, "%s previous rank", w.code)
		} else if assert.NotNil(t, it.PreviousRank, "%s previous rank", w.code) {
			assert.Equal(t, w.prev, *it.PreviousRank, "%s previous rank", w.code)
		}
		assert.Equal(t, w.change, it.ChangeLabel, "%s change", w.code)
		assert.Equal(t, w.composite, str(it.Composite), "%s composite", w.code)
		assert.Equal(t, w.deductions, it.Deductions, "%s deductions", w.code)
		assert.Equal(t, w.weight, it.WeightWithData, "%s weight with data", w.code)
		assert.Equal(t, w.rank > 0, it.Ranked, "%s ranked", w.code)
		assert.Equal(t, w.flags, it.Flags, "%s flags", w.code)
		for k, key := range reports.DimensionKeys {
			d := it.Dimensions[key]
			assert.Equal(t, w.scores[k], str(d.Score), "%s %s score", w.code, key)
			assert.Equal(t, w.counts[k], d.Count, "%s %s count", w.code, key)
		}
	}
}

func str(p *models.Percent) string {
	if p == nil {
		return ""
	}
	return p.String()
}

// The same facts written in another order give the same ranking, number for number.
func TestRankingIgnoresWriteOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		_, err := seeds.LoadRankingFixture(ctx, db, seeds.RankingFixtureSeed(7))
		require.NoError(t, err)
		q3, _ := reports.ParsePeriod("2026-Q3")
		county, err := service(db, seeds.RankingFixtureNow).Ranking(ctx, q3, reports.LevelCounty)
		require.NoError(t, err)
		checkItems(t, q3County, county.Items)
	})
}

// A period not over yet is ranked with the facts so far, marked in progress with its
// cut-off; a month is bounded in Beijing time.
func TestRankingInProgress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		_, err := seeds.LoadRankingFixture(ctx, db, nil)
		require.NoError(t, err)
		// 2026-09-30 23:45 Beijing: Q3 is still running; the inspection of 23:30 is in.
		now := time.Date(2026, 9, 30, 15, 45, 0, 0, time.UTC)
		q3, _ := reports.ParsePeriod("2026-Q3")
		r, err := service(db, now).Ranking(ctx, q3, reports.LevelCounty)
		require.NoError(t, err)
		assert.True(t, r.InProgress)
		assert.Equal(t, now, r.CutOff)
		a1 := r.Items[indexOf(r.Items, "990101")]
		assert.Equal(t, map[string]int64{"earned": 180, "possible": 200, "passed": 3, "critical_failures": 1}, a1.Dimensions[reports.DimSite].Facts)
		// Rectifications due on 09-30 (today) are not judged yet: the same five.
		assert.Equal(t, int64(5), a1.Dimensions[reports.DimRectification].Count)

		// October from 10-01 00:00 Beijing: the inspection at 00:10 is its only one.
		oct, _ := reports.ParsePeriod("2026-10")
		r, err = service(db, seeds.RankingFixtureNow).Ranking(ctx, oct, reports.LevelCounty)
		require.NoError(t, err)
		assert.Equal(t, "2026-09", r.PreviousPeriod)
		assert.Equal(t, map[string]int64{"earned": 0, "possible": 50, "passed": 0, "critical_failures": 0}, r.Items[indexOf(r.Items, "990101")].Dimensions[reports.DimSite].Facts)

		_, err = service(db, seeds.RankingFixtureNow).Ranking(ctx, reports.Period{Kind: reports.Quarter, Year: 2027, N: 1}, reports.LevelCounty)
		assert.ErrorIs(t, err, reports.ErrNotStarted)
		_, err = service(db, seeds.RankingFixtureNow).Ranking(ctx, q3, "outlet")
		assert.ErrorIs(t, err, reports.ErrLevel)
	})
}

func indexOf(items []reports.Item, code string) int {
	for i, it := range items {
		if it.UnitCode == code {
			return i
		}
	}
	return -1
}

// The JSON carries the shape the API promises.
func TestRankingJSONShape(t *testing.T) {
	db := dbtest.SQLite(t)
	ctx := context.Background()
	_, err := seeds.LoadRankingFixture(ctx, db, nil)
	require.NoError(t, err)
	q3, _ := reports.ParsePeriod("2026-Q3")
	r, err := service(db, seeds.RankingFixtureNow).Ranking(ctx, q3, reports.LevelCounty)
	require.NoError(t, err)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(b, &doc))
	for _, k := range []string{"period", "kind", "from", "to", "in_progress", "cut_off", "previous_period", "weights", "items"} {
		assert.Contains(t, doc, k)
	}
	item := doc["items"].([]any)[5].(map[string]any)
	for _, k := range []string{"unit_id", "unit_code", "unit_name", "city_name", "rank", "previous_rank", "change", "composite", "deductions", "ranked", "flags", "dimensions"} {
		assert.Contains(t, item, k)
	}
	assert.Nil(t, item["rank"])
	assert.Nil(t, item["composite"])
	site := item["dimensions"].(map[string]any)["site"].(map[string]any)
	assert.Contains(t, site, "score")
	assert.Nil(t, site["score"], "无数据 is a null score")
	assert.Equal(t, "乙市分公司", doc["items"].([]any)[2].(map[string]any)["city_name"])
}

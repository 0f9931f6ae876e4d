package reports

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"

	"quality/models"
)

func TestHundredthsRoundsHalfUpOnce(t *testing.T) {
	for _, tc := range []struct {
		num, den int64
		want     string
	}{
		{1733, 1920, "90.26"}, {18677, 21200, "88.10"}, {90625, 100000, "90.63"}, {1, 3, "33.33"}, {2, 3, "66.67"},
		{0, 5, "0.00"}, {5, 5, "100.00"}, {1, 8, "12.50"}, {1, 80000, "0.00"}, {1, 20000, "0.01"},
	} {
		assert.Equal(t, tc.want, hundredths(big.NewRat(tc.num, tc.den)).String(), "%d/%d", tc.num, tc.den)
		assert.Equal(t, tc.want, share(tc.num, tc.den).String(), "%d/%d", tc.num, tc.den)
	}
}

func TestMeanOfRatesLeavesOutEmptyRates(t *testing.T) {
	p, n, ok := meanOfRates([]rate{{96, 100}, {95, 100}, {90, 100}, {98, 100}, {97, 100}, {95, 100}, {97, 100}})
	assert.True(t, ok)
	assert.Equal(t, 7, n)
	assert.Equal(t, "95.43", p.String(), "6.68 / 7 = 0.954285…")
	p, n, _ = meanOfRates([]rate{{1, 2}, {0, 0}, {3, 4}})
	assert.Equal(t, 2, n)
	assert.Equal(t, "62.50", p.String())
	_, _, ok = meanOfRates([]rate{{0, 0}})
	assert.False(t, ok)
}

// RANKING.md's branch by hand: 81.14.
func TestCompositeOfRankingMD(t *testing.T) {
	pc := func(s int64) *models.Percent { p := models.Percent(s); return &p }
	scores := map[string]*models.Percent{DimSite: pc(9026), DimTraining: pc(7900), DimCertification: pc(5000), DimTimeliness: pc(9543), DimSatisfaction: pc(8810)}
	c := composite(scores, DefaultSettings.Weights.ByKey(), 3, 60)
	assert.Equal(t, 75, c.WeightWithData)
	assert.True(t, c.Ranked)
	assert.Equal(t, "81.14", c.Score.String())
	assert.Equal(t, "40.00", scaledWeight(30, 75).String())

	// Below 60 % of the weight with data: not ranked, the composite still shown.
	c = composite(map[string]*models.Percent{DimTimeliness: pc(9000), DimSatisfaction: pc(8000)}, DefaultSettings.Weights.ByKey(), 0, 60)
	assert.False(t, c.Ranked)
	assert.Equal(t, "86.00", c.Score.String())
	// Deductions above the composite floor it at 0.
	c = composite(map[string]*models.Percent{DimSite: pc(1000)}, DefaultSettings.Weights.ByKey(), 20, 1)
	assert.Equal(t, "0.00", c.Score.String())
	// Nothing: no composite.
	c = composite(map[string]*models.Percent{}, DefaultSettings.Weights.ByKey(), 0, 60)
	assert.Nil(t, c.Score)
	assert.False(t, c.Ranked)
}

func TestAssignRanksShareTies(t *testing.T) {
	items := []rankable{
		{Code: "05", Score: 7000, Ranked: true},
		{Code: "02", Score: 8114, Ranked: true},
		{Code: "09", Score: 9000, Ranked: false},
		{Code: "01", Score: 8114, Ranked: true},
		{Code: "03", Score: 8124, Ranked: true},
		{Code: "04", Ranked: false},
	}
	order, ranks := assignRanks(items)
	var codes []string
	var got []int
	for _, i := range order {
		codes = append(codes, items[i].Code)
		got = append(got, ranks[i])
	}
	assert.Equal(t, []string{"03", "01", "02", "05", "04", "09"}, codes, "ties by code; unranked last by code")
	assert.Equal(t, []int{1, 2, 2, 4, 0, 0}, got)
}

package seeds_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
	"quality/training"
)

// TestHandbookV1Text: the seeded handbook is a real one: Chinese, of a readable length,
// one section per service system, citing the rules it states (R1–R9).
func TestHandbookV1Text(t *testing.T) {
	body := seeds.HandbookV1()
	n := utf8.RuneCountInString(body)
	assert.True(t, n >= 2500 && n <= 4000, "the handbook has %d characters, want 2,500–4,000", n)
	sections := regexp.MustCompile(`(?m)^## [一二三四五六七八九]、`).FindAllString(body, -1)
	assert.Len(t, sections, 9, "one section per service system")
	cited := map[string]bool{}
	for _, r := range regexp.MustCompile(`（R(\d)\.\d+）`).FindAllStringSubmatch(body, -1) {
		cited[r[1]] = true
	}
	for _, system := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"} {
		assert.True(t, cited[system], "no rule of R%s is cited", system)
	}
	assert.Contains(t, body, "不得", "it says what not to do (R8.1)")
	assert.Contains(t, body, "应当做", "and what to do")
	assert.False(t, strings.ContainsAny(body, "壹這個為"), "Simplified Chinese, not the source's Traditional characters")
}

func TestLoadHandbookAndDemoAcknowledgements(t *testing.T) {
	ctx := context.Background()
	db := dbtest.SQLite(t)
	_, err := seeds.LoadBase(ctx, db)
	require.NoError(t, err)
	_, err = seeds.LoadDemo(ctx, db, "demo-pass-123")
	require.NoError(t, err)

	n, err := seeds.LoadDemoAcknowledgements(ctx, db)
	require.NoError(t, err)
	assert.Zero(t, n, "no handbook yet: nothing to acknowledge")

	loaded, err := seeds.LoadHandbook(ctx, db)
	require.NoError(t, err)
	assert.True(t, loaded)
	loaded, err = seeds.LoadHandbook(ctx, db)
	require.NoError(t, err)
	assert.False(t, loaded, "a second start adds nothing")
	v, err := models.CurrentHandbook(ctx, db)
	require.NoError(t, err)
	assert.Equal(t, "1.0", v.Version)
	assert.Equal(t, seeds.HandbookTitle, v.Title)

	n, err = seeds.LoadDemoAcknowledgements(ctx, db)
	require.NoError(t, err)
	again, err := seeds.LoadDemoAcknowledgements(ctx, db)
	require.NoError(t, err)
	assert.Zero(t, again, "a second start adds nothing")

	svc := training.NewService(db, time.UTC)
	c, err := svc.GetCoverage(ctx, models.ScopeAll, training.CoverageFilter{})
	require.NoError(t, err)
	assert.EqualValues(t, n, c.Total.Acknowledged, "every demo acknowledgement is of an active employee")
	assert.True(t, c.Total.Percent >= 60 && c.Total.Percent <= 80, "province coverage %.1f %%, want 60–80 %%", c.Total.Percent)

	// Branches differ, so the figures say something.
	counties := map[float64]bool{}
	low, high := 100.0, 0.0
	for _, u := range c.Units {
		if u.Level == models.LevelCounty {
			counties[u.Percent] = true
			low, high = min(low, u.Percent), max(high, u.Percent)
		}
	}
	t.Logf("%d acknowledgements: %.1f %% of %d active staff; county branches from %.1f %% to %.1f %%",
		n, c.Total.Percent, c.Total.Targeted, low, high)
	assert.Greater(t, len(counties), 10, "county coverage should vary")

	// The demo employee is pending, so the handbook asks them to acknowledge.
	emps, err := models.EmployeesByJobNumber(ctx, db, []string{"360102-01001"})
	require.NoError(t, err)
	emp := emps["360102-01001"]
	view, err := svc.Current(ctx, &emp.ID)
	require.NoError(t, err)
	assert.True(t, view.Pending)

	// Deterministic: a second database with the same data gets the same figures.
	db2 := dbtest.SQLite(t)
	_, err = seeds.LoadBase(ctx, db2)
	require.NoError(t, err)
	_, err = seeds.LoadDemo(ctx, db2, "demo-pass-123")
	require.NoError(t, err)
	_, err = seeds.LoadHandbook(ctx, db2)
	require.NoError(t, err)
	n2, err := seeds.LoadDemoAcknowledgements(ctx, db2)
	require.NoError(t, err)
	assert.Equal(t, n, n2)
	c2, err := training.NewService(db2, time.UTC).GetCoverage(ctx, models.ScopeAll, training.CoverageFilter{})
	require.NoError(t, err)
	assert.Equal(t, c.Units, c2.Units)
}

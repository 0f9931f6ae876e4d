package seeds

import (
	"context"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"quality/models"
)

// demoHistoryMonths is how long before now the demo province has been using the
// product: the base handbook and courses count as published then, so the ranking of
// any period of the demo's year has a handbook and courses to measure training by.
const demoHistoryMonths = 13

// LoadDemoHistory dates the publication of the base handbook version and courses back
// to the start of the demo's year (when they were published later), so the demo's
// acknowledgements and completions can spread over that year. It returns how many
// records it moved; a second run moves none.
func LoadDemoHistory(ctx context.Context, db *gorm.DB, now time.Time) (int, error) {
	start := now.UTC().AddDate(0, -demoHistoryMonths, 0)
	n := 0
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, table := range []any{&models.HandbookVersion{}, &models.Course{}} {
			res := tx.Model(table).Where("status = ? AND published_at > ?", models.CoursePublished, start).Update("published_at", start)
			if res.Error != nil {
				return res.Error
			}
			n += int(res.RowsAffected)
		}
		if n == 0 {
			return nil
		}
		return models.Audit(tx, models.SystemActor, "seed", "demo_history", 0, map[string]any{"published_at": start, "records": n})
	})
	return n, err
}

// demoCompletionRate is the percentage (55–95) of a branch's long-serving staff who have
// completed the courses meant for them.
func demoCompletionRate(units map[uint]models.OrgUnit, unitID uint) uint32 {
	u, ok := units[unitID]
	for ok && u.Level == models.LevelOutlet && u.ParentID != nil {
		u, ok = units[*u.ParentID]
	}
	return 55 + stableHash("courses"+u.Code)%41
}

// demoVeteranCompletions are the completions of the staff hired before from: each
// branch's share of them (demoCompletionRate) has completed every published course
// meant for their position, at a time spread over the year after published.
func demoVeteranCompletions(ctx context.Context, tx *gorm.DB, from models.Date, published, now time.Time) ([]*models.Completion, error) {
	units, err := models.OrgUnitsInScope(ctx, tx, models.ScopeAll)
	if err != nil {
		return nil, err
	}
	byID := make(map[uint]models.OrgUnit, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	courses, err := models.CoursesPublishedBefore(ctx, tx, now)
	if err != nil {
		return nil, err
	}
	var staff []models.Employee
	if err := tx.Where("status = ? AND hire_date < ?", models.StatusActive, from).Order("job_number").Find(&staff).Error; err != nil {
		return nil, err
	}
	var out []*models.Completion
	span := now.Sub(published)
	for _, e := range staff {
		if stableHash(e.JobNumber+"courses")%100 >= demoCompletionRate(byID, e.OrgUnitID) {
			continue
		}
		rng := rand.New(rand.NewPCG(uint64(stableHash(e.JobNumber)), 20261202))
		for _, c := range courses {
			if c.For(e.Position) {
				at := published.Add(time.Duration(rng.Int64N(int64(span)))).Truncate(time.Second)
				out = append(out, &models.Completion{CourseID: c.ID, EmployeeID: e.ID, At: at, Method: models.CompletedOnline})
			}
		}
	}
	return out, nil
}

package seeds

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"quality/models"
)

// demoMetricMonths is how many complete months of service metrics the demo loads.
const demoMetricMonths = 12

// LoadDemoMetrics loads twelve complete months (before now, Asia/Shanghai) of service
// metrics for every county branch, unless any exist: each branch has its own level of
// timeliness and satisfaction (drawn once from its id), month-to-month noise around it,
// and volumes in proportion to its households, so the demo's rankings spread. Every row
// keeps the rules (each on-time count at most its total, score sums at most 100 a
// survey). It returns the number of rows.
func LoadDemoMetrics(ctx context.Context, db *gorm.DB, now time.Time) (int, error) {
	var have int64
	if err := db.WithContext(ctx).Model(&models.ServiceMetric{}).Count(&have).Error; err != nil || have > 0 {
		return 0, err
	}
	units, err := models.OrgUnitsInScope(ctx, db, models.ScopeAll)
	if err != nil {
		return 0, err
	}
	rows := DemoMetrics(units, now)
	if len(rows) == 0 {
		return 0, nil
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit("OrgUnit").CreateInBatches(rows, 200).Error; err != nil {
			return fmt.Errorf("demo metrics: %w", err)
		}
		events := make([]*models.AuditEvent, len(rows))
		for i, m := range rows {
			events[i] = models.NewAuditEvent(models.SystemActor, "seed", "service_metric", m.ID,
				map[string]any{"org_unit_id": m.OrgUnitID, "month": m.Month})
		}
		return models.AuditMany(tx, events)
	})
	return len(rows), err
}

// DemoMetrics builds the demo's metric rows for the county branches of units: the same
// units and now give the same rows.
func DemoMetrics(units []models.OrgUnit, now time.Time) []*models.ServiceMetric {
	loc := shanghai()
	l := now.In(loc)
	first := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc).AddDate(0, -demoMetricMonths, 0)
	var out []*models.ServiceMetric
	for _, u := range units {
		if u.Level != models.LevelCounty {
			continue
		}
		rng := rand.New(rand.NewPCG(20261202, uint64(u.ID)))
		level := 0.86 + 0.12*rng.Float64()   // the branch's timeliness
		mood := 74 + rng.IntN(20)            // its mean satisfaction
		complaintRate := 0.2 + rng.Float64() // complaints per 1,000 households a month
		subscribers := int64(float64(u.Households) * (0.6 + 0.3*rng.Float64()))
		scale := max(int64(u.Households)/2000, 5) // work orders a month
		for m := range demoMetricMonths {
			month := first.AddDate(0, m, 0)
			share := func(total int64, p float64) int64 {
				p += (rng.Float64() - 0.5) * 0.04
				return min(total, max(0, int64(float64(total)*p+0.5)))
			}
			r := &models.ServiceMetric{OrgUnitID: u.ID, Month: month.Format("2006-01")}
			r.WorkOrders = scale + rng.Int64N(scale/5+1)
			r.Responded24h = share(r.WorkOrders, level+0.03)
			r.OrdinaryFaults = r.WorkOrders * 4 / 10
			r.OrdinaryFixed24h = share(r.OrdinaryFaults, level)
			r.MajorFaults = 1 + rng.Int64N(max(r.WorkOrders/40, 2))
			r.MajorFixed72h = share(r.MajorFaults, level-0.02)
			r.Installations = r.WorkOrders / 4
			r.InstalledOnTime = share(r.Installations, level)
			r.Restorations = r.WorkOrders / 10
			r.RestoredOnTime = share(r.Restorations, level+0.01)
			r.Complaints = max(1, int64(complaintRate*float64(u.Households)/1000+rng.Float64()*2))
			r.ComplaintsReplied = share(r.Complaints, level-0.01)
			r.CallbacksDue = r.OrdinaryFaults + r.MajorFaults + r.Complaints
			r.CallbacksDone72h = share(r.CallbacksDue, level+0.02)
			r.Surveys = 20 + rng.Int64N(60)
			r.SurveyScoreSum = min(100*r.Surveys, r.Surveys*int64(mood)+rng.Int64N(r.Surveys*6)-r.Surveys*3)
			r.SubscribersStart = subscribers
			subscribers += int64(float64(subscribers) * (rng.Float64() - 0.45) * 0.004)
			r.SubscribersEnd = subscribers
			out = append(out, r)
		}
	}
	return out
}

// shanghai is the company's zone (embedded tzdata in the binary, a fixed +8 otherwise).
func shanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

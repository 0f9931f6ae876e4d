package seeds

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"gorm.io/gorm"

	"quality/models"
	"quality/training"
)

//go:embed data/handbook_v1.md
var handbookV1 string

// Handbook v1, written from the nine service systems of the source document (R1–R9).
const (
	HandbookTitle     = "员工服务手册"
	HandbookV1Version = "1.0"
)

// HandbookV1 returns the Markdown body of handbook v1.
func HandbookV1() string { return handbookV1 }

// LoadHandbook creates and publishes handbook v1.0 when there is no version at all, and
// reports whether it did.
func LoadHandbook(ctx context.Context, db *gorm.DB) (bool, error) {
	have, err := models.ListHandbookVersions(ctx, db, models.Page{PerPage: 1})
	if err != nil || have.Total > 0 {
		return false, err
	}
	svc := training.NewService(db, shanghai())
	d, err := svc.CreateDraft(ctx, models.SystemActor, training.VersionInput{Version: HandbookV1Version, Title: HandbookTitle, Body: handbookV1})
	if errors.Is(err, models.ErrConflict) {
		return false, nil // another instance starting at the same time made it
	}
	if err != nil {
		return false, fmt.Errorf("seed handbook: %w", err)
	}
	if _, err := svc.Publish(ctx, models.SystemActor, d.ID); err != nil {
		return false, fmt.Errorf("publish seed handbook: %w", err)
	}
	return true, nil
}

// LoadDemoAcknowledgements acknowledges the current handbook for about 60–80 % of the
// active staff, at a rate that differs by branch so that coverage figures differ too;
// the demo `employee` user's own employee is left pending. It does nothing once any
// acknowledgement exists, and returns how many it made. The choice depends only on job
// numbers and unit codes, so the same staff give the same figures on every machine.
func LoadDemoAcknowledgements(ctx context.Context, db *gorm.DB) (int, error) {
	if n, err := models.CountAcknowledgements(ctx, db); err != nil || n > 0 {
		return 0, err
	}
	v, err := models.CurrentHandbook(ctx, db)
	if errors.Is(err, models.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	units, err := models.OrgUnitsInScope(ctx, db, models.ScopeAll)
	if err != nil {
		return 0, err
	}
	byID := make(map[uint]models.OrgUnit, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	pending := map[string]bool{}
	for _, du := range DemoUsers {
		if du.Role == models.RoleEmployee {
			pending[du.JobNumber] = true
		}
	}
	published := v.CreatedAt
	if v.PublishedAt != nil {
		published = *v.PublishedAt
	}
	now := time.Now().UTC()
	var acks []*models.Acknowledgement
	for page := 1; ; page++ {
		list, err := models.ListEmployees(ctx, db, models.ScopeAll, models.EmployeeFilter{Status: models.StatusActive,
			Page: models.Page{Page: page, PerPage: models.MaxPerPage}})
		if err != nil {
			return 0, err
		}
		for _, e := range list.Items {
			if pending[e.JobNumber] || stableHash(e.JobNumber)%100 >= demoAckRate(byID, e.OrgUnitID) {
				continue
			}
			// Spread between publishing and now: never before the version existed.
			at := published.Add(time.Duration(float64(now.Sub(published)) * float64(stableHash("at"+e.JobNumber)%1000) / 1000))
			acks = append(acks, &models.Acknowledgement{EmployeeID: e.ID, VersionID: v.ID, At: at})
		}
		if len(list.Items) < models.MaxPerPage {
			break
		}
	}
	if len(acks) == 0 {
		return 0, nil
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.CreateInBatches(acks, 500).Error; err != nil {
			return fmt.Errorf("demo acknowledgements: %w", err)
		}
		events := make([]*models.AuditEvent, len(acks))
		for i, a := range acks {
			events[i] = models.NewAuditEvent(models.SystemActor, "seed", "acknowledgement", a.ID,
				map[string]any{"employee_id": a.EmployeeID, "version": v.Version})
		}
		return models.AuditMany(tx, events)
	})
	if err != nil {
		return 0, err
	}
	return len(acks), nil
}

// demoAckRate is the percentage (60–80) of a branch's staff who acknowledged, for the
// branch of the unit: its county branch, else its city company, else the province.
func demoAckRate(units map[uint]models.OrgUnit, unitID uint) uint32 {
	u, ok := units[unitID]
	for ok && u.Level == models.LevelOutlet && u.ParentID != nil {
		u, ok = units[*u.ParentID]
	}
	return 60 + stableHash("rate"+u.Code)%21
}

// stableHash is FNV-1a of s: stable across runs and machines.
func stableHash(s string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return h.Sum32()
}

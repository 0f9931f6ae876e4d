package seeds

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"

	"quality/inspections"
	"quality/models"
	"quality/policy"
)

//go:embed data/checklists.json
var checklistsJSON []byte

// Codes of the seeded checklist templates (issue 4 point 3).
const (
	HallChecklist      = "HALL-SERVICE" // 营业厅服务规范检查表 (R1, R2, R9.1, R9.8, environment)
	HomeVisitChecklist = "HOME-VISIT"   // 上门服务抽查表 (R9.7, R4)
	HotlineChecklist   = "HOTLINE"      // 客服热线抽查表 (R9.2, R2.5)
)

// Checklists returns the seeded templates, written from the source document.
func Checklists() ([]inspections.TemplateInput, error) {
	var out []inspections.TemplateInput
	if err := json.Unmarshal(checklistsJSON, &out); err != nil {
		return nil, fmt.Errorf("checklists.json: %w", err)
	}
	return out, nil
}

// LoadChecklists publishes version 1 of every seeded template whose code has no
// version yet, and places the seeded outlets that have no coordinates; it is base data
// (run on every start, with or without --demo) and returns how many records it added
// or placed.
func LoadChecklists(ctx context.Context, db *gorm.DB) (int, error) {
	seeds, err := Checklists()
	if err != nil {
		return 0, err
	}
	// Templates need only the database, the policy (the pass mark) and the clock of an
	// inspection service.
	templates := &inspections.Service{DB: db, Policy: policy.NewService(db), Now: time.Now}
	n := 0
	for _, in := range seeds {
		have, err := models.ListTemplates(ctx, db, models.TemplateFilter{Code: in.Code, Page: models.Page{PerPage: 1}})
		if err != nil {
			return n, err
		}
		if have.Total > 0 {
			continue
		}
		t, err := templates.CreateTemplate(ctx, models.SystemActor, models.ScopeAll, in)
		if errors.Is(err, models.ErrConflict) {
			continue // another instance starting at the same time made it
		}
		if err != nil {
			return n, fmt.Errorf("seed checklist %s: %w", in.Code, err)
		}
		if _, err := templates.PublishTemplate(ctx, models.SystemActor, models.ScopeAll, t.ID); err != nil {
			return n, fmt.Errorf("publish seed checklist %s: %w", in.Code, err)
		}
		n++
	}
	placed, err := placeOutlets(ctx, db)
	return n + placed, err
}

// cityCentres are the approximate centres (latitude, longitude) of the city companies'
// cities, by unit code.
var cityCentres = map[string][2]float64{
	"3601": {28.682, 115.858}, // 南昌
	"3602": {29.269, 117.178}, // 景德镇
	"3603": {27.623, 113.854}, // 萍乡
	"3604": {29.705, 116.002}, // 九江
	"3605": {27.818, 114.917}, // 新余
	"3606": {28.260, 117.069}, // 鹰潭
	"3607": {25.831, 114.935}, // 赣州
	"3608": {27.114, 114.993}, // 吉安
	"3609": {27.815, 114.417}, // 宜春
	"3610": {27.949, 116.358}, // 抚州
	"3611": {28.455, 117.943}, // 上饶
}

// OutletLocation is the seeded position of an outlet: within about 25 km of its city's
// centre, fixed by its code (FNV-1a), so it is the same on every machine. It is an
// approximation for the far-from-outlet check, not a survey: admins correct it
// through PATCH /api/v1/org-units/:id (lat, lng). ok is false outside the seeded cities.
func OutletLocation(code string) (lat, lng float64, ok bool) {
	if len(code) < 4 {
		return 0, 0, false
	}
	c, ok := cityCentres[code[:4]]
	if !ok {
		return 0, 0, false
	}
	h := stableHash("location" + code)
	// Up to ±0.22° of latitude and ±0.25° of longitude, rounded to 6 decimals (~0.1 m).
	dLat := (float64(h%44001) - 22000) / 100000
	dLng := (float64((h/44001)%50001) - 25000) / 100000
	round := func(x float64) float64 { return math.Round(x*1e6) / 1e6 }
	return round(c[0] + dLat), round(c[1] + dLng), true
}

// placeOutlets gives every outlet without coordinates its OutletLocation, with one
// audit event each, in one transaction.
func placeOutlets(ctx context.Context, db *gorm.DB) (int, error) {
	var outlets []models.OrgUnit
	if err := db.WithContext(ctx).Where("level = ? AND lat IS NULL", models.LevelOutlet).Order("code").Find(&outlets).Error; err != nil {
		return 0, err
	}
	n := 0
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var events []*models.AuditEvent
		for _, u := range outlets {
			lat, lng, ok := OutletLocation(u.Code)
			if !ok {
				continue
			}
			res := tx.Model(&models.OrgUnit{}).Where("id = ? AND lat IS NULL", u.ID).Updates(map[string]any{"lat": lat, "lng": lng})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				continue
			}
			events = append(events, models.NewAuditEvent(models.SystemActor, "seed", "org_unit", u.ID,
				map[string]any{"code": u.Code, "lat": lat, "lng": lng}))
			n++
		}
		return models.AuditMany(tx, events)
	})
	return n, err
}

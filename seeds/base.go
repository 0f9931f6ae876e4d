package seeds

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"gorm.io/gorm"

	"quality/accounts"
	"quality/models"
)

// AdminUsername is the account created on first start.
const AdminUsername = "admin"

// LoadBase inserts the embedded org tree units that are missing (by code), so it is
// safe to run on every start; it returns how many it inserted.
func LoadBase(ctx context.Context, db *gorm.DB) (int, error) {
	tree, err := OrgTree()
	if err != nil {
		return 0, err
	}
	existing, err := models.OrgUnitsByCode(ctx, db, models.ScopeAll)
	if err != nil {
		return 0, err
	}
	if len(existing) >= len(tree) {
		return 0, nil
	}
	if len(existing) == 0 {
		return len(tree), insertTree(ctx, db, tree)
	}
	inserted := 0
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var events []*models.AuditEvent
		for _, s := range tree {
			if _, ok := existing[s.Code]; ok {
				continue
			}
			var parent *models.OrgUnit
			if s.ParentCode != "" {
				p, ok := existing[s.ParentCode]
				if !ok {
					return fmt.Errorf("seed unit %s: parent %s missing", s.Code, s.ParentCode)
				}
				parent = &p
			}
			u := models.OrgUnit{Code: s.Code, Name: s.Name, Level: s.Level, Urban: s.Urban, Households: s.Households}
			if err := models.InsertOrgUnit(tx, &u, parent); err != nil {
				return fmt.Errorf("seed unit %s: %w", s.Code, err)
			}
			existing[s.Code] = u
			events = append(events, models.NewAuditEvent(models.SystemActor, "seed", "org_unit", u.ID, map[string]string{"code": u.Code, "name": u.Name}))
			inserted++
		}
		return models.AuditMany(tx, events)
	})
	return inserted, err
}

// insertTree loads the whole tree into an empty table in a few batch inserts: the ids
// are assigned in seed order, so every path is known before the insert.
func insertTree(ctx context.Context, db *gorm.DB, tree []OrgSeed) error {
	units := make([]*models.OrgUnit, len(tree))
	byCode := make(map[string]*models.OrgUnit, len(tree))
	events := make([]*models.AuditEvent, len(tree))
	for i, s := range tree {
		u := &models.OrgUnit{ID: uint(i + 1), Code: s.Code, Name: s.Name, Level: s.Level, Urban: s.Urban, Households: s.Households}
		if p, ok := byCode[s.ParentCode]; ok {
			u.ParentID = &p.ID
			u.Path = p.ChildPath(u.ID)
		} else {
			u.Path = "/" + strconv.Itoa(i+1) + "/"
		}
		units[i], byCode[s.Code] = u, u
		events[i] = models.NewAuditEvent(models.SystemActor, "seed", "org_unit", u.ID, map[string]string{"code": u.Code, "name": u.Name})
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit("Parent").CreateInBatches(units, 200).Error; err != nil {
			return fmt.Errorf("seed org tree: %w", err)
		}
		return models.AuditMany(tx, events)
	})
}

// EnsureAdmin creates the `admin` account with an admin grant over the province when it
// does not exist. An empty password gets a random one, returned so it can be printed once.
func EnsureAdmin(ctx context.Context, db *gorm.DB, password string) (created bool, used string, err error) {
	if _, err := models.GetUserByUsername(ctx, db, AdminUsername); err == nil {
		return false, "", nil
	} else if !errors.Is(err, models.ErrNotFound) {
		return false, "", err
	}
	root, err := provinceRoot(ctx, db)
	if err != nil {
		return false, "", err
	}
	if password == "" {
		password = accounts.RandomPassword()
	}
	_, err = accounts.NewService(db, accounts.DefaultConfig).CreateUser(ctx, models.SystemActor, models.ScopeAll, accounts.UserInput{
		Username: AdminUsername, DisplayName: "系统管理员", Password: password,
		Grants: []accounts.GrantInput{{Role: models.RoleAdmin, OrgUnitID: root.ID}},
	})
	if err != nil {
		return false, "", fmt.Errorf("create admin: %w", err)
	}
	return true, password, nil
}

func provinceRoot(ctx context.Context, db *gorm.DB) (*models.OrgUnit, error) {
	list, err := models.ListOrgUnits(ctx, db, models.ScopeAll, models.OrgFilter{Level: models.LevelProvince, Page: models.Page{PerPage: 1}})
	if err != nil {
		return nil, err
	}
	if len(list.Items) == 0 {
		return nil, errors.New("no province unit: load the base data first")
	}
	return &list.Items[0], nil
}

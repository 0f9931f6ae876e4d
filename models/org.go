package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	gosqlite "github.com/glebarez/go-sqlite"
)

// Org levels, top to bottom (R3: province → city company → county branch → outlet).
const (
	LevelProvince = "province"
	LevelCity     = "city"
	LevelCounty   = "county"
	LevelOutlet   = "outlet"
)

// Levels lists the org levels from the top.
var Levels = []string{LevelProvince, LevelCity, LevelCounty, LevelOutlet}

// LevelIndex returns the depth of a level (province 0) or -1 when unknown.
func LevelIndex(level string) int {
	for i, l := range Levels {
		if l == level {
			return i
		}
	}
	return -1
}

// OrgUnit is a node of the company tree with a materialised path, so a subtree is one
// indexed `path LIKE '/1/4/%'` query.
type OrgUnit struct {
	ID         uint     `gorm:"primaryKey" json:"id"`
	Code       string   `gorm:"size:32;not null;uniqueIndex" json:"code"`
	Name       string   `gorm:"size:100;not null" json:"name"`
	Level      string   `gorm:"size:16;not null;index" json:"level"`
	ParentID   *uint    `gorm:"index" json:"parent_id"`
	Parent     *OrgUnit `gorm:"foreignKey:ParentID;constraint:OnDelete:RESTRICT" json:"-"`
	Path       string   `gorm:"size:191;not null;index" json:"path"`
	Urban      bool     `gorm:"not null" json:"urban"`
	Households int      `gorm:"not null" json:"households"`
	Address    string   `gorm:"size:200;not null" json:"address"`
	Phone      string   `gorm:"size:32;not null" json:"phone"`
	// Lat and Lng locate an outlet, so an inspection started far from it is flagged.
	Lat       *float64  `json:"lat"`
	Lng       *float64  `json:"lng"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ChildPath is the path a child of u gets once its id is known.
func (u *OrgUnit) ChildPath(childID uint) string {
	return u.Path + strconv.FormatUint(uint64(childID), 10) + "/"
}

// OrgFilter selects org units; zero fields do not filter.
type OrgFilter struct {
	Level    string
	ParentID uint
	// Under limits to the subtree of this unit, the unit included.
	Under uint
	Q     string
	Page
}

// ListOrgUnits returns one page of units in scope, ordered by code.
func ListOrgUnits(ctx context.Context, db *gorm.DB, scope Scope, f OrgFilter) (List[OrgUnit], error) {
	q := scope.onPath(db.WithContext(ctx).Model(&OrgUnit{}), "path")
	if f.Level != "" {
		q = q.Where("level = ?", f.Level)
	}
	if f.ParentID != 0 {
		q = q.Where("parent_id = ?", f.ParentID)
	}
	if f.Under != 0 {
		root, err := GetOrgUnit(ctx, db, scope, f.Under)
		if err != nil {
			return List[OrgUnit]{}, err
		}
		q = q.Where("path LIKE ?", root.Path+"%")
	}
	if f.Q != "" {
		q = q.Where("("+likeClause("name")+" OR "+likeClause("code")+")", containsPattern(f.Q), containsPattern(f.Q))
	}
	return pageOf[OrgUnit](q, f.Page, "code")
}

// OrgUnitsInScope returns every unit in scope in code order, which is also tree order
// (a unit's code begins with its parent's: 3601, 360102, 360102-01), as the company
// lists its units; the path holds row ids, and ordering by it put 赣州 (3607) first.
func OrgUnitsInScope(ctx context.Context, db *gorm.DB, scope Scope) ([]OrgUnit, error) {
	var units []OrgUnit
	err := scope.onPath(db.WithContext(ctx), "path").Order("code").Find(&units).Error
	return units, err
}

// GetOrgUnit loads one unit inside scope or fails with ErrNotFound.
func GetOrgUnit(ctx context.Context, db *gorm.DB, scope Scope, id uint) (*OrgUnit, error) {
	var u OrgUnit
	err := scope.onPath(db.WithContext(ctx), "path").Where("id = ?", id).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("org unit %d: %w", id, ErrNotFound)
	}
	return &u, err
}

// GetOrgUnitByCode loads one unit by code inside scope or fails with ErrNotFound.
func GetOrgUnitByCode(ctx context.Context, db *gorm.DB, scope Scope, code string) (*OrgUnit, error) {
	var u OrgUnit
	err := scope.onPath(db.WithContext(ctx), "path").Where("code = ?", code).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("org unit %q: %w", code, ErrNotFound)
	}
	return &u, err
}

// OrgUnitsByCode maps code to unit for every unit in scope, for imports.
func OrgUnitsByCode(ctx context.Context, db *gorm.DB, scope Scope) (map[string]OrgUnit, error) {
	units, err := OrgUnitsInScope(ctx, db, scope)
	if err != nil {
		return nil, err
	}
	m := make(map[string]OrgUnit, len(units))
	for _, u := range units {
		m[u.Code] = u
	}
	return m, nil
}

// InsertOrgUnit inserts u under parent (nil for the root) and sets its path; tx must be
// a transaction.
func InsertOrgUnit(tx *gorm.DB, u *OrgUnit, parent *OrgUnit) error {
	u.Path = "/pending/"
	if parent != nil {
		u.ParentID = &parent.ID
	}
	if err := tx.Omit("Parent").Create(u).Error; err != nil {
		return translate(err, "code")
	}
	if parent != nil {
		u.Path = parent.ChildPath(u.ID)
	} else {
		u.Path = "/" + strconv.FormatUint(uint64(u.ID), 10) + "/"
	}
	return tx.Model(u).Update("path", u.Path).Error
}

// MoveOrgSubtree rewrites the paths of u's subtree after u moved under newParent.
func MoveOrgSubtree(tx *gorm.DB, u *OrgUnit, newParent *OrgUnit) error {
	oldPath := u.Path
	newPath := newParent.ChildPath(u.ID)
	var subtree []OrgUnit
	if err := tx.Where("path LIKE ?", oldPath+"%").Find(&subtree).Error; err != nil {
		return err
	}
	for _, s := range subtree {
		p := newPath + s.Path[len(oldPath):]
		if err := tx.Model(&OrgUnit{}).Where("id = ?", s.ID).Update("path", p).Error; err != nil {
			return err
		}
	}
	u.Path = newPath
	u.ParentID = &newParent.ID
	return nil
}

// CountOrgChildren counts the direct children of a unit.
func CountOrgChildren(tx *gorm.DB, id uint) (int64, error) {
	var n int64
	err := tx.Model(&OrgUnit{}).Where("parent_id = ?", id).Count(&n).Error
	return n, err
}

// translate maps GORM's translated errors to ours, naming the field of a duplicate.
func translate(err error, field string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return &ConflictError{Field: field, Code: "duplicate"}
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return &ConflictError{Field: field, Code: "in_use"}
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	}
	// SQLite reports an ON DELETE RESTRICT violation as SQLITE_CONSTRAINT_TRIGGER,
	// which the GORM driver leaves untranslated.
	var se *gosqlite.Error
	if errors.As(err, &se) && se.Code() == sqliteConstraintTrigger {
		return &ConflictError{Field: field, Code: "in_use"}
	}
	return err
}

// sqliteConstraintTrigger is SQLITE_CONSTRAINT_TRIGGER (SQLITE_CONSTRAINT | 7<<8).
const sqliteConstraintTrigger = 1811

// Translate maps driver errors of a write to ErrConflict (naming field) or ErrNotFound.
func Translate(err error, field string) error { return translate(err, field) }

// PathIDs are the ids of a path's units, root first: "/1/4/9/" gives 1, 4, 9.
func PathIDs(path string) []uint {
	var ids []uint
	for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseUint(part, 10, 64); err == nil && id > 0 {
			ids = append(ids, uint(id))
		}
	}
	return ids
}

// AncestorAt is the unit at level on u's path (u itself when it is at that level).
func AncestorAt(ctx context.Context, db *gorm.DB, u *OrgUnit, level string) (*OrgUnit, error) {
	if u.Level == level {
		return u, nil
	}
	var a OrgUnit
	err := db.WithContext(ctx).Where("id IN ? AND level = ?", PathIDs(u.Path), level).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("%s above unit %d: %w", level, u.ID, ErrNotFound)
	}
	return &a, err
}

// UnitPaths maps each of ids to its unit's path, in one query; unknown ids are absent.
func UnitPaths(ctx context.Context, db *gorm.DB, ids []uint) (map[uint]string, error) {
	out := make(map[uint]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var units []OrgUnit
	if err := db.WithContext(ctx).Select("id", "path").Where("id IN ?", ids).Find(&units).Error; err != nil {
		return nil, err
	}
	for _, u := range units {
		out[u.ID] = u.Path
	}
	return out, nil
}

// UpdateOrgUnit writes every column an edit of u may change (a move rewrites the
// subtree's paths apart, MoveOrgSubtree).
func UpdateOrgUnit(tx *gorm.DB, u *OrgUnit) error {
	return tx.Model(u).Select("code", "name", "parent_id", "urban", "households", "address", "phone", "lat", "lng", "updated_at").Updates(u).Error
}

// DeleteOrgUnit removes unit id (the callers refuse it while it has children or staff).
func DeleteOrgUnit(tx *gorm.DB, id uint) error {
	return tx.Delete(&OrgUnit{}, id).Error
}

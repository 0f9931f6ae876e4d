package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Handbook version statuses: a draft can change; a published version never does.
const (
	HandbookDraft     = "draft"
	HandbookPublished = "published"
)

// HandbookVersion is one version of the employee handbook (R8.1), numbered major.minor.
// A new major version asks every targeted employee to acknowledge it again; a minor one
// does not.
type HandbookVersion struct {
	ID          uint       `gorm:"primaryKey" json:"id"`
	Version     string     `gorm:"size:16;not null;uniqueIndex" json:"version"`
	Major       int        `gorm:"not null;index" json:"major"`
	Minor       int        `gorm:"not null" json:"minor"`
	Title       string     `gorm:"size:200;not null" json:"title"`
	Body        string     `gorm:"type:mediumtext;not null" json:"body"` // Markdown; TEXT would stop at 64 KB on MySQL
	Status      string     `gorm:"size:16;not null;index" json:"status"`
	PublishedAt *time.Time `json:"published_at"`
	// CurrentKey is 1 on the current version and NULL on every other one: its unique
	// index keeps a single current version even when two publishes race.
	CurrentKey *int `gorm:"uniqueIndex" json:"-"`
	// Current is derived from CurrentKey when the row is loaded.
	Current   bool      `gorm:"-" json:"current"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// AfterFind fills Current.
func (v *HandbookVersion) AfterFind(*gorm.DB) error {
	v.Current = v.CurrentKey != nil
	return nil
}

// Acknowledgement records that an employee read and accepted one exact handbook version,
// when, from which address and with which browser. UserID is the login that did it
// (nil for seeded data).
type Acknowledgement struct {
	ID         uint             `gorm:"primaryKey" json:"id"`
	EmployeeID uint             `gorm:"not null;uniqueIndex:ux_ack_employee_version;index:idx_ack_employee,priority:1" json:"employee_id"`
	Employee   *Employee        `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	VersionID  uint             `gorm:"not null;uniqueIndex:ux_ack_employee_version;index;index:idx_ack_employee,priority:2" json:"version_id"`
	Version    *HandbookVersion `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	UserID     *uint            `gorm:"index" json:"user_id"`
	User       *User            `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	At         time.Time        `gorm:"not null;index:idx_ack_employee,priority:3" json:"at"`
	IP         string           `gorm:"size:64;not null" json:"ip"`
	UserAgent  string           `gorm:"size:255;not null" json:"user_agent"`
}

// GetHandbookVersion loads one version or fails with ErrNotFound.
func GetHandbookVersion(ctx context.Context, db *gorm.DB, id uint) (*HandbookVersion, error) {
	var v HandbookVersion
	err := db.WithContext(ctx).Where("id = ?", id).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("handbook version %d: %w", id, ErrNotFound)
	}
	return &v, err
}

// CurrentHandbook loads the current published version or fails with ErrNotFound.
func CurrentHandbook(ctx context.Context, db *gorm.DB) (*HandbookVersion, error) {
	var v HandbookVersion
	err := db.WithContext(ctx).Where("current_key = 1").Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("current handbook: %w", ErrNotFound)
	}
	return &v, err
}

// LatestPublishedHandbook loads the published version with the highest number, or nil
// when nothing is published; pass the transaction that is about to publish.
func LatestPublishedHandbook(tx *gorm.DB) (*HandbookVersion, error) {
	var vs []HandbookVersion
	err := tx.Where("status = ?", HandbookPublished).Order("major DESC, minor DESC").Limit(1).Find(&vs).Error
	if err != nil || len(vs) == 0 {
		return nil, err
	}
	return &vs[0], nil
}

// ListHandbookVersions returns one page of versions, highest number first.
func ListHandbookVersions(ctx context.Context, db *gorm.DB, p Page) (List[HandbookVersion], error) {
	q := db.WithContext(ctx).Model(&HandbookVersion{})
	return pageOf[HandbookVersion](q, p, "major DESC, minor DESC")
}

// UnsetCurrentHandbook clears the current mark; tx must be the transaction that then
// publishes another version (on MySQL the update also locks the current row).
func UnsetCurrentHandbook(tx *gorm.DB) error {
	return tx.Model(&HandbookVersion{}).Where("current_key = 1").Update("current_key", nil).Error
}

// PublishHandbookVersion marks draft id published at now and current; call it after
// UnsetCurrentHandbook in the same transaction. It fails with ErrConflict when the
// version is no longer a draft.
func PublishHandbookVersion(tx *gorm.DB, id uint, now time.Time) error {
	one := 1
	res := tx.Model(&HandbookVersion{}).Where("id = ? AND status = ?", id, HandbookDraft).
		Updates(map[string]any{"status": HandbookPublished, "current_key": &one, "published_at": now, "updated_at": now})
	if res.Error != nil {
		return translate(res.Error, "id")
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("handbook version %d is not a draft: %w", id, ErrConflict)
	}
	return nil
}

// GetAcknowledgement loads an employee's acknowledgement of one version or fails with ErrNotFound.
func GetAcknowledgement(ctx context.Context, db *gorm.DB, employeeID, versionID uint) (*Acknowledgement, error) {
	var a Acknowledgement
	err := db.WithContext(ctx).Where("employee_id = ? AND version_id = ?", employeeID, versionID).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("acknowledgement of version %d by employee %d: %w", versionID, employeeID, ErrNotFound)
	}
	return &a, err
}

// CountAcknowledgements counts every acknowledgement.
func CountAcknowledgements(ctx context.Context, db *gorm.DB) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Model(&Acknowledgement{}).Count(&n).Error
	return n, err
}

// acknowledgedMajor is the condition "employees.id acknowledged a published version of
// major version ? or later" (the argument is the major number).
const acknowledgedMajor = "EXISTS (SELECT 1 FROM acknowledgements a JOIN handbook_versions hv ON hv.id = a.version_id" +
	" WHERE a.employee_id = employees.id AND hv.status = 'published' AND hv.major >= ?)"

// HasAcknowledgedMajor reports whether an employee acknowledged any published version of
// major version major or later.
func HasAcknowledgedMajor(ctx context.Context, db *gorm.DB, employeeID uint, major int) (bool, error) {
	var n int64
	err := db.WithContext(ctx).Model(&Employee{}).Where("id = ?", employeeID).Where(acknowledgedMajor, major).Count(&n).Error
	return n > 0, err
}

// HandbookFilter selects the targeted staff (active employees) of a coverage figure or a
// pending list; zero fields do not filter.
type HandbookFilter struct {
	Major    int  // the current major version: acknowledging it or a later version counts
	UnitID   uint // the unit's subtree; outside the scope it is ErrNotFound
	Position string
	Page
}

// targeted is the active staff in scope matching f.
func targeted(ctx context.Context, db *gorm.DB, scope Scope, f HandbookFilter) (*gorm.DB, error) {
	q := scope.onUnit(db.WithContext(ctx).Model(&Employee{}), "employees.org_unit_id").Where("employees.status = ?", StatusActive)
	if f.UnitID != 0 {
		root, err := GetOrgUnit(ctx, db, scope, f.UnitID)
		if err != nil {
			return nil, err
		}
		q = underPath(q, "employees.org_unit_id", root.Path)
	}
	if f.Position != "" {
		q = q.Where("employees.position = ?", f.Position)
	}
	return q, nil
}

// CoverageCount is the targeted and acknowledged staff of one unit (its own staff, not
// its subtree's) in one position.
type CoverageCount struct {
	OrgUnitID    uint
	Position     string
	Targeted     int64
	Acknowledged int64
}

// HandbookCoverageCounts counts targeted and acknowledged staff per unit and position.
func HandbookCoverageCounts(ctx context.Context, db *gorm.DB, scope Scope, f HandbookFilter) ([]CoverageCount, error) {
	q, err := targeted(ctx, db, scope, f)
	if err != nil {
		return nil, err
	}
	var out []CoverageCount
	err = q.Select("employees.org_unit_id AS org_unit_id, employees.position AS position, COUNT(*) AS targeted, "+
		"SUM(CASE WHEN "+acknowledgedMajor+" THEN 1 ELSE 0 END) AS acknowledged", f.Major).
		Group("employees.org_unit_id, employees.position").Scan(&out).Error
	return out, err
}

// pending is the targeted staff matching f who have not acknowledged the current major version.
func pending(ctx context.Context, db *gorm.DB, scope Scope, f HandbookFilter) (*gorm.DB, error) {
	q, err := targeted(ctx, db, scope, f)
	if err != nil {
		return nil, err
	}
	return q.Where("NOT "+acknowledgedMajor, f.Major), nil
}

// ListPendingEmployees returns one page of the active employees in scope, with their
// units, who have not acknowledged major version f.Major or a later one.
func ListPendingEmployees(ctx context.Context, db *gorm.DB, scope Scope, f HandbookFilter) (List[Employee], error) {
	q, err := pending(ctx, db, scope, f)
	if err != nil {
		return List[Employee]{}, err
	}
	return pageOf[Employee](q.Preload("OrgUnit"), f.Page, "employees.job_number")
}

// EachPendingEmployee calls fn with every pending employee of ListPendingEmployees (f.Page
// is ignored), in job-number order, a batch at a time, so an export never holds them all.
func EachPendingEmployee(ctx context.Context, db *gorm.DB, scope Scope, f HandbookFilter, fn func([]Employee) error) error {
	return eachEmployee(func() (*gorm.DB, error) { return pending(ctx, db, scope, f) }, fn)
}

// UpdateDraftHandbook writes the editable columns of v while it is a draft; ErrStale
// when it was published meanwhile.
func UpdateDraftHandbook(tx *gorm.DB, v *HandbookVersion) error {
	res := tx.Model(v).Where("status = ?", HandbookDraft).
		Select("version", "major", "minor", "title", "body", "updated_at").Updates(v)
	return staleUnlessOne(res, "handbook version", v.ID)
}

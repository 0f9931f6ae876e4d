package training

import (
	"context"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"quality/models"
	"quality/workbook"
)

// CoverageFilter narrows coverage figures and the pending list; zero fields do not filter.
type CoverageFilter struct {
	UnitID   uint   // the unit's subtree; a unit outside the caller's scope is ErrNotFound
	Position string // one of models.Positions
	Level    string // coverage only: unit rows of this level alone
}

// Figures are acknowledged over targeted staff: targeted staff are the active employees;
// an acknowledgement of any version of the current major version counts.
type Figures struct {
	Targeted     int64   `json:"targeted"`
	Acknowledged int64   `json:"acknowledged"`
	Pending      int64   `json:"pending"`
	Percent      float64 `json:"percent"` // acknowledged / targeted × 100, one decimal
}

func (f *Figures) add(c models.CoverageCount) {
	f.Targeted += c.Targeted
	f.Acknowledged += c.Acknowledged
}

func (f *Figures) finish() {
	f.Pending = f.Targeted - f.Acknowledged
	if f.Targeted > 0 {
		f.Percent = math.Round(1000*float64(f.Acknowledged)/float64(f.Targeted)) / 10
	}
}

// UnitCoverage is a unit's figures over its whole subtree.
type UnitCoverage struct {
	ID       uint   `json:"id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Level    string `json:"level"`
	ParentID *uint  `json:"parent_id"`
	Figures
}

// PositionCoverage is one position's figures.
type PositionCoverage struct {
	Position string `json:"position"`
	Figures
}

// VersionRef names the version coverage is measured against.
type VersionRef struct {
	ID          uint       `json:"id"`
	Version     string     `json:"version"`
	Major       int        `json:"major"`
	Title       string     `json:"title"`
	PublishedAt *time.Time `json:"published_at"`
}

// Coverage is how much of the targeted staff in a caller's scope acknowledged the
// current major version: in total, per unit (each over its subtree, in tree order, only
// units that have targeted staff) and per position.
type Coverage struct {
	Version   VersionRef         `json:"version"`
	Total     Figures            `json:"total"`
	Units     []UnitCoverage     `json:"units"`
	Positions []PositionCoverage `json:"positions"`
}

// GetCoverage computes the coverage of the current version in scope.
func (s *Service) GetCoverage(ctx context.Context, scope models.Scope, f CoverageFilter) (*Coverage, error) {
	v, err := models.CurrentHandbook(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	counts, err := models.HandbookCoverageCounts(ctx, s.DB, scope, models.HandbookFilter{Major: v.Major, UnitID: f.UnitID, Position: f.Position})
	if err != nil {
		return nil, err
	}
	units, err := models.OrgUnitsInScope(ctx, s.DB, scope)
	if err != nil {
		return nil, err
	}
	rootPath := ""
	if f.UnitID != 0 {
		// In scope: HandbookCoverageCounts has checked.
		root, err := models.GetOrgUnit(ctx, s.DB, scope, f.UnitID)
		if err != nil {
			return nil, err
		}
		rootPath = root.Path
	}
	byID := make(map[uint]*UnitCoverage, len(units))
	pathOf := make(map[uint]string, len(units))
	for _, u := range units {
		pathOf[u.ID] = u.Path
		if strings.HasPrefix(u.Path, rootPath) && (f.Level == "" || u.Level == f.Level) {
			byID[u.ID] = &UnitCoverage{ID: u.ID, Code: u.Code, Name: u.Name, Level: u.Level, ParentID: u.ParentID}
		}
	}
	out := &Coverage{Version: VersionRef{ID: v.ID, Version: v.Version, Major: v.Major, Title: v.Title, PublishedAt: v.PublishedAt},
		Units: []UnitCoverage{}, Positions: []PositionCoverage{}}
	byPosition := map[string]*Figures{}
	for _, c := range counts {
		out.Total.add(c)
		if byPosition[c.Position] == nil {
			byPosition[c.Position] = &Figures{}
		}
		byPosition[c.Position].add(c)
		// Roll the unit's own staff up to it and every ancestor shown.
		for _, id := range pathIDs(pathOf[c.OrgUnitID]) {
			if u, ok := byID[id]; ok {
				u.add(c)
			}
		}
	}
	out.Total.finish()
	for _, u := range units {
		if row, ok := byID[u.ID]; ok && row.Targeted > 0 {
			row.finish()
			out.Units = append(out.Units, *row)
		}
	}
	for _, p := range models.Positions {
		if fig, ok := byPosition[p]; ok {
			fig.finish()
			out.Positions = append(out.Positions, PositionCoverage{Position: p, Figures: *fig})
		}
	}
	return out, nil
}

// pathIDs splits a materialised path ("/1/4/17/") into its unit ids, root first.
func pathIDs(path string) []uint {
	var ids []uint
	for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
		if n, err := strconv.ParseUint(part, 10, 64); err == nil {
			ids = append(ids, uint(n))
		}
	}
	return ids
}

// PendingList is one page of the staff in scope who still have to acknowledge the
// current major version.
type PendingList struct {
	Version VersionRef `json:"version"`
	models.List[models.Employee]
}

// ListPending returns one page of the pending staff in scope, by job number.
func (s *Service) ListPending(ctx context.Context, scope models.Scope, f CoverageFilter, p models.Page) (*PendingList, error) {
	v, err := models.CurrentHandbook(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	list, err := models.ListPendingEmployees(ctx, s.DB, scope, models.HandbookFilter{Major: v.Major, UnitID: f.UnitID, Position: f.Position, Page: p})
	if err != nil {
		return nil, err
	}
	return &PendingList{Version: VersionRef{ID: v.ID, Version: v.Version, Major: v.Major, Title: v.Title, PublishedAt: v.PublishedAt}, List: list}, nil
}

// PendingSheet names the sheet of the pending-list workbook.
const PendingSheet = "未确认员工手册名单"

// pendingColumns are the pending-list sheet's columns.
var pendingColumns = []workbook.Column{{Title: "工号", Width: 14}, {Title: "姓名", Width: 10}, {Title: "单位编码", Width: 12},
	{Title: "单位", Width: 28}, {Title: "岗位", Width: 8}, {Title: "入职日期", Kind: workbook.Date, Width: 12}, {Title: "电话", Width: 14}}

// PendingColumns are the header of the pending-list sheet.
var PendingColumns = workbook.Titles(pendingColumns)

// positionNames label positions in workbooks.
var positionNames = map[string]string{
	models.PositionWindow: "窗口", models.PositionInstaller: "装维", models.PositionMarketing: "营销",
	models.PositionManager: "管理", models.PositionOther: "其他",
}

// WritePendingWorkbook writes the whole pending list in scope as an .xlsx workbook and
// returns the version it was measured against. Rows are streamed from the database into
// the workbook's sheet (continued on a next one past Excel's row limit); the caller
// gives a buffer, so a failure half-way can still become an error response.
func (s *Service) WritePendingWorkbook(ctx context.Context, scope models.Scope, f CoverageFilter, w io.Writer) (*models.HandbookVersion, error) {
	v, err := models.CurrentHandbook(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	err = workbook.Stream(w, time.UTC, func(x *workbook.Writer) error {
		sh, err := x.NewSheet(PendingSheet, pendingColumns, workbook.SheetOptions{})
		if err != nil {
			return err
		}
		err = models.EachPendingEmployee(ctx, s.DB, scope, models.HandbookFilter{Major: v.Major, UnitID: f.UnitID, Position: f.Position},
			func(batch []models.Employee) error {
				for _, e := range batch {
					var code, unit string
					if e.OrgUnit != nil {
						code, unit = e.OrgUnit.Code, e.OrgUnit.Name
					}
					if err := sh.Add(e.JobNumber, e.Name, code, unit, positionNames[e.Position], e.HireDate.Time(), e.Phone); err != nil {
						return err
					}
				}
				return nil
			})
		if err != nil {
			return err
		}
		return sh.Close()
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

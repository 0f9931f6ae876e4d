package reports

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/xuri/excelize/v2"

	"quality/models"
	"quality/workbook"
)

// Sheet names of the ranking workbook.
const (
	SheetMethod         = "说明"
	SheetOverall        = "综合排名"
	SheetCity           = "市公司排名"
	SheetCounty         = "县分公司排名"
	SheetTrend          = "趋势"
	SheetInspections    = "巡查明细"
	SheetRectifications = "整改跟踪"
	SheetTraining       = "培训考试"
	SheetOutcomes       = "问责记录"
	SheetMetrics        = "服务指标"
)

// WorkbookRequest asks for the ranking workbook of a period, opening on a level. The
// ranking sheets show every branch (a ranking is circulated); the detail sheets only
// what Scope sees. By is who asked, for the method sheet.
type WorkbookRequest struct {
	Period Period
	Level  string
	Scope  models.Scope
	By     string
}

// FileName is the workbook's name: 服务水平排名_2026-Q3.xlsx.
func FileName(p Period) string { return "服务水平排名_" + p.String() + ".xlsx" }

// Progress hears how many rows of the expected total are written.
type Progress func(done, total int64)

// WorkbookStats tells what a workbook holds: rows per sheet (continuations apart).
type WorkbookStats struct {
	Rows  map[string]int64
	Total int64
	// Sheets are the sheets as written, continuations included.
	Sheets []workbook.SheetInfo
}

// trendPeriods is how many periods the trend sheet shows, the current one included.
const trendPeriods = 4

// book is one workbook being written.
type book struct {
	s        *Service
	ctx      context.Context
	req      WorkbookRequest
	w        *workbook.Writer
	cur      *snapshot
	prev     *snapshot
	trend    []*snapshot // oldest first, the current one last
	stats    WorkbookStats
	total    int64
	progress Progress
	reported int64
	rowLimit int
}

// WriteWorkbook writes the ranking workbook for req to out (RANKING.md, issue 8 part 6):
// the method, the overall ranking of the requested level, both level rankings (equal
// to the JSON, number for number), the trend over four periods, and the detail sheets
// streamed from keyset-paged queries. progress, if not nil, hears the rows written.
func (s *Service) WriteWorkbook(ctx context.Context, req WorkbookRequest, out io.Writer, progress Progress) (WorkbookStats, error) {
	return s.writeWorkbook(ctx, req, out, progress, 0)
}

func (s *Service) writeWorkbook(ctx context.Context, req WorkbookRequest, out io.Writer, progress Progress, rowLimit int) (WorkbookStats, error) {
	if err := CheckLevel(req.Level); err != nil {
		return WorkbookStats{}, err
	}
	b := &book{s: s, ctx: ctx, req: req, progress: progress, rowLimit: rowLimit, stats: WorkbookStats{Rows: map[string]int64{}}}
	var err error
	sns, err := s.lastSnapshots(ctx, req.Period, trendPeriods)
	if err != nil {
		return b.stats, err
	}
	b.cur, b.prev = sns[0], sns[1]
	b.trend = slices.Clone(sns)
	slices.Reverse(b.trend)
	if err := b.count(); err != nil {
		return b.stats, err
	}
	if b.w, err = workbook.NewWriter(s.Loc); err != nil {
		return b.stats, err
	}
	defer b.w.Close()
	if rowLimit > 0 {
		b.w.SetRowLimit(rowLimit)
	}
	for _, step := range []func() error{b.method, b.overall, b.levelSheets, b.trendSheet, b.inspections, b.rectifications, b.training, b.outcomes, b.metrics, b.properties} {
		if err := step(); err != nil {
			return b.stats, err
		}
	}
	if _, err := b.w.WriteTo(out); err != nil {
		return b.stats, err
	}
	b.stats.Sheets = b.w.Sheets()
	b.report(true)
	return b.stats, nil
}

// filter selects the detail rows of the request's scope in the current window.
func (b *book) filter() models.RowsFilter {
	return models.RowsFilter{Scope: b.req.Scope, Span: b.cur.w.span()}
}

// count adds up the rows every sheet will hold, for the progress.
func (b *book) count() error {
	ctx, db, f := b.ctx, b.s.DB, b.filter()
	n := int64(0)
	for _, u := range b.cur.units {
		switch u.Level {
		case LevelCity, LevelCounty:
			n++ // its level's sheet
			if u.Level == b.req.Level {
				n += 2 // the overall sheet and the trend
			}
			if b.req.Scope.Contains(u.Path) {
				n++ // the training sheet
			}
		}
	}
	ins, err := models.CountInspectionRows(ctx, db, f)
	if err != nil {
		return err
	}
	rect, err := models.CountRectificationRows(ctx, db, f, true)
	if err != nil {
		return err
	}
	outc, err := models.CountOutcomeRows(ctx, db, f)
	if err != nil {
		return err
	}
	met, err := models.CountMetricRows(ctx, db, f)
	if err != nil {
		return err
	}
	b.total = n + ins + rect + outc + met + int64(len(methodLines(b)))
	return nil
}

// wrote counts n rows of sheet and tells the progress now and then.
func (b *book) wrote(sheet string, n int64) {
	b.stats.Rows[sheet] += n
	b.stats.Total += n
	b.report(false)
}

func (b *book) report(final bool) {
	if b.progress == nil {
		return
	}
	if final || b.stats.Total-b.reported >= 500 {
		b.reported = b.stats.Total
		b.progress(b.stats.Total, max(b.total, b.stats.Total))
	}
}

// periodTitle is the period as every sheet's title line says it, 进行中 with the
// cut-off while it runs.
func (b *book) periodTitle(what string) string {
	w := b.cur.w
	t := fmt.Sprintf("%s（%s）%s", w.Period.Label(), w.Period.String(), what)
	if w.InProgress {
		t += fmt.Sprintf(" — 进行中，数据截至 %s（北京时间）", w.CutOff.In(b.s.Loc).Format("2006-01-02 15:04"))
	}
	return t
}

// score is a dimension score or composite for a cell: the number, or 无数据.
func score(p *models.Percent) any {
	if p == nil {
		return "无数据"
	}
	return *p
}

// rankCell is the rank or 不参与排名.
func rankCell(it Item) any {
	if it.Rank == nil {
		return "不参与排名"
	}
	return *it.Rank
}

// overall is the compact ranking of the requested level, the sheet the workbook opens on.
func (b *book) overall() error {
	cols := []workbook.Column{{Title: "名次", Kind: workbook.Int, Width: 10}, {Title: "变化", Width: 8}, {Title: "单位编码"}, {Title: "单位", Width: 20},
		{Title: "所属市公司", Width: 14}, {Title: "综合得分", Kind: workbook.Hundredths}, {Title: "扣分", Kind: workbook.Int}, {Title: "标记", Width: 18}}
	for _, key := range DimensionKeys {
		cols = append(cols, workbook.Column{Title: DimensionNames[key], Kind: workbook.Hundredths})
	}
	sh, err := b.w.NewSheet(SheetOverall, cols, workbook.SheetOptions{Title: b.periodTitle(LevelNames[b.req.Level] + "综合排名")})
	if err != nil {
		return err
	}
	items := b.cur.ranked(b.req.Level)
	withChange(items, b.prev.ranked(b.req.Level))
	for _, it := range items {
		row := []any{rankCell(it), it.ChangeLabel, it.UnitCode, it.UnitName, it.CityName, score(it.Composite), it.Deductions, flagWords(it.Flags)}
		for _, key := range DimensionKeys {
			row = append(row, score(it.Dimensions[key].Score))
		}
		if err := sh.Add(row...); err != nil {
			return err
		}
	}
	if err := b.highlight(sh, 6, items); err != nil {
		return err
	}
	b.wrote(SheetOverall, int64(len(items)))
	return sh.Close()
}

// levelSheets are the full rankings of both levels: each dimension with its count.
func (b *book) levelSheets() error {
	for _, lv := range []struct{ level, sheet string }{{LevelCity, SheetCity}, {LevelCounty, SheetCounty}} {
		cols := []workbook.Column{{Title: "名次", Kind: workbook.Int, Width: 10}, {Title: "变化", Width: 8}, {Title: "单位编码"}, {Title: "单位", Width: 20},
			{Title: "所属市公司", Width: 14}, {Title: "综合得分", Kind: workbook.Hundredths}}
		for _, key := range DimensionKeys {
			cols = append(cols, workbook.Column{Title: DimensionNames[key], Kind: workbook.Hundredths},
				workbook.Column{Title: DimensionNames[key] + "计数", Kind: workbook.Int})
		}
		cols = append(cols, workbook.Column{Title: "有数据维度权重", Kind: workbook.Int}, workbook.Column{Title: "扣分", Kind: workbook.Int},
			workbook.Column{Title: "问责扣分项", Width: 24}, workbook.Column{Title: "否决项不合格", Kind: workbook.Int}, workbook.Column{Title: "标记", Width: 18})
		sh, err := b.w.NewSheet(lv.sheet, cols, workbook.SheetOptions{Title: b.periodTitle(LevelNames[lv.level] + "排名")})
		if err != nil {
			return err
		}
		items := b.cur.ranked(lv.level)
		withChange(items, b.prev.ranked(lv.level))
		for _, it := range items {
			row := []any{rankCell(it), it.ChangeLabel, it.UnitCode, it.UnitName, it.CityName, score(it.Composite)}
			for _, key := range DimensionKeys {
				d := it.Dimensions[key]
				row = append(row, score(d.Score), d.Count)
			}
			f := it.DeductionFacts
			row = append(row, it.WeightWithData, it.Deductions,
				fmt.Sprintf("警告%d 取消评优%d 通报批评%d 处罚%d", f["warnings"], f["no_awards"], f["circulated_criticism"], f["penalties"]),
				f["critical_failures"], flagWords(it.Flags))
			if err := sh.Add(row...); err != nil {
				return err
			}
		}
		if err := b.highlight(sh, 6, items); err != nil {
			return err
		}
		if lv.level == LevelCity && len(items) > 0 {
			if err := b.cityChart(sh, len(cols)+2); err != nil {
				return err
			}
		}
		b.wrote(lv.sheet, int64(len(items)))
		if err := sh.Close(); err != nil {
			return err
		}
	}
	return nil
}

// highlight marks the top three and bottom three composites and puts a data bar on the
// composite column (column col, 1-based) of a ranking sheet.
func (b *book) highlight(sh *workbook.Sheet, col int, items []Item) error {
	if len(items) == 0 {
		return nil
	}
	f := b.w.File()
	top, err := f.NewConditionalStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C6EFCE"}}, Font: &excelize.Font{Color: "006100", Bold: true}})
	if err != nil {
		return err
	}
	bottom, err := f.NewConditionalStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}, Font: &excelize.Font{Color: "9C0006"}})
	if err != nil {
		return err
	}
	first, _ := excelize.CoordinatesToCellName(col, sh.HeaderRow()+1)
	last, _ := excelize.CoordinatesToCellName(col, sh.LastRow())
	return f.SetConditionalFormat(sh.Name(), first+":"+last, []excelize.ConditionalFormatOptions{
		{Type: "top", Criteria: "=", Value: "3", Format: &top},
		{Type: "bottom", Criteria: "=", Value: "3", Format: &bottom},
		{Type: "data_bar", Criteria: "=", MinType: "num", MinValue: "0", MaxType: "num", MaxValue: "100", BarColor: "#5B9BD5"},
	})
}

// cityChart draws the city companies' composites as a bar chart beside the table.
func (b *book) cityChart(sh *workbook.Sheet, col int) error {
	anchor, _ := excelize.CoordinatesToCellName(col, sh.HeaderRow())
	from, to := sh.HeaderRow()+1, sh.LastRow()
	return b.w.File().AddChart(sh.Name(), anchor, &excelize.Chart{
		Type: excelize.Bar, Dimension: excelize.ChartDimension{Width: 640, Height: 420},
		Series: []excelize.ChartSeries{{Name: "综合得分",
			Categories: fmt.Sprintf("'%s'!$D$%d:$D$%d", sh.Name(), from, to),
			Values:     fmt.Sprintf("'%s'!$F$%d:$F$%d", sh.Name(), from, to)}},
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.cur.w.Period.Label() + " 市公司综合得分"}}},
		Legend: excelize.ChartLegend{Position: "none"},
		YAxis:  excelize.ChartAxis{ReverseOrder: true},
	})
}

// trendLines is how many branches the trend chart draws (the best of the current period).
const trendLines = 12

// trendSheet is each branch's composite over the last four periods, with a line chart.
func (b *book) trendSheet() error {
	cols := []workbook.Column{{Title: "单位编码"}, {Title: "单位", Width: 20}, {Title: "所属市公司", Width: 14}}
	for _, sn := range b.trend {
		cols = append(cols, workbook.Column{Title: sn.w.Period.String(), Kind: workbook.Hundredths, Width: 12})
	}
	sh, err := b.w.NewSheet(SheetTrend, cols, workbook.SheetOptions{Title: LevelNames[b.req.Level] + "综合得分趋势（近" + fmt.Sprint(trendPeriods) + "期，按本期名次排列）"})
	if err != nil {
		return err
	}
	items := b.cur.ranked(b.req.Level)
	for _, it := range items {
		row := []any{it.UnitCode, it.UnitName, it.CityName}
		for _, sn := range b.trend {
			row = append(row, score(sn.items[it.UnitID].Composite))
		}
		if err := sh.Add(row...); err != nil {
			return err
		}
	}
	if len(items) > 0 {
		var series []excelize.ChartSeries
		lastCol, _ := excelize.ColumnNumberToName(3 + len(b.trend))
		for i := range min(trendLines, len(items)) {
			r := sh.HeaderRow() + 1 + i
			series = append(series, excelize.ChartSeries{Name: fmt.Sprintf("'%s'!$B$%d", SheetTrend, r),
				Categories: fmt.Sprintf("'%s'!$D$%d:$%s$%d", SheetTrend, sh.HeaderRow(), lastCol, sh.HeaderRow()),
				Values:     fmt.Sprintf("'%s'!$D$%d:$%s$%d", SheetTrend, r, lastCol, r)})
		}
		anchor, _ := excelize.CoordinatesToCellName(len(cols)+2, sh.HeaderRow())
		title := fmt.Sprintf("综合得分趋势（本期前 %d 名）", len(series))
		if err := b.w.File().AddChart(SheetTrend, anchor, &excelize.Chart{Type: excelize.Line, Series: series,
			Dimension: excelize.ChartDimension{Width: 720, Height: 420},
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}}}); err != nil {
			return err
		}
	}
	b.wrote(SheetTrend, int64(len(items)))
	return sh.Close()
}

// properties sets the document properties.
func (b *book) properties() error {
	return b.w.File().SetDocProps(&excelize.DocProperties{
		Title:       b.provinceName() + "服务水平排名 " + b.cur.w.Period.String(),
		Subject:     "效能建设领导小组服务水平排名（" + LevelNames[b.req.Level] + "）",
		Creator:     "quality",
		Description: "由服务质量稽核与培训考核平台生成；算法见“说明”工作表。",
		Keywords:    "服务水平,排名," + b.cur.w.Period.String(),
		Created:     b.s.Now().UTC().Format(time.RFC3339),
		Language:    "zh-CN",
	})
}

// provinceName is the name of the top unit.
func (b *book) provinceName() string {
	for _, u := range b.cur.units {
		if u.Level == models.LevelProvince {
			return u.Name
		}
	}
	return ""
}

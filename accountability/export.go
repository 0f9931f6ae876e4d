package accountability

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"quality/models"
)

// Sheets and columns of the case workbook.
const (
	CasesSheet   = "问责案件"
	PersonsSheet = "当事人与处理"
)

// CaseColumns and PersonColumns are the header rows of the two sheets.
var (
	CaseColumns   = []string{"编号", "标题", "单位编码", "单位", "来源", "投诉编号", "问责事由", "状态", "立案时间", "陈述截止日", "当事人数", "已处理人数", "结案时间", "结案理由"}
	PersonColumns = []string{"案件编号", "工号", "姓名", "陈述时间", "情节", "处理结果", "罚款（元）", "领导责任", "从重情节", "从轻情节", "处理时间", "说明"}
)

// Labels of codes in the workbook.
var (
	sourceNames   = map[string]string{models.CaseFromFinding: "检查发现", models.CaseFromComplaint: "客户投诉"}
	statusNames   = map[string]string{models.CaseOpen: "办理中", models.CaseDecided: "已处理", models.CaseClosed: "已结案（未处理）"}
	groundNames   = map[string]string{models.GroundLawPolicy: "违反法律法规或政策", models.GroundServiceRules: "违反服务制度损害形象", models.GroundDereliction: "其他失职造成不良影响"}
	severityNames = map[string]string{models.SeverityMinor: "情节轻微", models.SeveritySerious: "情节较重", models.SeverityVerySerious: "情节严重"}
	outcomeNames  = map[string]string{models.OutcomeWarning: "警告", models.OutcomeNoAwards: "取消评优评先资格", models.OutcomeCirculated: "通报批评", models.OutcomePenalty: "行政及经济处罚"}
	// leaderNames: R6.5's leadership clause by severity, empty when not held.
	leaderNames = map[string]map[bool]string{
		models.SeveritySerious: {true: "警示单位负责人"}, models.SeverityVerySerious: {true: "追究主要负责人领导责任"},
	}
	factorNames = map[string]string{
		models.AggRetaliation: "打击报复投诉人或调查人", models.AggRepeat: "一年内两次以上", models.AggObstruction: "阻挠调查", models.AggDefiance: "拒不执行监督决定",
		models.MitApologised: "已道歉并获客户谅解", models.MitPrevented: "有效防止不良后果", models.MitRecovered: "已纠正并挽回损失",
	}
)

// maxSheetRows is what one sheet holds after its header.
const maxSheetRows = 1_048_575

var errTooManyRows = &models.ValidationError{Fields: []models.FieldError{{Field: "unit_id", Code: "too_many_rows", Params: map[string]any{"max": maxSheetRows}}}}

// WriteWorkbook writes every case of the list in scope (the filter without paging) as an
// .xlsx workbook: one sheet of cases and one of persons with their decisions. Rows are
// streamed; the caller gives a buffer, so a failure half-way still becomes an error
// response. Every value from user data is a string cell, never a formula.
func (s *Service) WriteWorkbook(ctx context.Context, scope models.Scope, in ListInput, w io.Writer) error {
	f, err := filter(ctx, s.DB, scope, in)
	if err != nil {
		return err
	}
	loc := s.Now().Location()
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", CasesSheet); err != nil {
		return err
	}
	if _, err := x.NewSheet(PersonsSheet); err != nil {
		return err
	}
	cases, err := newSheet(x, CasesSheet, CaseColumns, []float64{18, 30, 12, 20, 10, 16, 30, 14, 18, 12, 8, 8, 18, 30})
	if err != nil {
		return err
	}
	persons, err := newSheet(x, PersonsSheet, PersonColumns, []float64{18, 14, 10, 18, 10, 16, 12, 22, 30, 30, 18, 30})
	if err != nil {
		return err
	}
	err = models.EachCase(ctx, s.DB, scope, f, func(batch []models.AccountabilityCase) error {
		ids := make([]uint, len(batch))
		for i, c := range batch {
			ids[i] = c.ID
		}
		ps, err := models.CasePersonsOf(ctx, s.DB, ids...)
		if err != nil {
			return err
		}
		byCase := map[uint][]models.CasePerson{}
		for _, p := range ps {
			byCase[p.CaseID] = append(byCase[p.CaseID], p)
		}
		for _, c := range batch {
			decided := 0
			for _, p := range byCase[c.ID] {
				if p.DecidedAt != nil {
					decided++
				}
				if err := persons.add(personCells(c, p, loc)); err != nil {
					return err
				}
			}
			var code, unit string
			if c.OrgUnit != nil {
				code, unit = c.OrgUnit.Code, c.OrgUnit.Name
			}
			grounds := make([]string, len(c.Grounds))
			for i, g := range c.Grounds {
				grounds[i] = groundNames[g]
			}
			if err := cases.add([]any{c.Number, c.Title, code, unit, sourceNames[c.Source], c.ComplaintRef,
				strings.Join(grounds, "；"), statusNames[c.Status], stamp(&c.OpenedAt, loc), c.StatementDueOn.String(),
				len(byCase[c.ID]), decided, stamp(c.ClosedAt, loc), c.CloseReason}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := cases.sw.Flush(); err != nil {
		return err
	}
	if err := persons.sw.Flush(); err != nil {
		return err
	}
	_, err = x.WriteTo(w)
	return err
}

func personCells(c models.AccountabilityCase, p models.CasePerson, loc *time.Location) []any {
	var job, name string
	if p.Employee != nil {
		job, name = p.Employee.JobNumber, p.Employee.Name
	}
	penalty := ""
	if p.PenaltyCents > 0 {
		penalty = strconv.FormatInt(p.PenaltyCents/100, 10) + "." + strconv.FormatInt(p.PenaltyCents%100+100, 10)[1:]
	}
	return []any{c.Number, job, name, stamp(p.StatementAt, loc), severityNames[p.Severity], outcomeNames[p.Outcome], penalty,
		leaderNames[p.Severity][p.LeaderAccountable], factors(p.Aggravating), factors(p.Mitigating), stamp(p.DecidedAt, loc), p.DecisionNote}
}

func factors(fs []models.Factor) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = factorNames[f.Code] + "：" + f.Evidence
	}
	return strings.Join(parts, "；")
}

func stamp(t *time.Time, loc *time.Location) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// sheet is a streamed sheet with its next row.
type sheet struct {
	sw  *excelize.StreamWriter
	row int
}

func newSheet(x *excelize.File, name string, header []string, widths []float64) (*sheet, error) {
	sw, err := x.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return nil, err
		}
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return nil, err
	}
	return &sheet{sw: sw, row: 1}, nil
}

// add writes the next row; strings stay strings (never formulas), whatever they start with.
func (s *sheet) add(vals []any) error {
	if s.row > maxSheetRows {
		return errTooManyRows
	}
	s.row++
	cell, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, vals)
}

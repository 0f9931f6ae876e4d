package accountability

import (
	"context"
	"io"
	"strings"

	"quality/models"
	"quality/workbook"
)

// Sheets and columns of the case workbook.
const (
	CasesSheet   = "问责案件"
	PersonsSheet = "当事人与处理"
)

// The columns of the two sheets: times are shown in the service's zone, the fine in
// yuan from its cents.
var (
	caseColumns = []workbook.Column{{Title: "编号", Width: 18}, {Title: "标题", Width: 30}, {Title: "单位编码", Width: 12}, {Title: "单位", Width: 20},
		{Title: "来源", Width: 10}, {Title: "投诉编号", Width: 16}, {Title: "问责事由", Width: 30}, {Title: "状态", Width: 14},
		{Title: "立案时间", Kind: workbook.DateTime, Width: 18}, {Title: "陈述截止日", Kind: workbook.Date, Width: 12},
		{Title: "当事人数", Kind: workbook.Int, Width: 8}, {Title: "已处理人数", Kind: workbook.Int, Width: 8},
		{Title: "结案时间", Kind: workbook.DateTime, Width: 18}, {Title: "结案理由", Width: 30}}
	personColumns = []workbook.Column{{Title: "案件编号", Width: 18}, {Title: "工号", Width: 14}, {Title: "姓名", Width: 10},
		{Title: "陈述时间", Kind: workbook.DateTime, Width: 18}, {Title: "情节", Width: 10}, {Title: "处理结果", Width: 16},
		{Title: "罚款（元）", Kind: workbook.Hundredths, Width: 12}, {Title: "领导责任", Width: 22}, {Title: "从重情节", Width: 30},
		{Title: "从轻情节", Width: 30}, {Title: "处理时间", Kind: workbook.DateTime, Width: 18}, {Title: "说明", Width: 30}}
)

// CaseColumns and PersonColumns are the header rows of the two sheets.
var (
	CaseColumns   = workbook.Titles(caseColumns)
	PersonColumns = workbook.Titles(personColumns)
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

// WriteWorkbook writes every case of the list in scope (the filter without paging) as an
// .xlsx workbook: one sheet of cases and one of persons with their decisions, each
// continued on a next sheet past Excel's row limit. Rows are streamed; the caller gives
// a buffer, so a failure half-way still becomes an error response.
func (s *Service) WriteWorkbook(ctx context.Context, scope models.Scope, in ListInput, w io.Writer) error {
	f, err := s.filter(ctx, scope, in)
	if err != nil {
		return err
	}
	return workbook.Stream(w, s.Now().Location(), func(x *workbook.Writer) error {
		cases, err := x.NewSheet(CasesSheet, caseColumns, workbook.SheetOptions{})
		if err != nil {
			return err
		}
		persons, err := x.NewSheet(PersonsSheet, personColumns, workbook.SheetOptions{})
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
					if err := persons.Add(personCells(c, p)...); err != nil {
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
				if err := cases.Add(c.Number, c.Title, code, unit, sourceNames[c.Source], c.ComplaintRef,
					strings.Join(grounds, "；"), statusNames[c.Status], c.OpenedAt, c.StatementDueOn.Time(),
					len(byCase[c.ID]), decided, c.ClosedAt, c.CloseReason); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := cases.Close(); err != nil {
			return err
		}
		return persons.Close()
	})
}

func personCells(c models.AccountabilityCase, p models.CasePerson) []any {
	var job, name string
	if p.Employee != nil {
		job, name = p.Employee.JobNumber, p.Employee.Name
	}
	var penalty any // empty without a fine
	if p.PenaltyCents > 0 {
		penalty = p.PenaltyCents
	}
	return []any{c.Number, job, name, p.StatementAt, severityNames[p.Severity], outcomeNames[p.Outcome], penalty,
		leaderNames[p.Severity][p.LeaderAccountable], factors(p.Aggravating), factors(p.Mitigating), p.DecidedAt, p.DecisionNote}
}

func factors(fs []models.Factor) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = factorNames[f.Code] + "：" + f.Evidence
	}
	return strings.Join(parts, "；")
}

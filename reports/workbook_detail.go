package reports

import (
	"fmt"

	"quality/models"
	"quality/workbook"
)

// The detail sheets: the rows behind the ranking's numbers, cut to the scope of the
// one who asked, each streamed a batch at a time from a keyset-paged query.

// branchNames are the county and city names above a unit path.
func (b *book) branchNames(path string) (county, city string) {
	for _, id := range models.PathIDs(path) {
		switch u := b.cur.byID[id]; u.Level {
		case LevelCounty:
			county = u.Name
		case LevelCity:
			city = u.Name
		}
	}
	return county, city
}

// date is a calendar date as a time for a Date column.
func date(d models.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}

func (b *book) inspections() error {
	cols := []workbook.Column{{Title: "提交时间", Kind: workbook.DateTime}, {Title: "营业厅编码", Width: 12}, {Title: "营业厅", Width: 24},
		{Title: "县分公司", Width: 16}, {Title: "市公司", Width: 14}, {Title: "督导员", Width: 14}, {Title: "检查表", Width: 20}, {Title: "版本", Kind: workbook.ID, Width: 6},
		{Title: "得分", Kind: workbook.Hundredths}, {Title: "实得", Kind: workbook.Int}, {Title: "应得", Kind: workbook.Int}, {Title: "结果", Width: 8},
		{Title: "否决项不合格", Kind: workbook.Int}}
	sh, err := b.w.NewSheet(SheetInspections, cols, workbook.SheetOptions{Title: b.periodTitle("巡查明细（本期提交的检查）")})
	if err != nil {
		return err
	}
	err = models.EachInspectionRow(b.ctx, b.s.DB, b.filter(), func(rows []models.InspectionRow) error {
		for _, r := range rows {
			county, city := b.branchNames(r.OutletPath)
			var sc any = "不计分"
			if r.Score != nil {
				sc = *r.Score
			}
			if err := sh.Add(r.SubmittedAt, r.OutletCode, r.OutletName, county, city, r.Inspector, r.TemplateTitle+"（"+r.TemplateCode+"）",
				r.TemplateVersion, sc, r.Earned, r.Possible, resultNames[r.Result], r.CriticalFailures); err != nil {
				return err
			}
		}
		b.wrote(SheetInspections, int64(len(rows)))
		return nil
	})
	if err != nil {
		return err
	}
	return sh.Close()
}

func (b *book) rectifications() error {
	cols := []workbook.Column{{Title: "编号", Kind: workbook.ID, Width: 8}, {Title: "营业厅", Width: 24}, {Title: "责任单位", Width: 16}, {Title: "市公司", Width: 14},
		{Title: "规则", Width: 8}, {Title: "问题", Width: 36}, {Title: "一票否决", Width: 8}, {Title: "发现时间", Kind: workbook.DateTime},
		{Title: "到期日", Kind: workbook.Date, Width: 12}, {Title: "状态", Width: 8}, {Title: "提交整改时间", Kind: workbook.DateTime},
		{Title: "核验时间", Kind: workbook.DateTime}, {Title: "计入本期", Width: 8}, {Title: "按时整改", Width: 8}, {Title: "逾期", Width: 6}}
	sh, err := b.w.NewSheet(SheetRectifications, cols, workbook.SheetOptions{Title: b.periodTitle("整改跟踪（本期到期或仍待整改；逾期标红）")})
	if err != nil {
		return err
	}
	limit := b.cur.w.DayLimit()
	err = models.EachRectificationRow(b.ctx, b.s.DB, b.filter(), true, func(rows []models.RectificationRow) error {
		for _, r := range rows {
			_, city := b.branchNames(r.AssigneePath)
			overdue := r.Status == models.RectOpen && r.DueOn.Time().Before(limit.Time())
			values := []any{r.ID, r.OutletName, b.cur.byID[r.AssigneeID].Name, city, r.RuleRef, r.Text, yesNo(r.Critical), r.CreatedAt,
				date(r.DueOn), rectNames[r.Status], timeOrNil(r.SubmittedAt), timeOrNil(r.VerifiedAt), yesNo(r.Counted), yesNo(r.OnTime), yesNo(overdue)}
			add := sh.Add
			if overdue {
				add = sh.AddMarked
			}
			if err := add(values...); err != nil {
				return err
			}
		}
		b.wrote(SheetRectifications, int64(len(rows)))
		return nil
	})
	if err != nil {
		return err
	}
	return sh.Close()
}

func timeOrNil[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// training is, per branch in scope, the facts behind training, onboarding and
// certification (the sums of the ranking, so they add up to its numbers).
func (b *book) training() error {
	cols := []workbook.Column{{Title: "单位编码"}, {Title: "单位", Width: 20}, {Title: "层级", Width: 8}, {Title: "所属市公司", Width: 14},
		{Title: "在岗员工", Kind: workbook.Int}, {Title: "已确认员工手册", Kind: workbook.Int}, {Title: "课程全部完成", Kind: workbook.Int},
		{Title: "新员工（本期到期）", Kind: workbook.Int}, {Title: "按期通过入职考试", Kind: workbook.Int}, {Title: "一线员工", Kind: workbook.Int},
		{Title: "持有效礼仪证书", Kind: workbook.Int}, {Title: "培训覆盖", Kind: workbook.Hundredths}, {Title: "入职考试", Kind: workbook.Hundredths},
		{Title: "礼仪认证", Kind: workbook.Hundredths}}
	sh, err := b.w.NewSheet(SheetTraining, cols, workbook.SheetOptions{Title: b.periodTitle("培训考试（各单位在岗员工，截至期末）")})
	if err != nil {
		return err
	}
	n := int64(0)
	for _, u := range b.cur.units { // by code: a city, then its counties
		if (u.Level != LevelCity && u.Level != LevelCounty) || !b.req.Scope.Contains(u.Path) {
			continue
		}
		it := b.cur.items[u.ID]
		tr, on, ce := it.Dimensions[DimTraining], it.Dimensions[DimOnboarding], it.Dimensions[DimCertification]
		if err := sh.Add(u.Code, u.Name, LevelNames[u.Level], it.CityName, tr.Facts["staff"], tr.Facts["acknowledged"], tr.Facts["courses_done"],
			on.Facts["hires"], on.Facts["passed"], ce.Facts["frontline"], ce.Facts["certified"], score(tr.Score), score(on.Score), score(ce.Score)); err != nil {
			return err
		}
		n++
	}
	b.wrote(SheetTraining, n)
	return sh.Close()
}

func (b *book) outcomes() error {
	cols := []workbook.Column{{Title: "案件编号", Width: 16}, {Title: "案件", Width: 24}, {Title: "单位", Width: 20}, {Title: "县分公司", Width: 16},
		{Title: "市公司", Width: 14}, {Title: "工号", Width: 14}, {Title: "姓名", Width: 10}, {Title: "情节", Width: 10}, {Title: "处理结果", Width: 16},
		{Title: "决定时间", Kind: workbook.DateTime}, {Title: "扣分", Kind: workbook.Int}}
	sh, err := b.w.NewSheet(SheetOutcomes, cols, workbook.SheetOptions{Title: b.periodTitle("问责记录（本期作出的处理决定）")})
	if err != nil {
		return err
	}
	points := b.cur.set.Deductions
	err = models.EachOutcomeRow(b.ctx, b.s.DB, b.filter(), func(rows []models.OutcomeRow) error {
		for _, r := range rows {
			county, city := b.branchNames(r.UnitPath)
			if err := sh.Add(r.CaseNumber, r.CaseTitle, r.UnitName, county, city, r.JobNumber, r.Name, severityNames[r.Severity],
				outcomeNames[r.Outcome], r.DecidedAt, points.ofOutcome(r.Outcome)); err != nil {
				return err
			}
		}
		b.wrote(SheetOutcomes, int64(len(rows)))
		return nil
	})
	if err != nil {
		return err
	}
	return sh.Close()
}

// metricColumns are the titles of the service metrics' columns, in the model's order.
var metricColumns = []string{"工单数", "24小时内响应", "一般故障", "24小时内修复", "重大故障", "72小时内修复", "新装", "按时完成新装",
	"复通", "按时复通", "投诉", "3个工作日内答复", "应回访", "72小时内回访", "满意度调查数", "满意度得分合计", "月初用户数", "月末用户数"}

func (b *book) metrics() error {
	cols := []workbook.Column{{Title: "单位编码"}, {Title: "县分公司", Width: 16}, {Title: "市公司", Width: 14}, {Title: "月份", Width: 9}}
	for _, t := range metricColumns {
		cols = append(cols, workbook.Column{Title: t, Kind: workbook.Int})
	}
	sh, err := b.w.NewSheet(SheetMetrics, cols, workbook.SheetOptions{Title: b.periodTitle(fmt.Sprintf("服务指标（本期用到的月份：%d 个）", len(b.cur.w.Months())))})
	if err != nil {
		return err
	}
	err = models.EachMetricRow(b.ctx, b.s.DB, b.filter(), func(rows []models.MetricRow) error {
		for _, r := range rows {
			_, city := b.branchNames(r.UnitPath)
			m := r.ServiceMetric
			if err := sh.Add(r.UnitCode, r.UnitName, city, m.Month, m.WorkOrders, m.Responded24h, m.OrdinaryFaults, m.OrdinaryFixed24h,
				m.MajorFaults, m.MajorFixed72h, m.Installations, m.InstalledOnTime, m.Restorations, m.RestoredOnTime, m.Complaints,
				m.ComplaintsReplied, m.CallbacksDue, m.CallbacksDone72h, m.Surveys, m.SurveyScoreSum, m.SubscribersStart, m.SubscribersEnd); err != nil {
				return err
			}
		}
		b.wrote(SheetMetrics, int64(len(rows)))
		return nil
	})
	if err != nil {
		return err
	}
	return sh.Close()
}

package reports

import (
	"fmt"
	"strings"

	"quality/workbook"
)

// methodLines are the lines of the method sheet (说明): what the workbook is, for which
// period, how every number is made, and what its marks mean — in words, so a reader of
// the workbook can recompute every composite.
func methodLines(b *book) [][2]string {
	w, set, loc := b.cur.w, b.cur.set, b.s.Loc
	status := "已结束"
	if w.InProgress {
		status = "进行中：按截至数据截止时间的数据排名，期末前数字还会变化"
	}
	var weights []string
	for _, key := range DimensionKeys {
		weights = append(weights, fmt.Sprintf("%s %d", DimensionNames[key], set.Weights.ByKey()[key]))
	}
	scope := "全省"
	if !b.req.Scope.All {
		var names []string
		for _, u := range b.cur.units {
			for _, p := range b.req.Scope.Paths {
				if u.Path == p {
					names = append(names, u.Name)
				}
			}
		}
		scope = strings.Join(names, "、")
	}
	d := set.Deductions
	return [][2]string{
		{"标题", b.provinceName() + "服务水平排名（效能建设领导小组）"},
		{"期间", fmt.Sprintf("%s（%s）", w.Period.Label(), w.Period.String())},
		{"起止", fmt.Sprintf("%s 至 %s（北京时间，含起不含止）", w.From.In(loc).Format("2006-01-02 15:04"), w.To.In(loc).Format("2006-01-02 15:04"))},
		{"状态", status},
		{"数据截止", w.CutOff.In(loc).Format("2006-01-02 15:04:05") + "（北京时间）"},
		{"对比期间", w.Period.Previous().String() + "（名次变化：▲上升、▼下降、—持平、新 为上期未参与排名）"},
		{"生成时间", b.s.Now().In(loc).Format("2006-01-02 15:04:05") + "（北京时间）"},
		{"生成人", b.req.By},
		{"打开层级", LevelNames[b.req.Level] + "（“综合排名”工作表）；“市公司排名”“县分公司排名”两张表同时给出"},
		{"明细范围", scope + "（巡查明细、整改跟踪、培训考试、问责记录、服务指标只含生成人管辖范围内的记录；排名表为全省通报）"},
		{"权重", strings.Join(weights, "，") + "（合计 100）"},
		{"现场服务", "本期提交的检查中有可计分项的（应得分为 0 的不计）：100 × Σ实得分 ÷ Σ应得分，四舍五入保留两位小数。检查时间以提交时间（北京时间）为准。"},
		{"整改落实", "本期到期的整改（进行中的期间只算已过到期日的；已撤销、已豁免的不计）中，到期日当天结束前提交整改材料（或经复查核验）且现为待核验或已核验的比例。"},
		{"培训覆盖", "期末在岗且期末前入职的员工中，两项比例的平均：期末前已确认期末时现行版本（同一主版本）的员工手册；期末前已完成期末前发布的、面向其岗位的全部课程。期末无现行手册时只算课程一项。"},
		{"入职考试", "入职考试到期日（入职日期加入职计划天数）在本期的在岗新员工中，到期日当天结束前通过入职考试的比例。"},
		{"礼仪认证", "期末在岗的一线员工（窗口、装维、营销）中，期末持有有效礼仪证书（已签发、未到期、未吊销）的比例。"},
		{"服务时效", "本期各月服务指标合并后的七项比率的平均：工单24小时响应、一般故障24小时修复、重大故障72小时修复、新装按时完成、复通按时完成、投诉3个工作日答复、72小时回访；某项总数为 0 的不计入平均。"},
		{"客户满意", "本期满意度得分合计 ÷ 调查数（每份 0–100 分）。旁列：每千户投诉数、用户保有率（末月月末 ÷ 首月月初）、每名装维人员服务户数与 R3.1 标准（城市 " +
			fmt.Sprint(set.HouseholdsPerInstallerUrban) + " 户、农村 " + fmt.Sprint(set.HouseholdsPerInstallerRural) + " 户）的对比。"},
		{"扣分", fmt.Sprintf("本期作出的问责处理每人次：警告 %d 分、取消评优评先资格 %d 分、通报批评 %d 分、行政及经济处罚 %d 分；巡查发现的否决项不合格每项 %d 分；合计最多扣 %d 分。",
			d.Warning, d.NoAwards, d.Circulated, d.Penalty, d.CriticalFailure, set.DeductionCap)},
		{"各维度得分", "每个维度先精确计算，再四舍五入保留两位小数一次；表中显示的就是参与计算的数。"},
		{"无数据", "某维度在本期没有可计算的记录（如没有到期的整改）时显示“无数据”，其权重按比例分给有数据的维度。"},
		{"综合得分", "Σ（权重 × 维度得分）÷ Σ有数据维度的权重 − 扣分，最低为 0，四舍五入保留两位小数一次。"},
		{"不参与排名", fmt.Sprintf("有数据维度的权重合计不足 %d 的单位列在表尾，不给名次（仍显示其综合得分）。", set.MinRankedWeight)},
		{"样本不足", fmt.Sprintf("本期可计分的检查少于 %d 次的单位标记“样本不足”，仍参与排名。", set.MinInspections)},
		{"并列", "综合得分（两位小数）相同的名次相同，按单位编码排列，下一名次顺延（如 1、2、2、4）。"},
		{"格式", "数字均为数值并带格式（比例为百分比两位小数，时间为北京时间）；用户输入的文字一律为文本，不作公式。"},
	}
}

// method writes the method sheet.
func (b *book) method() error {
	sh, err := b.w.NewSheet(SheetMethod, []workbook.Column{{Title: "项目", Width: 14}, {Title: "内容", Width: 110}}, workbook.SheetOptions{NoFilter: true})
	if err != nil {
		return err
	}
	lines := methodLines(b)
	for _, l := range lines {
		if err := sh.Add(l[0], l[1]); err != nil {
			return err
		}
	}
	b.wrote(SheetMethod, int64(len(lines)))
	return sh.Close()
}

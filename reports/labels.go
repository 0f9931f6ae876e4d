package reports

import "quality/models"

// The Chinese words the workbook shows for the product's codes (the workbook is for
// the leadership group and is always in Chinese).

// LevelNames name the ranking levels.
var LevelNames = map[string]string{LevelCity: "市公司", LevelCounty: "县分公司"}

// FlagNames name the flags.
var FlagNames = map[string]string{FlagSmallSample: "样本不足", FlagNotRanked: "不参与排名"}

var (
	resultNames = map[string]string{models.ResultPass: "合格", models.ResultFail: "不合格", models.ResultNoScore: "不计分"}
	rectNames   = map[string]string{models.RectOpen: "待整改", models.RectSubmitted: "待核验", models.RectVerified: "已核验",
		models.RectWaived: "已豁免", models.RectCancelled: "已撤销"}
	outcomeNames = map[string]string{models.OutcomeWarning: "警告", models.OutcomeNoAwards: "取消评优评先资格",
		models.OutcomeCirculated: "通报批评", models.OutcomePenalty: "行政及经济处罚"}
	severityNames = map[string]string{models.SeverityMinor: "情节轻微", models.SeveritySerious: "情节较重", models.SeverityVerySerious: "情节严重"}
)

// flagWords joins an item's flags in Chinese.
func flagWords(flags []string) string {
	out := ""
	for i, f := range flags {
		if i > 0 {
			out += "、"
		}
		out += FlagNames[f]
	}
	return out
}

// yesNo is 是 or 否.
func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

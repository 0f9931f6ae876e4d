package reports

import (
	"math/big"

	"quality/models"
)

// Dimension keys, in the order every table shows them.
const (
	DimSite          = "site"          // 现场服务 (R1, R2, R7, R9)
	DimRectification = "rectification" // 整改落实 (R7.3)
	DimTraining      = "training"      // 培训覆盖 (R8.1–R8.4)
	DimOnboarding    = "onboarding"    // 入职考试 (R8.2)
	DimCertification = "certification" // 礼仪认证 (R8.3)
	DimTimeliness    = "timeliness"    // 服务时效 (R3.3, R4, R5)
	DimSatisfaction  = "satisfaction"  // 客户满意 (R3.3, R3.4)
)

// DimensionKeys lists the dimensions in order.
var DimensionKeys = []string{DimSite, DimRectification, DimTraining, DimOnboarding, DimCertification, DimTimeliness, DimSatisfaction}

// DimensionNames are the dimensions' Chinese names, as the workbook shows them.
var DimensionNames = map[string]string{
	DimSite: "现场服务", DimRectification: "整改落实", DimTraining: "培训覆盖", DimOnboarding: "入职考试",
	DimCertification: "礼仪认证", DimTimeliness: "服务时效", DimSatisfaction: "客户满意",
}

// Timeliness rates (R3.3, R4.1, R4.2, R5.1), in order.
const (
	RateResponse     = "response_24h"
	RateOrdinary     = "ordinary_fixed_24h"
	RateMajor        = "major_fixed_72h"
	RateInstallation = "installed_on_time"
	RateRestoration  = "restored_on_time"
	RateComplaint    = "complaints_replied_3d"
	RateCallback     = "callbacks_done_72h"
)

// TimelinessRates lists the seven rates of the timeliness dimension in order.
var TimelinessRates = []string{RateResponse, RateOrdinary, RateMajor, RateInstallation, RateRestoration, RateComplaint, RateCallback}

// RateNames are the rates' Chinese names.
var RateNames = map[string]string{
	RateResponse: "工单24小时响应率", RateOrdinary: "一般故障24小时修复率", RateMajor: "重大故障72小时修复率",
	RateInstallation: "新装按时完成率", RateRestoration: "复通按时完成率", RateComplaint: "投诉3个工作日答复率", RateCallback: "72小时回访率",
}

// Tally holds the additive facts of one org unit or one branch in one period: every
// dimension is a formula over these sums, so a branch's tally is the sum of its units'.
type Tally struct {
	// site: the scored inspections submitted in the period.
	Inspections, Earned, Possible, Passed int64
	// CriticalFailures are the failed critical items found on patrol.
	CriticalFailures int64
	// rectification: due in the period (cancelled and waived left out), and on time.
	RectDue, RectOnTime int64
	// training: active staff, those who acknowledged the current handbook, those who
	// completed every course meant for their position, all by the period's end.
	Staff, Acknowledged, CoursesDone int64
	Installers                       int64
	// onboarding: new hires due in the period, and those who passed by their due date.
	Hires, HiresPassed int64
	// certification: active front-line staff, and those holding a valid certificate.
	Frontline, Certified int64
	// timeliness and satisfaction: metric months and their sums.
	MetricMonths                     int64
	Rates                            [7]rate
	Surveys, ScoreSum, Complaints    int64
	SubscribersStart, SubscribersEnd int64
	Warnings, NoAwards, Circulated   int64
	Penalties                        int64
}

// Add adds o's facts to t.
func (t *Tally) Add(o *Tally) {
	t.Inspections += o.Inspections
	t.Earned += o.Earned
	t.Possible += o.Possible
	t.Passed += o.Passed
	t.CriticalFailures += o.CriticalFailures
	t.RectDue += o.RectDue
	t.RectOnTime += o.RectOnTime
	t.Staff += o.Staff
	t.Acknowledged += o.Acknowledged
	t.CoursesDone += o.CoursesDone
	t.Installers += o.Installers
	t.Hires += o.Hires
	t.HiresPassed += o.HiresPassed
	t.Frontline += o.Frontline
	t.Certified += o.Certified
	t.MetricMonths += o.MetricMonths
	for i := range t.Rates {
		t.Rates[i].On += o.Rates[i].On
		t.Rates[i].Total += o.Rates[i].Total
	}
	t.Surveys += o.Surveys
	t.ScoreSum += o.ScoreSum
	t.Complaints += o.Complaints
	t.SubscribersStart += o.SubscribersStart
	t.SubscribersEnd += o.SubscribersEnd
	t.Warnings += o.Warnings
	t.NoAwards += o.NoAwards
	t.Circulated += o.Circulated
	t.Penalties += o.Penalties
}

// Dimension is one dimension's score for one branch with the numbers behind it.
type Dimension struct {
	// Score is 0–100 rounded half-up to two places; nil is 无数据 (no data).
	Score *models.Percent `json:"score"`
	// Count is how many rows the score rests on: inspections, rectifications due,
	// staff, new hires, front-line staff, metric months, surveys.
	Count int64 `json:"count"`
	// Weight is the setting; WeightUsed the weight scaled over the dimensions with data
	// (nil when this one has none).
	Weight     int             `json:"weight"`
	WeightUsed *models.Percent `json:"weight_used"`
	// Facts are the whole numbers the score is computed from, by name.
	Facts map[string]int64 `json:"facts"`
	// Rates are shares shown beside the score (nil: nothing to divide by).
	Rates map[string]*models.Percent `json:"rates,omitempty"`
}

// branchInfo is what a formula needs of the branch itself.
type branchInfo struct {
	Urban      bool
	Households int64
}

// dimensions applies each dimension's formula to a branch's tally. handbook says
// whether a handbook version was current at the period's end.
func dimensions(t *Tally, b branchInfo, set Settings, handbook bool) map[string]*Dimension {
	return map[string]*Dimension{
		DimSite:          siteDimension(t),
		DimRectification: rectificationDimension(t),
		DimTraining:      trainingDimension(t, handbook),
		DimOnboarding:    onboardingDimension(t),
		DimCertification: certificationDimension(t),
		DimTimeliness:    timelinessDimension(t),
		DimSatisfaction:  satisfactionDimension(t, b, set),
	}
}

// siteDimension: 100 × Σearned / Σpossible over the period's scored inspections.
func siteDimension(t *Tally) *Dimension {
	d := &Dimension{Count: t.Inspections, Facts: map[string]int64{
		"earned": t.Earned, "possible": t.Possible, "passed": t.Passed, "critical_failures": t.CriticalFailures,
	}, Rates: map[string]*models.Percent{"pass_rate": nil}}
	if t.Possible > 0 {
		d.Score = ptr(share(t.Earned, t.Possible))
	}
	if t.Inspections > 0 {
		d.Rates["pass_rate"] = ptr(share(t.Passed, t.Inspections))
	}
	return d
}

// rectificationDimension: the share of the rectifications due that were answered by
// the end of their due day and are now submitted or verified (R7.3).
func rectificationDimension(t *Tally) *Dimension {
	d := &Dimension{Count: t.RectDue, Facts: map[string]int64{"due": t.RectDue, "on_time": t.RectOnTime}}
	if t.RectDue > 0 {
		d.Score = ptr(share(t.RectOnTime, t.RectDue))
	}
	return d
}

// trainingDimension: the mean of two shares of the active staff hired by the period's
// end — acknowledged the
// current handbook by the period's end (R8.1), and completed every course meant for
// their position by then (R8.2–R8.4). With no handbook current, the course share alone.
func trainingDimension(t *Tally, handbook bool) *Dimension {
	d := &Dimension{Count: t.Staff, Facts: map[string]int64{"staff": t.Staff, "acknowledged": t.Acknowledged, "courses_done": t.CoursesDone},
		Rates: map[string]*models.Percent{"handbook_rate": nil, "courses_rate": nil}}
	if t.Staff == 0 {
		return d
	}
	d.Rates["courses_rate"] = ptr(share(t.CoursesDone, t.Staff))
	if !handbook {
		d.Score = ptr(share(t.CoursesDone, t.Staff))
		return d
	}
	d.Rates["handbook_rate"] = ptr(share(t.Acknowledged, t.Staff))
	// (a/n + c/n) / 2 = (a + c) / 2n, exactly.
	d.Score = ptr(share(t.Acknowledged+t.CoursesDone, 2*t.Staff))
	return d
}

// onboardingDimension: the share of the new hires due in the period who passed the
// onboarding exam by their due date (R8.2).
func onboardingDimension(t *Tally) *Dimension {
	d := &Dimension{Count: t.Hires, Facts: map[string]int64{"hires": t.Hires, "passed": t.HiresPassed}}
	if t.Hires > 0 {
		d.Score = ptr(share(t.HiresPassed, t.Hires))
	}
	return d
}

// certificationDimension: the share of active front-line staff holding an etiquette
// certificate valid at the period's end (R8.3).
func certificationDimension(t *Tally) *Dimension {
	d := &Dimension{Count: t.Frontline, Facts: map[string]int64{"frontline": t.Frontline, "certified": t.Certified}}
	if t.Frontline > 0 {
		d.Score = ptr(share(t.Certified, t.Frontline))
	}
	return d
}

// timelinessDimension: the mean of the seven pooled rates Σon-time / Σtotal over the
// period's metric months, a rate with total 0 left out (R3.3, R4.1, R4.2, R5.1).
func timelinessDimension(t *Tally) *Dimension {
	d := &Dimension{Count: t.MetricMonths, Facts: map[string]int64{}, Rates: map[string]*models.Percent{}}
	for i, key := range TimelinessRates {
		r := t.Rates[i]
		d.Facts[key] = r.On
		d.Facts[key+"_total"] = r.Total
		d.Rates[key] = nil
		if r.Total > 0 {
			d.Rates[key] = ptr(share(r.On, r.Total))
		}
	}
	if t.MetricMonths > 0 {
		if mean, _, ok := meanOfRates(t.Rates[:]); ok {
			d.Score = &mean
		}
	}
	return d
}

// satisfactionDimension: the survey-weighted satisfaction Σscores / Σsurveys (each
// survey 0–100). Beside it: complaints per 1,000 households, subscriber retention (the
// last month's end over the first month's start, R3.4) and households per installer
// against R3.1's norm for an urban or rural branch.
func satisfactionDimension(t *Tally, b branchInfo, set Settings) *Dimension {
	norm := set.HouseholdsPerInstallerRural
	if b.Urban {
		norm = set.HouseholdsPerInstallerUrban
	}
	d := &Dimension{Count: t.Surveys, Facts: map[string]int64{
		"score_sum": t.ScoreSum, "complaints": t.Complaints, "households": b.Households, "installers": t.Installers,
		"subscribers_start": t.SubscribersStart, "subscribers_end": t.SubscribersEnd, "households_norm": int64(norm),
	}, Rates: map[string]*models.Percent{"complaints_per_1000": nil, "retention": nil, "households_per_installer": nil}}
	if t.Surveys > 0 {
		// Σscores / Σsurveys is already on the 0–100 scale: hundredths = 100 × it.
		d.Score = ptr(hundredths(big.NewRat(t.ScoreSum, 100*t.Surveys)))
	}
	if b.Households > 0 && t.MetricMonths > 0 {
		d.Rates["complaints_per_1000"] = ptr(hundredths(big.NewRat(t.Complaints*1000, 100*b.Households)))
	}
	if t.SubscribersStart > 0 {
		d.Rates["retention"] = ptr(share(t.SubscribersEnd, t.SubscribersStart))
	}
	if t.Installers > 0 {
		d.Rates["households_per_installer"] = ptr(hundredths(big.NewRat(b.Households, 100*t.Installers)))
	}
	return d
}

// deductions are the points taken off a branch's composite for the period: each decided
// outcome by what it is and each critical failure, capped (R6.5, R7.3).
func deductions(t *Tally, set Settings) (points, uncapped int64) {
	p := set.Deductions
	uncapped = t.Warnings*int64(p.Warning) + t.NoAwards*int64(p.NoAwards) + t.Circulated*int64(p.Circulated) +
		t.Penalties*int64(p.Penalty) + t.CriticalFailures*int64(p.CriticalFailure)
	return min(uncapped, int64(set.DeductionCap)), uncapped
}

func ptr[T any](v T) *T { return &v }

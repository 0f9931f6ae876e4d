package seeds

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"quality/models"
)

// The ranking fixture: a small province whose every ranking number is worked out by
// hand below, for the ranking's tests (reports, the API, the workbook). It lives apart
// from the base tree (codes 99…), ranks 2026-Q3 against 2026-Q2 and expects to be
// ranked at RankingFixtureNow with the default settings and onboarding plan (30 days).
//
//	99 示范省公司
//	├── 9901 甲市分公司 (urban)      ├── 990101 甲一区分公司 (urban, 100,000 households) ─ 990101-01 营业厅
//	│                                └── 990102 甲二区分公司 (urban,  80,000)            ─ 990102-01
//	├── 9902 乙市分公司 (rural)      ├── 990201 乙一县分公司 (rural,   60,000)           ─ 990201-01
//	│                                └── 990202 乙二县分公司 (rural,   50,000)           ─ 990202-01
//	└── 9903 丙市分公司 (rural)      ├── 990301 丙一县分公司 (rural,   40,000)           ─ 990301-01
//	                                 └── 990302 丙二县分公司 (rural,   30,000, nothing at all)
//
// The handbook 8.0 is published 2026-01-01 and 9.0 on 2026-10-10 (after Q3: Q3's
// current version is 8.0; numbered high so the fixture sits beside the base data's
// 1.0). Course K1 (everyone) and K2 (window staff) are published 2026-01-01, K3
// (everyone) on 2026-10-01 (not required in Q3), K4 is a draft. Staff acknowledge and
// complete on 2026-03-01 unless said otherwise.
//
// 2026-Q3, county level (default weights: site 30, rectification 15, training 10,
// onboarding 10, certification 10, timeliness 15, satisfaction 10):
//
// 甲一 990101 — every dimension has data:
//   - site: submitted, scored inspections 45/50 (07-05), 45/50 (08-05), 50/50 (submitted
//     2026-09-30 15:30 UTC = 23:30 Beijing, still Q3), 40/50 (09-10, a critical item
//     failed: 不合格) → Σ 180/200 = 90.00; passed 3 of 4 = 75.00 %. Left out: 0/50 at
//     2026-09-30 16:10 UTC (00:10 Beijing on 10-01, Q4), a draft, an all-N/A inspection.
//     Critical failures 1 (a second, voided, does not count).
//   - rectification: due in Q3, cancelled and waived left out: 07-10 (answered 07-09),
//     08-10 (answered 15:00 UTC = 23:00 Beijing that day), 09-10 (answered 16:30 UTC =
//     00:30 Beijing on 09-11: late), 09-20 (still open), 09-02 (verified by a follow-up
//     on 09-01, no evidence: the verification counts) → 3 of 5 = 60.00.
//   - training: 25 active staff hired by 09-30 (20 veterans, 5 new hires); 20
//     acknowledged 8.0; 17 completed K1 (and K2 for window staff; one window's K2 came
//     10-03, too late) → (20 + 17) / 50 = 74.00.
//   - onboarding: hires due in Q3 (hired 06-10, 07-01, 07-15, 08-31; due 30 days later):
//     passed 07-20, 08-10 and 2026-09-30 15:30 UTC (23:30 Beijing on the due day) in time,
//     07-12 too late (due 07-10) → 3 of 4 = 75.00. The hire of 09-05 is due in Q4.
//   - certification: 10 front-line staff, 8 certified at Q3's end (one expired 08-15, one
//     revoked 05-01) → 80.00.
//   - timeliness (three months): 950/1000, 470/500, 18/20, 290/300, 95/100, 48/50, 196/200
//     → mean 0.94952… → 94.95.
//   - satisfaction: 300 surveys, Σ 27,300 → 91.00; complaints 50 per 100,000 households =
//     0.50 per 1,000; subscribers 50,000 → 50,200 = 100.40 %.
//   - deductions: 1 critical failure = 1 (a warning decided 10-02 is Q4's).
//   - composite: 30×90.00 + 15×60.00 + 10×74.00 + 10×75.00 + 10×80.00 + 15×94.95 + 10×91.00
//     = 8,224.25; / 100 = 82.2425; − 1 = 81.2425 → 81.24. Rank 1.
//
// 甲二 990102 — no onboarding: weights with data 90:
//   - site 70/100 + 110/150 + 107/150 = 287/400 = 71.75 (none passed); rectification 2/2 =
//     100.00; training (10 + 7) / 20 = 85.00; certification 3/5 = 60.00; timeliness (one
//     month, every rate 9/10) 90.00; satisfaction 1,700 / 20 = 85.00; no deductions.
//   - composite (30×71.75 + 15×100 + 10×85 + 10×60 + 15×90 + 10×85) / 90 = 7,302.5 / 90 =
//     81.1388… → 81.14. Rank 2, tied.
//
// 乙一 990201 — the branch of RANKING.md: no rectification due, no new hire: weights 75:
//   - site Σ 1,733/1,920 over 8 inspections = 90.26 (two failed a critical item: passed
//     6 of 8); training (41 + 38) / 100 = 79.00; certification 9/18 = 50.00; timeliness
//     (two months) 96, 95, 90, 98, 97, 95, 97 of 100 → 6.68 / 7 = 0.954285… → 95.43;
//     satisfaction 18,677 / 212 = 88.0991… → 88.10.
//   - deductions: one warning (1) + two critical failures (2) = 3.
//   - composite 6,310.25 / 75 = 84.1366…; − 3 = 81.1366… → 81.14. Rank 2, tied with 甲二
//     (listed after it by code); the next rank is 4.
//
// 乙二 990202 — 2 scored inspections: 样本不足, still ranked:
//   - site (30 + 35) / 100 = 65.00; rectification 0/1 (answered 09-20, due 09-15) = 0.00;
//     training (5 + 5) / 20 = 50.00; certification 1/4 = 25.00; timeliness 8/10 each =
//     80.00; satisfaction 700 / 10 = 70.00; weights with data 90.
//   - deductions: two penalties (10) + circulated criticism (3) + disqualification (2) +
//     six critical failures (6) = 21, capped at 20.
//   - composite 4,600 / 90 = 51.111…; − 20 = 31.11. Rank 4.
//
// 丙一 990301 — training (2 + 2) / 8 = 50.00, certification 0/2 = 0.00, timeliness 90.00,
// satisfaction 80.00: weights with data 45 < 60 → 不参与排名 (and 样本不足), composite
// 2,650 / 45 = 58.888… → 58.89 shown without a rank.
//
// 丙二 990302 — nothing: every dimension 无数据, no composite, 不参与排名.
//
// 2026-Q2 (for the change): 乙一 85.20 (rank 1), 甲一 85.08 (2), 丙一 73.73 (3), 乙二
// 63.33 (4); 甲二 has only training and certification (weight 20): not ranked. So in Q3:
// 甲一 ▲1, 甲二 新, 乙一 ▼1, 乙二 —, 丙一 not ranked (was 3), 丙二 not ranked.
//   - 甲一: site 3 × 40/50 = 80.00; training 37/42 = 88.10 (21 staff hired by 06-30);
//     certification 9/10 = 90.00 (the expired one still valid); timeliness 90.00;
//     satisfaction 85.00 → (2,400 + 881 + 900 + 1,350 + 850) / 75 = 85.08.
//   - 乙一: site 3 × 45/50 = 90.00, training 79.00, certification 50.00, timeliness
//     100.00, satisfaction 90.00 → 6,390 / 75 = 85.20.
//   - 丙一: site 3 × 48/50 = 96.00, training 50.00, certification 0.00, timeliness 90.00,
//     satisfaction 80.00 → 5,530 / 75 = 73.7333… → 73.73.
//   - 乙二: site 3 × 35/50 = 70.00, training 50.00, certification 25.00, timeliness 80.00,
//     satisfaction 70.00 → 4,750 / 75 = 63.333… → 63.33.
//
// 2026-Q3, city level (each the sum of its counties' facts):
//   - 甲市: site 467/600 = 77.83; rectification 5/7 = 71.43; training (30 + 24) / 70 =
//     77.14; onboarding 3/4 = 75.00; certification 11/15 = 73.33; timeliness (959/1010,
//     479/510, 27/30, 299/310, 104/110, 57/60, 205/210) → mean 0.94641… → 94.64;
//     satisfaction 29,000 / 320 = 90.625 → 90.63 (half-up); deductions 1 → 78.87.
//   - 乙市: site 1,798/2,020 = 89.01; rectification 0/1 = 0.00; training (46 + 43) / 120 =
//     74.17; certification 10/22 = 45.45; timeliness (104, 103, 98, 106, 105, 103, 105 of
//     110) = 724 / 770 → 94.03; satisfaction 19,377 / 222 = 87.28; deductions 1 + 10 + 3 +
//     2 + 8 = 24, capped at 20 → (30×89.01 + 15×0 + 10×74.17 + 10×45.45 + 15×94.03 +
//     10×87.28) / 90 − 20 = 48.33.
//   - 丙市: as 丙一 → not ranked, 58.89.

// RankingFixtureNow is when the fixture is ranked: 2026-Q3 is over.
var RankingFixtureNow = time.Date(2026, 11, 15, 2, 0, 0, 0, time.UTC)

// RankingFixture is what LoadRankingFixture made, for the tests to act on.
type RankingFixture struct {
	Units map[string]models.OrgUnit
	// Inspector is the user the inspections are made by.
	Inspector models.User
	// Template is the published checklist of the inspections.
	Template models.ChecklistTemplate
	// Facts are the steps that wrote the facts, in the order they ran.
	Facts int
}

// rankingFixture builds the fixture; every fact is one step so that the steps can run
// in any order.
type rankingFixture struct {
	ctx   context.Context
	tx    *gorm.DB
	fx    *RankingFixture
	seq   int
	exams map[string]uint // by kind
	hb    map[string]uint // handbook versions by number
	k     map[string]uint // courses by name
	emps  map[string][]models.Employee
	err   error
}

// utc is a UTC instant.
func utc(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.UTC)
}

// bj is an instant given in Beijing wall-clock time.
func bj(y int, m time.Month, d, h, mi int) time.Time { return utc(y, m, d, h, mi).Add(-8 * time.Hour) }

// day is a calendar date.
func day(y int, m time.Month, d int) models.Date { return models.Date{Year: y, Month: m, Day: d} }

// LoadRankingFixture writes the fixture into db (which must not hold it yet). With
// shuffle, the facts are written in a random order of that source, to prove the order
// changes nothing.
func LoadRankingFixture(ctx context.Context, db *gorm.DB, shuffle *rand.Rand) (*RankingFixture, error) {
	f := &rankingFixture{ctx: ctx, fx: &RankingFixture{Units: map[string]models.OrgUnit{}}, exams: map[string]uint{},
		hb: map[string]uint{}, k: map[string]uint{}, emps: map[string][]models.Employee{}}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		f.tx = tx
		f.structure()
		if f.err != nil {
			return f.err
		}
		steps := f.steps()
		if shuffle != nil {
			shuffle.Shuffle(len(steps), func(i, j int) { steps[i], steps[j] = steps[j], steps[i] })
		}
		for _, s := range steps {
			s()
			if f.err != nil {
				return f.err
			}
		}
		f.fx.Facts = len(steps)
		return nil
	})
	return f.fx, err
}

func (f *rankingFixture) check(err error) {
	if err != nil && f.err == nil {
		f.err = err
	}
}

func (f *rankingFixture) create(v any) {
	if f.err == nil {
		f.check(f.tx.Omit(clause.Associations).Create(v).Error)
	}
}

func (f *rankingFixture) next() int { f.seq++; return f.seq }

// structure makes the org tree, the inspector, the template, the exams, the handbook
// versions and the courses: what the facts refer to.
func (f *rankingFixture) structure() {
	tree := []struct {
		code, name, level, parent string
		urban                     bool
		households                int
	}{
		{"99", "示范省公司", models.LevelProvince, "", true, 470000},
		{"9901", "甲市分公司", models.LevelCity, "99", true, 180000},
		{"990101", "甲一区分公司", models.LevelCounty, "9901", true, 100000},
		{"990101-01", "甲一区营业厅", models.LevelOutlet, "990101", true, 100000},
		{"990102", "甲二区分公司", models.LevelCounty, "9901", true, 80000},
		{"990102-01", "甲二区营业厅", models.LevelOutlet, "990102", true, 80000},
		{"9902", "乙市分公司", models.LevelCity, "99", false, 110000},
		{"990201", "乙一县分公司", models.LevelCounty, "9902", false, 60000},
		{"990201-01", "乙一县营业厅", models.LevelOutlet, "990201", false, 60000},
		{"990202", "乙二县分公司", models.LevelCounty, "9902", false, 50000},
		{"990202-01", "乙二县营业厅", models.LevelOutlet, "990202", false, 50000},
		{"9903", "丙市分公司", models.LevelCity, "99", false, 70000},
		{"990301", "丙一县分公司", models.LevelCounty, "9903", false, 40000},
		{"990301-01", "丙一县营业厅", models.LevelOutlet, "990301", false, 40000},
		{"990302", "丙二县分公司", models.LevelCounty, "9903", false, 30000},
		{"990302-01", "丙二县营业厅", models.LevelOutlet, "990302", false, 30000},
	}
	for _, n := range tree {
		u := &models.OrgUnit{Code: n.code, Name: n.name, Level: n.level, Urban: n.urban, Households: n.households}
		var parent *models.OrgUnit
		if n.parent != "" {
			p := f.fx.Units[n.parent]
			parent = &p
		}
		if f.err == nil {
			f.check(models.InsertOrgUnit(f.tx, u, parent))
		}
		f.fx.Units[n.code] = *u
	}
	f.fx.Inspector = models.User{Username: "fixture-inspector", DisplayName: "督导员甲", PasswordHash: "x"}
	f.create(&f.fx.Inspector)
	f.fx.Template = models.ChecklistTemplate{Code: "FX-HALL", Version: 1, Title: "示范检查表", Status: models.TemplatePublished,
		Sections: models.JSONList[models.ChecklistSection]{}, PassMark: 80, PublishedAt: ptrTime(utc(2026, 1, 1, 0, 0))}
	f.create(&f.fx.Template)
	for _, kind := range []string{models.ExamOnboarding, models.ExamEtiquette} {
		e := &models.Exam{Title: "示范" + kind, Kind: kind, Status: models.ExamPublished, TimeLimitMinutes: 30,
			OpensAt: utc(2025, 1, 1, 0, 0), ClosesAt: utc(2027, 12, 31, 0, 0), PassPercent: 60, AttemptsAllowed: 3, Grading: models.GradeHighest}
		f.create(e)
		f.exams[kind] = e.ID
	}
	for _, v := range []struct {
		number string
		major  int
		at     time.Time
	}{{"8.0", 8, utc(2026, 1, 1, 0, 0)}, {"9.0", 9, utc(2026, 10, 10, 0, 0)}} {
		h := &models.HandbookVersion{Version: v.number, Major: v.major, Title: "员工手册 " + v.number, Body: "……", Status: models.HandbookPublished, PublishedAt: ptrTime(v.at)}
		f.create(h)
		f.hb[v.number] = h.ID
	}
	for _, c := range []struct {
		name      string
		positions []string
		at        *time.Time
	}{
		{"K1", nil, ptrTime(utc(2026, 1, 1, 0, 0))},
		{"K2", []string{models.PositionWindow}, ptrTime(utc(2026, 1, 1, 0, 0))},
		{"K3", nil, ptrTime(utc(2026, 10, 1, 0, 0))},
		{"K4", nil, nil},
	} {
		status := models.CoursePublished
		if c.at == nil {
			status = models.CourseDraft
		}
		row := &models.Course{Title: "课程" + c.name, Category: models.CourseBasics, Mode: "online", Status: status,
			Positions: c.positions, Materials: models.JSONList[models.Material]{}, PublishedAt: c.at}
		f.create(row)
		f.k[c.name] = row.ID
	}
	f.staffAll()
}

func ptrTime(t time.Time) *time.Time { return &t }

// person describes one employee of the fixture and what they did.
type person struct {
	position string
	hired    models.Date
	status   string
	ack      *time.Time // of handbook 8.0
	courses  map[string]time.Time
	cert     *certDates
	passed   *time.Time // the onboarding exam
}

type certDates struct {
	issued, expires time.Time
	revoked         *time.Time
}

var (
	march1   = utc(2026, 3, 1, 0, 0)
	veteran  = day(2020, 1, 1)
	validCrt = &certDates{issued: utc(2025, 6, 1, 0, 0), expires: utc(2027, 6, 1, 0, 0)}
)

// staff is n copies of p.
func staff(n int, p person) []person {
	out := make([]person, n)
	for i := range out {
		out[i] = p
	}
	return out
}

// k1 and k1k2 are the course completions of 2026-03-01.
var (
	k1   = map[string]time.Time{"K1": march1}
	k1k2 = map[string]time.Time{"K1": march1, "K2": march1}
)

// people lists each county's staff; see the counts in the comment at the top.
func people() map[string][]person {
	acked := &march1
	return map[string][]person{
		// 甲一: 20 veterans (6 window, 2 installer, 2 marketing, 10 other), 5 new hires.
		"990101": concat(
			staff(3, person{position: models.PositionWindow, ack: acked, courses: k1k2, cert: validCrt}),
			[]person{
				{position: models.PositionWindow, ack: acked, courses: k1, cert: validCrt},                                                               // no K2
				{position: models.PositionWindow, ack: acked, courses: map[string]time.Time{"K1": march1, "K2": utc(2026, 10, 3, 0, 0)}, cert: validCrt}, // K2 too late
				{position: models.PositionWindow, ack: acked, cert: &certDates{issued: utc(2024, 8, 15, 0, 0), expires: utc(2026, 8, 15, 0, 0)}},         // expired 08-15
			},
			staff(2, person{position: models.PositionInstaller, ack: acked, courses: k1, cert: validCrt}),
			[]person{
				{position: models.PositionMarketing, ack: acked, courses: k1, cert: validCrt},
				{position: models.PositionMarketing, ack: acked, courses: k1, cert: &certDates{issued: utc(2025, 6, 1, 0, 0), expires: utc(2027, 6, 1, 0, 0), revoked: ptrTime(utc(2026, 5, 1, 0, 0))}},
			},
			staff(10, person{position: models.PositionOther, ack: acked, courses: k1}),
			[]person{
				{position: models.PositionOther, hired: day(2026, 6, 10), passed: ptrTime(utc(2026, 7, 12, 2, 0))}, // due 07-10: late
				{position: models.PositionOther, hired: day(2026, 7, 1), passed: ptrTime(utc(2026, 7, 20, 2, 0))},
				{position: models.PositionOther, hired: day(2026, 7, 15), passed: ptrTime(utc(2026, 8, 10, 2, 0))},
				{position: models.PositionOther, hired: day(2026, 8, 31), passed: ptrTime(bj(2026, 9, 30, 23, 30))}, // on the due day
				{position: models.PositionOther, hired: day(2026, 9, 5), passed: ptrTime(utc(2026, 10, 1, 2, 0))},   // due in Q4
				// Not counted anywhere: left, on leave.
				{position: models.PositionWindow, status: models.StatusLeft, ack: acked, courses: k1k2, cert: validCrt},
				{position: models.PositionOther, status: models.StatusOnLeave, ack: acked, courses: k1},
			},
		),
		// 甲二: 3 window (K1 only: K2 missing), 1 installer, 1 marketing, 5 other; 3 certified.
		"990102": concat(
			staff(2, person{position: models.PositionWindow, ack: acked, courses: k1, cert: validCrt}),
			staff(1, person{position: models.PositionWindow, ack: acked, courses: k1}),
			staff(1, person{position: models.PositionInstaller, ack: acked, courses: k1, cert: validCrt}),
			staff(1, person{position: models.PositionMarketing, ack: acked, courses: k1}),
			staff(5, person{position: models.PositionOther, ack: acked, courses: k1}),
		),
		// 乙一: 10 window, 5 installer, 3 marketing, 2 manager, 30 other; 41 acknowledged,
		// 38 completed, 9 of 18 front-line certified.
		"990201": concat(
			staff(5, person{position: models.PositionWindow, ack: acked, courses: k1k2, cert: validCrt}),
			staff(1, person{position: models.PositionWindow, ack: acked, courses: k1k2}),
			staff(4, person{position: models.PositionWindow, ack: acked, courses: k1}),
			staff(3, person{position: models.PositionInstaller, ack: acked, courses: k1, cert: validCrt}),
			staff(2, person{position: models.PositionInstaller, ack: acked, courses: k1}),
			staff(1, person{position: models.PositionMarketing, ack: acked, courses: k1, cert: validCrt}),
			staff(2, person{position: models.PositionMarketing, ack: acked}),
			staff(1, person{position: models.PositionManager, ack: acked, courses: k1}),
			staff(1, person{position: models.PositionManager, ack: acked}),
			staff(21, person{position: models.PositionOther, ack: acked, courses: k1}),
			staff(4, person{position: models.PositionOther, courses: k1}),
			[]person{
				{position: models.PositionOther, ack: ptrTime(utc(2026, 10, 5, 0, 0))},                        // acknowledged after Q3
				{position: models.PositionOther, courses: map[string]time.Time{"K1": utc(2026, 10, 2, 0, 0)}}, // completed after Q3
				{position: models.PositionOther}, {position: models.PositionOther}, {position: models.PositionOther},
				{position: models.PositionWindow, status: models.StatusLeft, ack: acked, courses: k1k2, cert: validCrt},
				{position: models.PositionWindow, status: models.StatusLeft, ack: acked, courses: k1k2, cert: validCrt},
				{position: models.PositionOther, status: models.StatusOnLeave, ack: acked, courses: k1},
			},
		),
		// 乙二: 2 window, 1 installer, 1 marketing, 6 other; 5 acknowledged, 5 completed, 1 certified.
		"990202": concat(
			staff(1, person{position: models.PositionWindow, cert: validCrt}),
			staff(1, person{position: models.PositionWindow}),
			staff(1, person{position: models.PositionInstaller}),
			staff(1, person{position: models.PositionMarketing}),
			staff(5, person{position: models.PositionOther, ack: acked, courses: k1}),
			staff(1, person{position: models.PositionOther}),
		),
		// 丙一: 1 window, 1 marketing, 2 other; the others acknowledged and completed.
		"990301": concat(
			staff(1, person{position: models.PositionWindow}),
			staff(1, person{position: models.PositionMarketing}),
			staff(2, person{position: models.PositionOther, ack: acked, courses: k1}),
		),
	}
}

func concat[T any](parts ...[]T) []T {
	var out []T
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// staffAll inserts the employees (their facts are steps).
func (f *rankingFixture) staffAll() {
	for _, code := range []string{"990101", "990102", "990201", "990202", "990301"} {
		for i, p := range people()[code] {
			hired, status := p.hired, p.status
			if hired.IsZero() {
				hired = veteran
			}
			if status == "" {
				status = models.StatusActive
			}
			e := models.Employee{JobNumber: fmt.Sprintf("%s%03d", code, i+1), Name: fmt.Sprintf("员工%s-%d", code, i+1),
				OrgUnitID: f.fx.Units[code].ID, Position: p.position, HireDate: hired, Status: status}
			f.create(&e)
			f.emps[code] = append(f.emps[code], e)
		}
	}
}

// steps are the facts, each written on its own.
func (f *rankingFixture) steps() []func() {
	var steps []func()
	for code, ps := range people() {
		for i, p := range ps {
			e := f.emps[code][i]
			if p.ack != nil {
				at := *p.ack
				steps = append(steps, func() {
					f.create(&models.Acknowledgement{EmployeeID: e.ID, VersionID: f.hb["8.0"], At: at, IP: "127.0.0.1", UserAgent: "fixture"})
				})
			}
			for name, at := range p.courses {
				steps = append(steps, func() {
					f.create(&models.Completion{CourseID: f.k[name], EmployeeID: e.ID, At: at, Method: models.CompletedOnline})
				})
			}
			if p.cert != nil {
				c := *p.cert
				steps = append(steps, func() { f.certificate(e, c) })
			}
			if p.passed != nil {
				at := *p.passed
				steps = append(steps, func() { f.attempt(e, models.ExamOnboarding, at, true) })
			}
		}
	}
	// Some acknowledge 9.0 in October: it is Q4's concern, not Q3's.
	steps = append(steps, func() {
		for _, e := range f.emps["990201"][:3] {
			f.create(&models.Acknowledgement{EmployeeID: e.ID, VersionID: f.hb["9.0"], At: utc(2026, 10, 20, 0, 0), IP: "127.0.0.1", UserAgent: "fixture"})
		}
	})
	// A failed onboarding attempt in time does not count as passed.
	steps = append(steps, func() { f.attempt(f.emps["990101"][20], models.ExamOnboarding, utc(2026, 7, 5, 2, 0), false) })

	type ins struct {
		outlet           string
		at               time.Time
		earned, possible int
		critical, voided int
	}
	inspections := []ins{
		// 甲一, Q3 (and what is left out).
		{"990101-01", utc(2026, 7, 5, 2, 0), 45, 50, 0, 0},
		{"990101-01", utc(2026, 8, 5, 2, 0), 45, 50, 0, 0},
		{"990101-01", bj(2026, 9, 30, 23, 30), 50, 50, 0, 0},
		{"990101-01", utc(2026, 9, 10, 2, 0), 40, 50, 1, 1},
		{"990101-01", bj(2026, 10, 1, 0, 10), 0, 50, 0, 0},
		{"990101-01", utc(2026, 9, 2, 2, 0), 0, 0, 0, 0}, // all N/A
		// 甲二.
		{"990102-01", utc(2026, 7, 8, 2, 0), 70, 100, 0, 0},
		{"990102-01", utc(2026, 8, 8, 2, 0), 110, 150, 0, 0},
		{"990102-01", utc(2026, 9, 8, 2, 0), 107, 150, 0, 0},
		// 乙一: 8 of possible 240.
		{"990201-01", utc(2026, 7, 2, 2, 0), 220, 240, 1, 0},
		{"990201-01", utc(2026, 7, 20, 2, 0), 215, 240, 0, 0},
		{"990201-01", utc(2026, 8, 2, 2, 0), 225, 240, 0, 0},
		{"990201-01", utc(2026, 8, 20, 2, 0), 210, 240, 0, 0},
		{"990201-01", utc(2026, 9, 2, 2, 0), 218, 240, 1, 0},
		{"990201-01", utc(2026, 9, 12, 2, 0), 212, 240, 0, 0},
		{"990201-01", utc(2026, 9, 20, 2, 0), 213, 240, 0, 0},
		{"990201-01", utc(2026, 9, 25, 2, 0), 220, 240, 0, 0},
		// 乙二: two, with three critical failures each (and one voided).
		{"990202-01", utc(2026, 7, 15, 2, 0), 30, 50, 3, 0},
		{"990202-01", utc(2026, 8, 15, 2, 0), 35, 50, 3, 1},
		// Q2: 甲一, 乙一, 丙一, 乙二 three each.
		{"990101-01", utc(2026, 4, 10, 2, 0), 40, 50, 0, 0}, {"990101-01", utc(2026, 5, 10, 2, 0), 40, 50, 0, 0}, {"990101-01", utc(2026, 6, 10, 2, 0), 40, 50, 0, 0},
		{"990201-01", utc(2026, 4, 11, 2, 0), 45, 50, 0, 0}, {"990201-01", utc(2026, 5, 11, 2, 0), 45, 50, 0, 0}, {"990201-01", utc(2026, 6, 11, 2, 0), 45, 50, 0, 0},
		{"990301-01", utc(2026, 4, 12, 2, 0), 48, 50, 0, 0}, {"990301-01", utc(2026, 5, 12, 2, 0), 48, 50, 0, 0}, {"990301-01", utc(2026, 6, 12, 2, 0), 48, 50, 0, 0},
		{"990202-01", utc(2026, 4, 13, 2, 0), 35, 50, 0, 0}, {"990202-01", utc(2026, 5, 13, 2, 0), 35, 50, 0, 0}, {"990202-01", utc(2026, 6, 13, 2, 0), 35, 50, 0, 0},
	}
	for _, in := range inspections {
		steps = append(steps, func() { f.inspection(in.outlet, in.at, in.earned, in.possible, in.critical, in.voided, 0) })
	}
	// A draft started in Q3 counts nowhere.
	steps = append(steps, func() {
		f.create(&models.Inspection{ClientID: fmt.Sprintf("fx-draft-%d", f.next()), RequestHash: "fx", InspectorID: f.fx.Inspector.ID,
			TemplateID: f.fx.Template.ID, OrgUnitID: f.fx.Units["990101-01"].ID, Status: models.InspectionDraft, StartedAt: utc(2026, 9, 1, 2, 0)})
	})

	type rect struct {
		county      string
		due         models.Date
		status      string
		submittedAt *time.Time
		verifiedAt  *time.Time
	}
	rects := []rect{
		{"990101", day(2026, 7, 10), models.RectVerified, ptrTime(utc(2026, 7, 9, 2, 0)), ptrTime(utc(2026, 7, 11, 2, 0))},
		{"990101", day(2026, 8, 10), models.RectSubmitted, ptrTime(bj(2026, 8, 10, 23, 0)), nil},
		{"990101", day(2026, 9, 10), models.RectVerified, ptrTime(bj(2026, 9, 11, 0, 30)), ptrTime(utc(2026, 9, 12, 2, 0))},
		{"990101", day(2026, 9, 20), models.RectOpen, nil, nil},
		{"990101", day(2026, 9, 2), models.RectVerified, nil, ptrTime(utc(2026, 9, 1, 3, 0))},
		{"990101", day(2026, 9, 25), models.RectWaived, nil, nil},
		{"990101", day(2026, 8, 1), models.RectCancelled, nil, nil},
		{"990101", day(2026, 10, 5), models.RectOpen, nil, nil},
		{"990102", day(2026, 7, 20), models.RectSubmitted, ptrTime(utc(2026, 7, 18, 2, 0)), nil},
		{"990102", day(2026, 8, 20), models.RectVerified, ptrTime(utc(2026, 8, 19, 2, 0)), ptrTime(utc(2026, 8, 21, 2, 0))},
		{"990202", day(2026, 9, 15), models.RectSubmitted, ptrTime(utc(2026, 9, 20, 2, 0)), nil},
	}
	for _, r := range rects {
		steps = append(steps, func() { f.rectification(r.county, r.due, r.status, r.submittedAt, r.verifiedAt) })
	}

	type decision struct {
		county, outcome string
		at              *time.Time
	}
	decisions := []decision{
		{"990101", models.OutcomeWarning, ptrTime(utc(2026, 10, 2, 2, 0))}, // Q4
		{"990201", models.OutcomeWarning, ptrTime(utc(2026, 8, 15, 2, 0))},
		{"990202", models.OutcomePenalty, ptrTime(utc(2026, 7, 10, 2, 0))},
		{"990202", models.OutcomePenalty, ptrTime(utc(2026, 8, 10, 2, 0))},
		{"990202", models.OutcomeCirculated, ptrTime(utc(2026, 9, 10, 2, 0))},
		{"990202", models.OutcomeNoAwards, ptrTime(utc(2026, 9, 11, 2, 0))},
		{"990202", "", nil}, // not decided yet
	}
	for _, d := range decisions {
		steps = append(steps, func() { f.decision(d.county, d.outcome, d.at) })
	}

	same := func(on, total int64) [7][2]int64 {
		var r [7][2]int64
		for i := range r {
			r[i] = [2]int64{on, total}
		}
		return r
	}
	type metric struct {
		county, month    string
		rates            [7][2]int64
		surveys, sum     int64
		subsStart, subsE int64
	}
	metrics := []metric{
		{"990101", "2026-07", [7][2]int64{{310, 330}, {150, 160}, {5, 6}, {95, 100}, {28, 30}, {14, 15}, {58, 60}}, 100, 9000, 50000, 50100},
		{"990101", "2026-08", [7][2]int64{{320, 330}, {160, 170}, {6, 7}, {97, 100}, {33, 35}, {15, 15}, {69, 70}}, 100, 9100, 50100, 50150},
		{"990101", "2026-09", [7][2]int64{{320, 340}, {160, 170}, {7, 7}, {98, 100}, {34, 35}, {19, 20}, {69, 70}}, 100, 9200, 50150, 50200},
		{"990102", "2026-09", same(9, 10), 20, 1700, 30000, 30010},
		{"990201", "2026-08", [7][2]int64{{48, 50}, {47, 50}, {45, 50}, {49, 50}, {48, 50}, {47, 50}, {48, 50}}, 100, 8800, 20000, 20020},
		{"990201", "2026-09", [7][2]int64{{48, 50}, {48, 50}, {45, 50}, {49, 50}, {49, 50}, {48, 50}, {49, 50}}, 112, 9877, 20020, 20030},
		{"990202", "2026-09", same(8, 10), 10, 700, 15000, 14990},
		{"990301", "2026-09", same(9, 10), 10, 800, 12000, 12000},
		// Q2.
		{"990101", "2026-06", same(9, 10), 10, 850, 49900, 50000},
		{"990201", "2026-06", same(10, 10), 10, 900, 19990, 20000},
		{"990301", "2026-06", same(9, 10), 10, 800, 12000, 12000},
		{"990202", "2026-06", same(8, 10), 10, 700, 15010, 15000},
	}
	for _, m := range metrics {
		steps = append(steps, func() {
			r := m.rates
			f.create(&models.ServiceMetric{OrgUnitID: f.fx.Units[m.county].ID, Month: m.month,
				Responded24h: r[0][0], WorkOrders: r[0][1], OrdinaryFixed24h: r[1][0], OrdinaryFaults: r[1][1],
				MajorFixed72h: r[2][0], MajorFaults: r[2][1], InstalledOnTime: r[3][0], Installations: r[3][1],
				RestoredOnTime: r[4][0], Restorations: r[4][1], ComplaintsReplied: r[5][0], Complaints: r[5][1],
				CallbacksDone72h: r[6][0], CallbacksDue: r[6][1], Surveys: m.surveys, SurveyScoreSum: m.sum,
				SubscribersStart: m.subsStart, SubscribersEnd: m.subsE})
		})
	}
	return steps
}

// attempt records a submitted attempt of the exam of kind.
func (f *rankingFixture) attempt(e models.Employee, kind string, at time.Time, passed bool) *models.Attempt {
	a := &models.Attempt{ExamID: f.exams[kind], EmployeeID: e.ID, Number: f.next(), Status: models.AttemptSubmitted,
		StartedAt: at.Add(-20 * time.Minute), Deadline: at.Add(10 * time.Minute), SubmittedAt: &at, Points: 80, MaxPoints: 100, Passed: passed}
	f.create(a)
	return a
}

// certificate records a passed etiquette attempt and the certificate it issued.
func (f *rankingFixture) certificate(e models.Employee, c certDates) {
	a := f.attempt(e, models.ExamEtiquette, c.issued, true)
	n := f.next()
	f.create(&models.Certificate{Number: fmt.Sprintf("FX-%06d", n), Code: fmt.Sprintf("fxcode%06d", n), EmployeeID: e.ID, AttemptID: a.ID,
		ExamID: f.exams[models.ExamEtiquette], Kind: models.ExamEtiquette, IssuedAt: c.issued, ExpiresAt: c.expires, RevokedAt: c.revoked})
}

// inspection records a submitted inspection of outlet with the given sums and, per
// critical failure, a failed critical item with its finding (voided ones too). With
// nonCritical, failed ordinary items with findings, for rectifications to hang on.
func (f *rankingFixture) inspection(outlet string, at time.Time, earned, possible, critical, voided, nonCritical int) []models.Finding {
	u := f.fx.Units[outlet]
	result, score := models.ResultPass, (*models.Percent)(nil)
	if possible > 0 {
		s := models.PercentOf(int64(earned), int64(possible))
		score = &s
		if s < 8000 {
			result = models.ResultFail
		}
	} else {
		result = models.ResultNoScore
	}
	if critical > 0 {
		result = models.ResultFail
	}
	ins := &models.Inspection{ClientID: fmt.Sprintf("fx-%d", f.next()), RequestHash: "fx", InspectorID: f.fx.Inspector.ID, TemplateID: f.fx.Template.ID,
		OrgUnitID: u.ID, Status: models.InspectionSubmitted, StartedAt: at.Add(-30 * time.Minute), SubmittedAt: &at, Confirmation: "督导员甲",
		Earned: earned, Possible: possible, Score: score, Result: result, CriticalFailed: critical > 0}
	f.create(ins)
	var out []models.Finding
	for i := range critical + voided + nonCritical {
		isCritical := i < critical+voided
		it := &models.InspectionItem{InspectionID: ins.ID, Key: fmt.Sprintf("k%d", i+1), Position: i + 1, Section: "一、", Text: "检查项",
			RuleRef: "R2.4", Response: models.ResponsePassFail, MaxScore: 1, Weight: 1, Critical: isCritical, Outcome: models.OutcomeFail}
		f.create(it)
		fd := models.Finding{InspectionID: ins.ID, InspectionItemID: it.ID, OrgUnitID: u.ID, ItemKey: it.Key, RuleRef: it.RuleRef,
			Text: it.Text, Note: "现场未做到", Critical: isCritical, FoundAt: at}
		if i >= critical && i < critical+voided {
			fd.VoidedAt, fd.VoidReason = ptrTime(at.Add(time.Hour)), "误判"
		}
		f.create(&fd)
		out = append(out, fd)
	}
	return out
}

// rectification records a rectification of county due on due, on a finding of an
// inspection made in 2026-Q1 (so it counts for no period's site score).
func (f *rankingFixture) rectification(county string, due models.Date, status string, submittedAt, verifiedAt *time.Time) {
	found := f.inspection(county+"-01", utc(2026, 3, 10, 2, 0), 9, 10, 0, 0, 1)
	if len(found) == 0 {
		return
	}
	r := &models.Rectification{FindingID: found[0].ID, OrgUnitID: found[0].OrgUnitID, AssigneeUnitID: f.fx.Units[county].ID,
		Status: status, DueOn: due, SubmittedAt: submittedAt, VerifiedAt: verifiedAt, Revision: 1}
	if submittedAt != nil {
		r.EvidenceText = "已整改"
	}
	f.create(r)
}

// decision records a case of county with one person decided on at (nil: undecided).
func (f *rankingFixture) decision(county, outcome string, at *time.Time) {
	n := f.next()
	c := &models.AccountabilityCase{Number: fmt.Sprintf("FX-%06d", n), Title: "示范问责", OrgUnitID: f.fx.Units[county].ID,
		Source: models.CaseFromComplaint, Summary: "……", Grounds: models.JSONList[string]{models.GroundServiceRules}, Status: models.CaseOpen,
		OpenedBy: f.fx.Inspector.ID, OpenedAt: utc(2026, 7, 1, 2, 0), StatementDueOn: day(2026, 7, 8)}
	f.create(c)
	p := &models.CasePerson{CaseID: c.ID, EmployeeID: f.emps[county][n%len(f.emps[county])].ID, Aggravating: models.JSONList[models.Factor]{},
		Mitigating: models.JSONList[models.Factor]{}}
	if at != nil {
		p.Severity, p.Outcome, p.DecidedAt = models.SeverityMinor, outcome, at
		if outcome == models.OutcomePenalty {
			p.Severity, p.PenaltyCents = models.SeverityVerySerious, 50000
		}
	}
	f.create(p)
}

// RankingFixtureSeed is the source LoadRankingFixture's tests shuffle with.
func RankingFixtureSeed(n uint64) *rand.Rand { return rand.New(rand.NewPCG(n, 8)) }

package seeds

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"quality/inspections"
	"quality/models"
	"quality/policy"
)

// ProvinceScale sizes the province generator (quality seed --scale province).
type ProvinceScale struct {
	// Outlets is the number of outlets in all: the base tree's and generated ones.
	Outlets     int
	Employees   int
	Inspections int
	// Attempts are submitted exam attempts (their answers are not generated).
	Attempts int
}

// FullProvince is a realistic province-year: about 400 outlets, 20,000 employees,
// 50,000 inspections with about a million item rows, 200,000 exam attempts, about 5,000
// rectifications, and twelve months of service metrics.
var FullProvince = ProvinceScale{Outlets: 400, Employees: 20000, Inspections: 50000, Attempts: 200000}

// ProvinceCounts tells what the generator wrote.
type ProvinceCounts struct {
	Outlets, Employees, Acknowledgements, Completions, Attempts, Certificates int
	Inspections, Items, Findings, Rectifications, Cases, Metrics              int
}

// ProvinceStep hears each table as it is done, with the rows written and the time taken.
type ProvinceStep func(what string, rows int, took time.Duration)

// ErrProvinceHasData refuses to generate into a database that holds staff already.
var ErrProvinceHasData = errors.New("the database already holds staff (demo or generated data): generate into a database with the base data alone")

// province is one run of the generator.
type province struct {
	ctx     context.Context
	db      *gorm.DB
	scale   ProvinceScale
	seed    uint64
	now     time.Time
	start   time.Time // the year generated: [start, now)
	loc     *time.Location
	step    ProvinceStep
	n       ProvinceCounts
	units   []models.OrgUnit
	byID    map[uint]models.OrgUnit
	outlets []models.OrgUnit
	county  map[uint]models.OrgUnit // of each outlet
	staff   []models.Employee
	byUnit  map[uint][]int // staff indexes by org unit
	level   map[uint]float64
	policy  policy.Policy
}

// rng is the source for one part of the data: the same seed and part, the same numbers.
func (p *province) rng(part uint64) *rand.Rand { return rand.New(rand.NewPCG(p.seed, part)) }

// LoadProvince generates a deterministic province-year (the same seed, scale and now
// give the same data) into db, which must hold the base data and no staff: outlets up to
// scale.Outlets, staff, acknowledgements, course completions, exam attempts and
// certificates, inspections with their items, findings and rectifications, decided
// cases and twelve months of service metrics, each branch with its own level. Rows go
// in large batches, a transaction per table or per chunk; step hears each table.
func LoadProvince(ctx context.Context, db *gorm.DB, scale ProvinceScale, seed uint64, now time.Time, step ProvinceStep) (ProvinceCounts, error) {
	var have int64
	if err := db.WithContext(ctx).Model(&models.Employee{}).Count(&have).Error; err != nil {
		return ProvinceCounts{}, err
	}
	if have > 0 {
		return ProvinceCounts{}, ErrProvinceHasData
	}
	if step == nil {
		step = func(string, int, time.Duration) {}
	}
	now = now.UTC().Truncate(time.Second)
	p := &province{ctx: ctx, db: db.WithContext(ctx), scale: scale, seed: seed, now: now, start: now.AddDate(-1, 0, 0), loc: shanghai(),
		step: step, byUnit: map[uint][]int{}, level: map[uint]float64{}, county: map[uint]models.OrgUnit{}}
	var err error
	if p.policy, err = policy.NewService(db).Load(ctx); err != nil {
		return p.n, err
	}
	for _, s := range []struct {
		what string
		run  func() (int, error)
	}{
		{"history", func() (int, error) { return LoadDemoHistory(ctx, db, now) }},
		{"outlets", p.outletsStep},
		{"employees", p.employeesStep},
		{"acknowledgements", p.acknowledgementsStep},
		{"completions", p.completionsStep},
		{"attempts and certificates", p.attemptsStep},
		{"inspections, items, findings, rectifications", p.inspectionsStep},
		{"cases", p.casesStep},
		{"service metrics", p.metricsStep},
	} {
		t := time.Now()
		rows, err := s.run()
		if err != nil {
			return p.n, fmt.Errorf("province %s: %w", s.what, err)
		}
		step(s.what, rows, time.Since(t))
	}
	return p.n, models.Audit(p.db, models.SystemActor, "seed", "province", fmt.Sprint(seed), p.n)
}

// loadUnits reads the org tree and each county's level of quality.
func (p *province) loadUnits() error {
	units, err := models.OrgUnitsInScope(p.ctx, p.db, models.ScopeAll)
	if err != nil {
		return err
	}
	p.units, p.byID, p.outlets = units, make(map[uint]models.OrgUnit, len(units)), nil
	for _, u := range units {
		p.byID[u.ID] = u
	}
	for _, u := range units {
		if u.Level == models.LevelCounty {
			p.level[u.ID] = rand.New(rand.NewPCG(p.seed, uint64(u.ID))).Float64() // 0 worst … 1 best
		}
		if u.Level == models.LevelOutlet && u.ParentID != nil && p.byID[*u.ParentID].Level == models.LevelCounty {
			p.outlets = append(p.outlets, u)
			p.county[u.ID] = p.byID[*u.ParentID]
		}
	}
	return nil
}

// levelOf is the level of quality (0–1) of the county above or at unit id.
func (p *province) levelOf(id uint) float64 {
	u := p.byID[id]
	if c, ok := p.county[id]; ok {
		u = c
	}
	if l, ok := p.level[u.ID]; ok {
		return l
	}
	return 0.5
}

// outletsStep adds outlets to the counties in turn until there are scale.Outlets.
func (p *province) outletsStep() (int, error) {
	if err := p.loadUnits(); err != nil {
		return 0, err
	}
	var counties []models.OrgUnit
	for _, u := range p.units {
		if u.Level == models.LevelCounty {
			counties = append(counties, u)
		}
	}
	missing := p.scale.Outlets - len(p.outlets)
	if missing <= 0 || len(counties) == 0 {
		return 0, nil
	}
	rng := p.rng(1)
	err := p.db.Transaction(func(tx *gorm.DB) error {
		for i := range missing {
			c := counties[i%len(counties)]
			n := i/len(counties) + 1
			u := &models.OrgUnit{Code: fmt.Sprintf("%s-G%02d", c.Code, n), Name: fmt.Sprintf("%s第%d营业点", trimBranch(c.Name), n),
				Level: models.LevelOutlet, Urban: c.Urban, Households: 8000 + rng.IntN(40000), Address: c.Name + "辖区", Phone: "0791-0000000"}
			if err := models.InsertOrgUnit(tx, u, &c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	p.n.Outlets = missing
	return missing, p.loadUnits()
}

// trimBranch is a county's name without 分公司.
func trimBranch(name string) string {
	r := []rune(name)
	if len(r) > 3 && string(r[len(r)-3:]) == "分公司" {
		return string(r[:len(r)-3])
	}
	return name
}

// employeesStep makes the staff: each county office its managers, installers (about
// one per 4,000 households, R3.1) and others; the outlets share the rest, mostly
// window and marketing staff. One in ten was hired in the last year.
func (p *province) employeesStep() (int, error) {
	type slot struct {
		unit     models.OrgUnit
		position string
	}
	var slots []slot
	for _, u := range p.units {
		if u.Level != models.LevelCounty {
			continue
		}
		for range 3 {
			slots = append(slots, slot{u, models.PositionManager})
		}
		for range max(5, u.Households/4000) {
			slots = append(slots, slot{u, models.PositionInstaller})
		}
		for range 3 {
			slots = append(slots, slot{u, models.PositionOther})
		}
	}
	rng := p.rng(2)
	for i := 0; len(slots) < p.scale.Employees && len(p.outlets) > 0; i++ {
		pos := models.PositionWindow
		switch r := rng.IntN(10); {
		case r < 2:
			pos = models.PositionMarketing
		case r == 2:
			pos = models.PositionOther
		}
		slots = append(slots, slot{p.outlets[i%len(p.outlets)], pos})
	}
	seq := map[uint]int{}
	staff := make([]models.Employee, 0, len(slots))
	for _, s := range slots {
		seq[s.unit.ID]++
		e := models.Employee{JobNumber: fmt.Sprintf("P%s-%04d", s.unit.Code, seq[s.unit.ID]), OrgUnitID: s.unit.ID, Position: s.position,
			Status: models.StatusActive, Phone: fmt.Sprintf("1%d%09d", 3+rng.IntN(7), rng.IntN(1_000_000_000))}
		e.Name = string(surnames[rng.IntN(len(surnames))]) + string(given[rng.IntN(len(given))])
		if rng.IntN(3) > 0 {
			e.Name += string(given[rng.IntN(len(given))])
		}
		if rng.IntN(10) == 0 {
			e.HireDate = models.DateOf(p.now.AddDate(0, 0, -rng.IntN(365)).In(p.loc))
		} else {
			e.HireDate = models.DateOf(p.now.AddDate(-1-rng.IntN(20), -rng.IntN(12), -rng.IntN(28)))
		}
		if st := staffStatus(rng); st != "" {
			e.Status = st
		}
		staff = append(staff, e)
	}
	if err := p.db.Transaction(func(tx *gorm.DB) error {
		return tx.Omit(clause.Associations).CreateInBatches(&staff, provinceBatch).Error
	}); err != nil {
		return 0, err
	}
	p.staff = staff
	for i, e := range staff {
		p.byUnit[e.OrgUnitID] = append(p.byUnit[e.OrgUnitID], i)
	}
	p.n.Employees = len(staff)
	return len(staff), nil
}

// at is a random instant of the generated year, not before floor.
func (p *province) at(rng *rand.Rand, floor time.Time) time.Time {
	from := p.start
	if floor.After(from) {
		from = floor
	}
	if !from.Before(p.now) {
		return p.now.Add(-time.Minute)
	}
	return from.Add(time.Duration(rng.Int64N(int64(p.now.Sub(from))))).Truncate(time.Second)
}

// hired is an employee's hire date as an instant (9:00 in the company's zone).
func (p *province) hired(e models.Employee) time.Time {
	return time.Date(e.HireDate.Year, e.HireDate.Month, e.HireDate.Day, 9, 0, 0, 0, p.loc).UTC()
}

// insert writes rows in batches of n in one transaction.
func insert[T any](p *province, rows []T, n int) error {
	if len(rows) == 0 {
		return nil
	}
	return p.db.Transaction(func(tx *gorm.DB) error { return tx.Omit(clause.Associations).CreateInBatches(&rows, n).Error })
}

// acknowledgementsStep: each county's share (70–97 %) of active staff acknowledged the
// current handbook during the year.
func (p *province) acknowledgementsStep() (int, error) {
	v, err := models.CurrentHandbook(p.ctx, p.db)
	if errors.Is(err, models.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	rng := p.rng(3)
	var rows []models.Acknowledgement
	for _, e := range p.staff {
		if e.Status == models.StatusLeft || rng.Float64() > 0.70+0.27*p.levelOf(e.OrgUnitID) {
			continue
		}
		rows = append(rows, models.Acknowledgement{EmployeeID: e.ID, VersionID: v.ID, At: p.at(rng, p.hired(e)), IP: "10.0.0.1", UserAgent: "province"})
	}
	p.n.Acknowledgements = len(rows)
	return len(rows), insert(p, rows, provinceBatch)
}

// completionsStep: each county's share (55–95 %) of staff completed every course meant
// for them during the year.
func (p *province) completionsStep() (int, error) {
	courses, err := models.CoursesPublishedBefore(p.ctx, p.db, p.now)
	if err != nil {
		return 0, err
	}
	rng := p.rng(4)
	var rows []models.Completion
	for _, e := range p.staff {
		if rng.Float64() > 0.55+0.40*p.levelOf(e.OrgUnitID) {
			continue
		}
		for _, c := range courses {
			if c.For(e.Position) {
				rows = append(rows, models.Completion{CourseID: c.ID, EmployeeID: e.ID, At: p.at(rng, p.hired(e)), Method: models.CompletedOnline})
			}
		}
	}
	p.n.Completions = len(rows)
	return len(rows), insert(p, rows, provinceBatch)
}

// attemptsStep: exam attempts (submitted, scored; no answer rows) of the onboarding exam
// by everyone and of the etiquette exam by front-line staff, about scale.Attempts in
// all; a new hire's first onboarding attempt comes within about six weeks of the hire
// date; the first passed etiquette attempt issues a certificate valid 24 months. One
// employee in examDayCohort has sat no exam yet: the cohort (2,500 at full scale) is
// who cmd/examload's province-wide exam day takes, since it seats only employees
// without an attempt.
func (p *province) attemptsStep() (int, error) {
	var exams []models.Exam
	if err := p.db.Where("status = ? AND kind IN ?", models.ExamPublished, []string{models.ExamOnboarding, models.ExamEtiquette}).Order("id").Find(&exams).Error; err != nil {
		return 0, err
	}
	byKind := map[string]models.Exam{}
	for _, x := range exams {
		if _, ok := byKind[x.Kind]; !ok {
			byKind[x.Kind] = x
		}
	}
	if len(byKind) < 2 || len(p.staff) == 0 {
		return 0, nil
	}
	rng := p.rng(5)
	// Each employee outside the cohort makes 0…2×per attempts, per on average.
	per := float64(p.scale.Attempts) / float64(len(p.staff)-len(p.staff)/examDayCohort)
	var attempts []models.Attempt
	for k, e := range p.staff {
		if k%examDayCohort == examDayCohort-1 {
			continue
		}
		frontline := e.Position == models.PositionWindow || e.Position == models.PositionInstaller || e.Position == models.PositionMarketing
		lv := p.levelOf(e.OrgUnitID)
		n := int(2*per*rng.Float64() + 0.5)
		number := map[uint]int{}
		for i := range n {
			x := byKind[models.ExamOnboarding]
			if frontline && i%3 != 1 {
				x = byKind[models.ExamEtiquette]
			}
			at := p.at(rng, p.hired(e))
			if x.Kind == models.ExamOnboarding && number[x.ID] == 0 && p.hired(e).After(p.start) {
				at = p.hired(e).Add(time.Duration(rng.IntN(42*24)) * time.Hour)
				if at.After(p.now) {
					continue
				}
			}
			number[x.ID]++
			points := 40 + rng.IntN(45) + int(15*lv)
			sub := at
			attempts = append(attempts, models.Attempt{ExamID: x.ID, EmployeeID: e.ID, Number: number[x.ID], Status: models.AttemptSubmitted,
				StartedAt: at.Add(-30 * time.Minute), Deadline: at.Add(15 * time.Minute), SubmittedAt: &sub, Points: points, MaxPoints: 100,
				Passed: points >= x.PassPercent})
		}
	}
	if err := insert(p, attempts, provinceBatch); err != nil {
		return 0, err
	}
	seen := map[uint]bool{}
	var certs []models.Certificate
	for i := range attempts {
		a := &attempts[i]
		if a.ExamID != byKind[models.ExamEtiquette].ID || !a.Passed || seen[a.EmployeeID] {
			continue
		}
		seen[a.EmployeeID] = true
		c := models.Certificate{Number: fmt.Sprintf("LY-P-%07d", len(certs)+1), Code: fmt.Sprintf("prov%012d", len(certs)+1), EmployeeID: a.EmployeeID,
			AttemptID: a.ID, ExamID: a.ExamID, Kind: models.ExamEtiquette, IssuedAt: *a.SubmittedAt, ExpiresAt: a.SubmittedAt.AddDate(0, 24, 0)}
		if rng.IntN(33) == 0 {
			r := p.at(rng, c.IssuedAt)
			c.RevokedAt, c.RevokedReason = &r, "复核发现违规"
		}
		certs = append(certs, c)
	}
	if err := insert(p, certs, provinceBatch); err != nil {
		return 0, err
	}
	p.n.Attempts, p.n.Certificates = len(attempts), len(certs)
	return len(attempts) + len(certs), nil
}

// examDayCohort: one employee in this many is kept free of attempts for exam day.
const examDayCohort = 8

// provinceBatch is the rows of one INSERT. The pure-Go SQLite driver binds a statement's
// parameters in time that grows with the square of their number: with 1,000-row batches
// the generator spent three quarters of its time binding, with 100-row ones two fifths;
// 40 rows is about as fast on SQLite as it gets, and MariaDB does not mind.
const provinceBatch = 40

// provinceChunk is how many inspections one transaction writes with their rows.
const provinceChunk = 1000

// inspectionsStep: scale.Inspections submitted inspections at the outlets, spread over
// the year, answered with each county's own failure rate (0.2–1 % of the items, so
// about one finding in ten inspections); every failed item is a finding with its
// rectification, in the state its age gives it.
func (p *province) inspectionsStep() (int, error) {
	if err := p.extendHallTemplate(); err != nil {
		return 0, err
	}
	var tpls []models.ChecklistTemplate
	if err := p.db.Where("status = ?", models.TemplatePublished).Order("id").Find(&tpls).Error; err != nil {
		return 0, err
	}
	inspectors, err := p.inspectors()
	if err != nil {
		return 0, err
	}
	if len(tpls) == 0 || len(p.outlets) == 0 {
		return 0, nil
	}
	// Most patrols use the hall checklist; the others share the rest.
	hallFirst := func(t models.ChecklistTemplate) int {
		if t.Code == "HALL-SERVICE" {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(tpls, func(a, b models.ChecklistTemplate) int { return cmp.Compare(hallFirst(a), hallFirst(b)) })
	snaps := make([][]models.InspectionItem, len(tpls))
	for i := range tpls {
		snaps[i] = inspections.Snapshot(&tpls[i])
	}
	rng := p.rng(6)
	written := 0
	for done := 0; done < p.scale.Inspections; done += provinceChunk {
		n := min(provinceChunk, p.scale.Inspections-done)
		ins := make([]models.Inspection, n)
		answers := make([][]models.InspectionItem, n)
		for i := range ins {
			outlet := p.outlets[rng.IntN(len(p.outlets))]
			t := 0
			if len(tpls) > 1 && rng.IntN(6) == 0 {
				t = 1 + rng.IntN(len(tpls)-1)
			}
			at := p.at(rng, p.start)
			items := append([]models.InspectionItem(nil), snaps[t]...)
			failRate := 0.010 - 0.008*p.levelOf(outlet.ID)
			for k := range items {
				it := &items[k]
				it.Rev, it.AnsweredAt = 1, &at
				switch {
				case !it.Required && !it.Critical && rng.IntN(30) == 0:
					it.Outcome = models.OutcomeNA
				case it.Response == models.ResponseScore:
					pts := it.MaxScore
					if rng.Float64() < failRate*3 {
						pts = rng.IntN(it.MaxScore + 1)
					}
					it.Outcome, it.Points = models.OutcomePass, &pts
					if inspections.ItemFailed(it) {
						it.Outcome = models.OutcomeFail
					}
				case rng.Float64() < failRate:
					zero := 0
					it.Outcome, it.Points = models.OutcomeFail, &zero
				default:
					one := 1
					it.Outcome, it.Points = models.OutcomePass, &one
				}
				if it.Outcome == models.OutcomeFail {
					it.Note = "现场检查不符合要求"
				}
			}
			s := inspections.Score(items, tpls[t].PassMark)
			sub := at.Add(25 * time.Minute)
			if sub.After(p.now) {
				sub = p.now.Add(-time.Minute)
			}
			ins[i] = models.Inspection{ClientID: fmt.Sprintf("province-%d-%d", p.seed, done+i), RequestHash: "province", InspectorID: inspectors[p.cityOf(outlet.ID)],
				TemplateID: tpls[t].ID, OrgUnitID: outlet.ID, Status: models.InspectionSubmitted, StartedAt: at, SubmittedAt: &sub,
				Confirmation: "本人确认以上检查结果属实", Earned: s.Earned, Possible: s.Possible, Score: s.Score, Result: s.Result, CriticalFailed: s.CriticalFailed,
				CreatedAt: at, UpdatedAt: sub}
			answers[i] = items
		}
		err := p.db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Omit(clause.Associations).CreateInBatches(&ins, provinceBatch).Error; err != nil {
				return err
			}
			var items []models.InspectionItem
			for i := range ins {
				for _, it := range answers[i] {
					it.InspectionID = ins[i].ID
					items = append(items, it)
				}
			}
			if err := tx.CreateInBatches(&items, provinceBatch).Error; err != nil {
				return err
			}
			p.n.Items += len(items)
			return p.findings(tx, rng, ins, items)
		})
		if err != nil {
			return written, err
		}
		written += n
	}
	p.n.Inspections = written
	return written + p.n.Items + p.n.Findings + p.n.Rectifications, nil
}

// extendHallTemplate publishes, as of the generated year's start, a second version of
// the hall checklist that also covers the home visits the hall dispatches (its sections
// renumbered 六、七、…), and retires the first: the province's full patrol, about 26
// items, which makes the year's item rows about 1.2 million.
func (p *province) extendHallTemplate() error {
	var hall, home models.ChecklistTemplate
	if err := p.db.Where("code = ? AND status = ?", "HALL-SERVICE", models.TemplatePublished).First(&hall).Error; err != nil {
		return ignoreMissing(err)
	}
	if err := p.db.Where("code = ? AND status = ?", "HOME-VISIT", models.TemplatePublished).First(&home).Error; err != nil {
		return ignoreMissing(err)
	}
	numerals := []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	v2 := models.ChecklistTemplate{Code: hall.Code, Version: hall.Version + 1, Title: hall.Title + "（含上门服务）",
		Description: hall.Description + " 第二版增加营业厅派出的上门服务。", Status: models.TemplatePublished, PassMark: hall.PassMark,
		PublishedAt: &p.start, CreatedAt: p.start, UpdatedAt: p.start}
	v2.Sections = append(v2.Sections, hall.Sections...)
	for i, sec := range home.Sections {
		n := len(hall.Sections) + i + 1
		if n > len(numerals) {
			break
		}
		_, title, _ := strings.Cut(sec.Title, "、")
		sec.Title = numerals[n-1] + "、" + title
		sec.Items = append([]models.ChecklistItem(nil), sec.Items...)
		for k := range sec.Items {
			sec.Items[k].Key = fmt.Sprintf("%d.%d", n, k+1)
		}
		v2.Sections = append(v2.Sections, sec)
	}
	return p.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&hall).Updates(map[string]any{"status": models.TemplateRetired, "retired_at": p.start}).Error; err != nil {
			return err
		}
		return tx.Omit(clause.Associations).Create(&v2).Error
	})
}

// ignoreMissing is nil for a record not found: the generator does without it.
func ignoreMissing(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	return err
}

// inspectors makes one inspector per city company (a login that cannot sign in: no
// password) and returns their ids by city.
func (p *province) inspectors() (map[uint]uint, error) {
	out := map[uint]uint{}
	err := p.db.Transaction(func(tx *gorm.DB) error {
		for _, u := range p.units {
			if u.Level != models.LevelCity {
				continue
			}
			user := &models.User{Username: "province-inspector-" + u.Code, DisplayName: "督导员（" + u.Name + "）", PasswordHash: "!", PasswordChangedAt: p.now}
			if err := tx.Omit(clause.Associations).Create(user).Error; err != nil {
				return err
			}
			if err := tx.Omit(clause.Associations).Create(&models.Grant{UserID: user.ID, Role: models.RoleInspector, OrgUnitID: u.ID}).Error; err != nil {
				return err
			}
			out[u.ID] = user.ID
		}
		return nil
	})
	return out, err
}

// cityOf is the city company above unit id.
func (p *province) cityOf(id uint) uint {
	for _, a := range models.PathIDs(p.byID[id].Path) {
		if p.byID[a].Level == models.LevelCity {
			return a
		}
	}
	return 0
}

// findings makes a finding and a rectification of every failed item of the chunk.
func (p *province) findings(tx *gorm.DB, rng *rand.Rand, ins []models.Inspection, items []models.InspectionItem) error {
	byID := make(map[uint]*models.Inspection, len(ins))
	for i := range ins {
		byID[ins[i].ID] = &ins[i]
	}
	var fs []models.Finding
	for _, it := range items {
		if it.Outcome != models.OutcomeFail {
			continue
		}
		in := byID[it.InspectionID]
		fs = append(fs, models.Finding{InspectionID: in.ID, InspectionItemID: it.ID, OrgUnitID: in.OrgUnitID, ItemKey: it.Key, RuleRef: it.RuleRef,
			Text: it.Text, Note: it.Note, Critical: it.Critical, FoundAt: *in.SubmittedAt})
	}
	if len(fs) == 0 {
		return nil
	}
	// A few findings were voided: their rectifications are cancelled.
	for i := range fs {
		if rng.IntN(20) == 0 {
			v := fs[i].FoundAt.Add(24 * time.Hour)
			fs[i].VoidedAt, fs[i].VoidReason = &v, "复核后撤销"
		}
	}
	if err := tx.Omit(clause.Associations).CreateInBatches(&fs, provinceBatch).Error; err != nil {
		return err
	}
	rects := make([]models.Rectification, len(fs))
	for i, f := range fs {
		due := p.policy.DueOn(models.DateOf(f.FoundAt.In(p.loc)), f.Critical)
		r := models.Rectification{FindingID: f.ID, OrgUnitID: f.OrgUnitID, AssigneeUnitID: p.county[f.OrgUnitID].ID, Critical: f.Critical,
			Status: models.RectOpen, DueOn: due, Revision: 1, CreatedAt: f.FoundAt, UpdatedAt: f.FoundAt}
		dueEnd := time.Date(due.Year, due.Month, due.Day, 0, 0, 0, 0, p.loc).AddDate(0, 0, 1)
		// Late answers are likelier in weaker branches.
		answered := f.FoundAt.Add(time.Duration(float64(dueEnd.Sub(f.FoundAt)) * (0.2 + 1.2*rng.Float64()*(1.2-p.levelOf(f.OrgUnitID)))))
		switch r2 := rng.IntN(100); {
		case f.VoidedAt != nil:
			r.Status = models.RectCancelled
		case r2 < 4:
			r.Status, r.WaiverReason = models.RectWaived, "门店装修停业，免于整改"
		case answered.After(p.now):
			// still open
		case r2 < 88:
			verified := answered.Add(time.Duration(24+rng.IntN(72)) * time.Hour)
			r.SubmittedAt, r.EvidenceText = &answered, "已整改并上传照片"
			if verified.Before(p.now) {
				r.Status, r.VerifiedAt = models.RectVerified, &verified
			} else {
				r.Status = models.RectSubmitted
			}
		}
		rects[i] = r
	}
	if err := tx.Omit(clause.Associations).CreateInBatches(&rects, provinceBatch).Error; err != nil {
		return err
	}
	p.n.Findings += len(fs)
	p.n.Rectifications += len(rects)
	return nil
}

// casesStep: a decided case for about one critical finding in four, its person a member
// of the outlet's staff, the outcome by the branch's level.
func (p *province) casesStep() (int, error) {
	var fs []models.Finding
	if err := p.db.Where("critical = ? AND voided_at IS NULL", true).Order("id").Find(&fs).Error; err != nil {
		return 0, err
	}
	rng := p.rng(7)
	outcomes := []struct{ severity, outcome string }{{models.SeverityMinor, models.OutcomeWarning}, {models.SeveritySerious, models.OutcomeNoAwards},
		{models.SeverityVerySerious, models.OutcomeCirculated}, {models.SeverityVerySerious, models.OutcomePenalty}}
	n := 0
	err := p.db.Transaction(func(tx *gorm.DB) error {
		for _, f := range fs {
			staff := p.byUnit[f.OrgUnitID]
			if len(staff) == 0 {
				staff = p.byUnit[p.county[f.OrgUnitID].ID]
			}
			if rng.IntN(4) != 0 || len(staff) == 0 {
				continue
			}
			opened := f.FoundAt.Add(48 * time.Hour)
			decided := opened.Add(time.Duration(5+rng.IntN(10)) * 24 * time.Hour)
			if !decided.Before(p.now) {
				continue
			}
			heard := opened.Add(24 * time.Hour)
			o := outcomes[rng.IntN(len(outcomes))]
			by := uint(1)
			person := models.CasePerson{EmployeeID: p.staff[staff[rng.IntN(len(staff))]].ID, Statement: "本人无异议。", StatementAt: &heard, StatementBy: &by,
				Severity: o.severity, Outcome: o.outcome, DecidedAt: &decided, DecidedBy: &by,
				Aggravating: models.JSONList[models.Factor]{}, Mitigating: models.JSONList[models.Factor]{}}
			c := &models.AccountabilityCase{Title: demoCaseTitle(f), OrgUnitID: f.OrgUnitID, Source: models.CaseFromFinding, Summary: f.Text,
				Grounds: models.JSONList[string]{models.GroundServiceRules}, Status: models.CaseDecided, OpenedBy: by, OpenedAt: opened,
				StatementDueOn: p.policy.StatementDueOn(models.DateOf(opened.In(p.loc))), CreatedAt: opened, UpdatedAt: decided}
			if err := models.InsertCase(tx, c, opened.In(p.loc).Year(), []uint{f.ID}, []models.CasePerson{person}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	p.n.Cases = n
	return n, err
}

// metricsStep: twelve complete months of service metrics per county (DemoMetrics).
func (p *province) metricsStep() (int, error) {
	rows := DemoMetrics(p.units, p.now)
	p.n.Metrics = len(rows)
	return len(rows), insert(p, rows, provinceBatch)
}

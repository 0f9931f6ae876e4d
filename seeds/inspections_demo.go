package seeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"quality/inspections"
	"quality/models"
	"quality/photos"
	"quality/policy"
	"quality/rectifications"
	"quality/storage"
)

// The demo supervision data (issue 4, point 10): a year of inspections in every county
// branch with outlets, with scores that differ from branch to branch and some critical
// failures; the findings they made and rectifications in every state with their
// timelines; patrol plans with done, missed and pending visits; and accountability
// cases in every stage. Everything is inserted directly (not through the services, which
// would take a transaction per answer) but built with the same rules: the snapshot of
// the template, inspections.Score, the policy's due dates; the rectifications' moves go
// through the rectifications service (its Record methods, at the history's times), in
// the loader's one transaction.

// demoInspectionMonths is how far back the demo inspections go.
const demoInspectionMonths = 12

// demoSupervision is what the loader needs of the database.
type demoSupervision struct {
	now       time.Time
	loc       *time.Location
	policy    policy.Policy
	templates []models.ChecklistTemplate
	// counties with outlets, and the outlets of each.
	counties []models.OrgUnit
	outlets  map[uint][]models.OrgUnit
	// inspector of each city (the demo inspector for 南昌, the provincial one elsewhere),
	// and the branch managers' user ids by county.
	cityInspector map[uint]uint
	provincial    uint
	usernames     map[uint]string // of the demo inspectors, by user id
	photo         photos.File
	// rects writes the rectifications' history, in the loader's transaction.
	rects *rectifications.Service
}

// LoadDemoSupervision loads the demo supervision data unless inspections exist. Photos
// are stored in files. Given unit code prefixes, only the county branches they name
// get inspections (tests that need a few; the demo takes all). It returns the number of
// inspections.
func LoadDemoSupervision(ctx context.Context, db *gorm.DB, files storage.Store, now time.Time, prefixes ...string) (int, error) {
	var have int64
	if err := db.WithContext(ctx).Model(&models.Inspection{}).Count(&have).Error; err != nil || have > 0 {
		return 0, err
	}
	d, err := newDemoSupervision(ctx, db, files, now, prefixes)
	if err != nil || len(d.templates) == 0 || len(d.counties) == 0 {
		return 0, err
	}
	n := 0
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if n, err = d.inspections(ctx, tx); err != nil {
			return err
		}
		if err := d.patrols(ctx, tx); err != nil {
			return err
		}
		return d.cases(ctx, tx)
	})
	return n, err
}

func newDemoSupervision(ctx context.Context, db *gorm.DB, files storage.Store, now time.Time, prefixes []string) (*demoSupervision, error) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	pol := policy.NewService(db)
	d := &demoSupervision{now: now.UTC().Truncate(time.Second), loc: loc, outlets: map[uint][]models.OrgUnit{}, cityInspector: map[uint]uint{},
		usernames: map[uint]string{}, rects: rectifications.New(db, files, pol, loc)}
	if d.policy, err = pol.Load(ctx); err != nil {
		return nil, err
	}
	if err := db.WithContext(ctx).Where("status = ?", models.TemplatePublished).Order("id").Find(&d.templates).Error; err != nil {
		return nil, err
	}
	units, err := models.OrgUnitsInScope(ctx, db, models.ScopeAll)
	if err != nil {
		return nil, err
	}
	byID := make(map[uint]models.OrgUnit, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	for _, u := range units {
		if u.Level != models.LevelOutlet || u.ParentID == nil {
			continue
		}
		if p := byID[*u.ParentID]; p.Level == models.LevelCounty {
			d.outlets[p.ID] = append(d.outlets[p.ID], u)
		}
	}
	for _, u := range units {
		named := len(prefixes) == 0 || slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(u.Code, p) })
		if u.Level == models.LevelCounty && len(d.outlets[u.ID]) > 0 && named {
			d.counties = append(d.counties, u)
		}
	}
	for _, du := range DemoUsers {
		if du.Role != models.RoleInspector {
			continue
		}
		user, err := models.GetUserByUsername(ctx, db, du.Username)
		if errors.Is(err, models.ErrNotFound) {
			continue // a demo database made before this user existed
		} else if err != nil {
			return nil, fmt.Errorf("demo inspector %s: %w", du.Username, err)
		}
		d.usernames[user.ID] = user.Username
		for _, u := range units {
			switch {
			case u.Code == du.UnitCode && u.Level == models.LevelCity:
				d.cityInspector[u.ID] = user.ID
			case u.Code == du.UnitCode && u.Level == models.LevelProvince:
				d.provincial = user.ID
			}
		}
	}
	if d.provincial == 0 {
		for _, id := range d.cityInspector {
			d.provincial = id
		}
	}
	if d.provincial == 0 {
		d.counties = nil // no demo inspector: nothing to load
		return d, nil
	}
	if d.photo, err = demoPhoto(ctx, files, d.policy.PhotoMaxBytes); err != nil {
		return nil, err
	}
	return d, nil
}

// demoPhoto stores the one small picture every demo photo row points to.
func demoPhoto(ctx context.Context, files storage.Store, max int64) (photos.File, error) {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{uint8(180 + x), uint8(60 + y), 40, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return photos.File{}, err
	}
	return photos.Store{Files: files}.Put(ctx, &b, max)
}

// inspectorOf is who inspects outlets of county: the city's inspector if it has one.
func (d *demoSupervision) inspectorOf(county models.OrgUnit) uint {
	if county.ParentID != nil {
		if id, ok := d.cityInspector[*county.ParentID]; ok {
			return id
		}
	}
	return d.provincial
}

// local is the date of t in the company's zone.
func (d *demoSupervision) local(t time.Time) models.Date { return models.DateOf(t.In(d.loc)) }

// demoPerQuarter is the fewest scored inspections a county branch gets in each quarter
// the demo's year touches, so the demo's quarterly ranking has enough of a sample
// (样本不足 starts below 3); each gets up to demoPerQuarter+1.
const demoPerQuarter = 3

// inspections makes three or four inspections in every quarter of the last twelve
// months (the quarter in progress included, up to now) per county, each branch with its
// own quality, so the scores and the rankings differ.
func (d *demoSupervision) inspections(ctx context.Context, tx *gorm.DB) (int, error) {
	n := 0
	start := d.now.AddDate(0, -demoInspectionMonths, 0)
	for _, county := range d.counties {
		rng := rand.New(rand.NewPCG(20261127, uint64(county.ID)))
		quality := 0.78 + 0.2*rng.Float64() // chance an item passes
		for _, q := range d.quarters(start) {
			from, to := q[0], q[1]
			for range demoPerQuarter + rng.IntN(2) {
				at := from.Add(time.Duration(rng.Int64N(int64(to.Sub(from)))))
				outlets := d.outlets[county.ID]
				outlet := outlets[rng.IntN(len(outlets))]
				tpl := d.templates[0]
				if len(d.templates) > 1 && rng.IntN(5) == 0 {
					tpl = d.templates[1+rng.IntN(len(d.templates)-1)]
				}
				if _, err := d.inspection(ctx, tx, rng, tpl, outlet, county, d.inspectorOf(county), at, quality, nil); err != nil {
					return n, err
				}
				n++
			}
		}
	}
	return n, nil
}

// quarters are the spans [from, to) of the calendar quarters (in the company's zone)
// from start until now, each cut to that window and ending an hour before its end or
// before now, so that a submission a few minutes after the start stays inside.
func (d *demoSupervision) quarters(start time.Time) [][2]time.Time {
	l := start.In(d.loc)
	q := time.Date(l.Year(), time.Month((int(l.Month())-1)/3*3+1), 1, 0, 0, 0, 0, d.loc)
	var out [][2]time.Time
	for ; q.Before(d.now); q = q.AddDate(0, 3, 0) {
		from, to := q, q.AddDate(0, 3, 0).Add(-time.Hour)
		if from.Before(start) {
			from = start
		}
		if to.After(d.now.Add(-time.Hour)) {
			to = d.now.Add(-time.Hour)
		}
		if to.After(from) {
			out = append(out, [2]time.Time{from.UTC(), to.UTC()})
		}
	}
	return out
}

// inspection inserts one submitted inspection of outlet at the time at, its answers,
// photos of failed items, and its findings and rectifications.
func (d *demoSupervision) inspection(ctx context.Context, tx *gorm.DB, rng *rand.Rand, tpl models.ChecklistTemplate, outlet, county models.OrgUnit,
	inspector uint, at time.Time, quality float64, stop *models.PatrolStop) (*models.Inspection, error) {
	items := inspections.Snapshot(&tpl)
	for i := range items {
		it := &items[i]
		answered := at.Add(time.Duration(i+1) * time.Minute)
		it.AnsweredAt, it.Rev = &answered, 1
		pass := rng.Float64() < quality
		if it.Critical {
			pass = rng.Float64() < 0.97
		}
		switch {
		case !it.Required && !it.Critical && rng.IntN(20) == 0:
			it.Outcome = models.OutcomeNA
		case it.Response == models.ResponseScore:
			p := it.MaxScore
			if !pass {
				p = rng.IntN(max(1, it.MaxScore))
			}
			it.Outcome, it.Points = models.OutcomePass, &p
			if inspections.ItemFailed(it) {
				it.Outcome = models.OutcomeFail
			}
		case pass:
			one := 1
			it.Outcome, it.Points = models.OutcomePass, &one
		default:
			zero := 0
			it.Outcome, it.Points = models.OutcomeFail, &zero
		}
		if it.Outcome == models.OutcomeFail {
			it.Note = demoFindingNote(it, rng)
		}
	}
	s := inspections.Score(items, tpl.PassMark)
	submitted := at.Add(time.Duration(len(items)+3) * time.Minute)
	lat, lng := outlet.Lat, outlet.Lng
	dist := 0
	if lat != nil {
		dist = 20 + rng.IntN(120)
	}
	ins := &models.Inspection{
		ClientID: fmt.Sprintf("demo-%d-%d", outlet.ID, at.Unix()), RequestHash: "demo", InspectorID: inspector,
		TemplateID: tpl.ID, OrgUnitID: outlet.ID, Status: models.InspectionSubmitted, StartedAt: at, SubmittedAt: &submitted,
		Lat: lat, Lng: lng, Confirmation: "本人确认以上检查结果属实", Earned: s.Earned, Possible: s.Possible, Score: s.Score,
		Result: s.Result, CriticalFailed: s.CriticalFailed, CreatedAt: at, UpdatedAt: submitted,
	}
	if lat != nil {
		ins.DistanceM = &dist
	}
	if stop != nil {
		ins.PatrolStopID = &stop.ID
	}
	if err := tx.Omit("Inspector", "Template", "OrgUnit").Create(ins).Error; err != nil {
		return nil, fmt.Errorf("demo inspection: %w", err)
	}
	for i := range items {
		items[i].InspectionID = ins.ID
	}
	if err := tx.CreateInBatches(items, 200).Error; err != nil {
		return nil, fmt.Errorf("demo inspection items: %w", err)
	}
	events := []*models.AuditEvent{models.NewAuditEvent(models.SystemActor, "seed", "inspection", ins.ID,
		map[string]any{"org_unit_id": outlet.ID, "template_id": tpl.ID, "score": ins.Score, "result": ins.Result})}
	for i := range items {
		if items[i].Outcome == models.OutcomeFail {
			if err := d.finding(ctx, tx, rng, ins, &items[i], county, submitted); err != nil {
				return nil, err
			}
		}
	}
	if stop != nil {
		if err := tx.Model(stop).Update("inspection_id", ins.ID).Error; err != nil {
			return nil, err
		}
	}
	return ins, models.AuditMany(tx, events)
}

// demoNotes are what an inspector writes beside a failed item.
var demoNotes = []string{"现场检查不符合要求", "经现场提醒仍未做到", "部分做到，仍有缺项", "抽查时未做到"}

func demoFindingNote(it *models.InspectionItem, rng *rand.Rand) string {
	note := demoNotes[rng.IntN(len(demoNotes))] + "：" + it.Text
	if it.RuleRef != "" {
		note += "（" + it.RuleRef + "）"
	}
	return note
}

// finding inserts the finding of a failed item and its rectification, whose state
// depends on its age: old ones are mostly verified, some waived or still open (and so
// overdue); recent ones open or submitted; one in seven submitted ones was rejected once.
func (d *demoSupervision) finding(ctx context.Context, tx *gorm.DB, rng *rand.Rand, ins *models.Inspection, it *models.InspectionItem,
	county models.OrgUnit, found time.Time) error {
	f := &models.Finding{InspectionID: ins.ID, InspectionItemID: it.ID, OrgUnitID: ins.OrgUnitID, ItemKey: it.Key, RuleRef: it.RuleRef,
		Text: it.Text, Note: it.Note, Critical: it.Critical, FoundAt: found, CreatedAt: found}
	if err := tx.Omit("Inspection", "InspectionItem", "OrgUnit").Create(f).Error; err != nil {
		return fmt.Errorf("demo finding: %w", err)
	}
	if err := d.itemPhoto(tx, it.ID, ins.OrgUnitID, ins.InspectorID, found); err != nil {
		return err
	}
	r := &models.Rectification{FindingID: f.ID, OrgUnitID: ins.OrgUnitID, AssigneeUnitID: county.ID, Critical: it.Critical,
		DueOn: d.policy.DueOn(d.local(found), it.Critical), CreatedAt: found, UpdatedAt: found}
	inspector := models.Actor{UserID: ins.InspectorID, Username: d.usernames[ins.InspectorID]}
	if err := d.rects.Open(tx, r, inspector, found); err != nil {
		return err
	}
	age := d.now.Sub(found)
	roll := rng.IntN(100)
	manager := models.Actor{Username: county.Name + "经理"}
	reviewer := models.Actor{UserID: d.provincial, Username: d.usernames[d.provincial]}
	switch {
	case age > 20*24*time.Hour && roll < 6:
		return d.rects.RecordWaiver(tx, r, "门店已撤并，无需整改", reviewer, found.Add(48*time.Hour))
	case age > 20*24*time.Hour && roll < 16, age <= 20*24*time.Hour && roll < 45:
		return nil // still open: overdue once past its due date
	}
	submitted := found.Add(time.Duration(1+rng.IntN(4)) * 24 * time.Hour)
	if submitted.After(d.now) {
		return nil
	}
	if err := d.evidence(tx, r, submitted, manager); err != nil {
		return err
	}
	if roll%7 == 0 && submitted.Add(24*time.Hour).Before(d.now) {
		if err := d.rects.RecordRejection(tx, r, "整改照片未体现公示内容，请补充", reviewer, submitted.Add(24*time.Hour)); err != nil {
			return err
		}
		submitted = submitted.Add(48 * time.Hour)
		if submitted.After(d.now) {
			return nil
		}
		if err := d.evidence(tx, r, submitted, manager); err != nil {
			return err
		}
	}
	verified := submitted.Add(time.Duration(1+rng.IntN(3)) * 24 * time.Hour)
	if verified.After(d.now) || age <= 20*24*time.Hour && roll < 70 {
		return nil // waiting for verification
	}
	return d.rects.RecordVerification(tx, r, "复查确认已整改", reviewer, verified)
}

// evidence moves r to submitted at the time at with a text and a photo.
func (d *demoSupervision) evidence(tx *gorm.DB, r *models.Rectification, at time.Time, manager models.Actor) error {
	if err := d.rectificationPhoto(tx, r, at); err != nil {
		return err
	}
	return d.rects.RecordEvidence(tx, r, "已按要求整改，附整改后照片", manager, at)
}

func (d *demoSupervision) itemPhoto(tx *gorm.DB, itemID, unitID, by uint, at time.Time) error {
	p := d.photoRow(unitID, by, at)
	p.InspectionItemID = &itemID
	return tx.Create(p).Error
}

func (d *demoSupervision) rectificationPhoto(tx *gorm.DB, r *models.Rectification, at time.Time) error {
	p := d.photoRow(r.OrgUnitID, d.provincial, at)
	p.RectificationID = &r.ID
	return tx.Create(p).Error
}

func (d *demoSupervision) photoRow(unitID, by uint, at time.Time) *models.Photo {
	return &models.Photo{SHA256: d.photo.SHA256, Size: d.photo.Size, MIME: d.photo.MIME, Width: d.photo.Width, Height: d.photo.Height,
		OrgUnitID: unitID, CapturedAt: &at, UploadedBy: by, CreatedAt: at}
}

// patrols gives every city inspector a plan for the current month over their city's
// outlets (visits done, missed and still to come) and the provincial inspector one for
// the last quarter, mostly done.
func (d *demoSupervision) patrols(ctx context.Context, tx *gorm.DB) error {
	today := d.local(d.now).Time()
	monthStart := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	type planSpec struct {
		title     string
		inspector uint
		unit      uint
		from, to  time.Time
		counties  []models.OrgUnit
	}
	var specs []planSpec
	cities := map[uint][]models.OrgUnit{}
	for _, c := range d.counties {
		if c.ParentID != nil {
			cities[*c.ParentID] = append(cities[*c.ParentID], c)
		}
	}
	cityIDs := make([]uint, 0, len(d.cityInspector))
	for id := range d.cityInspector {
		cityIDs = append(cityIDs, id)
	}
	slices.Sort(cityIDs)
	for _, city := range cityIDs {
		specs = append(specs, planSpec{fmt.Sprintf("%d年%d月营业厅巡查", monthStart.Year(), monthStart.Month()), d.cityInspector[city], city,
			monthStart, monthStart.AddDate(0, 1, -1), cities[city]})
	}
	root := models.PathIDs(d.counties[0].Path)[0]
	qStart := monthStart.AddDate(0, -3, 0)
	specs = append(specs, planSpec{fmt.Sprintf("%d年第%d季度全省营业厅抽查", qStart.Year(), (int(qStart.Month())+2)/3), d.provincial, root,
		qStart, monthStart.AddDate(0, 0, -1), d.counties[:min(len(d.counties), 10)]})
	for pi, sp := range specs {
		rng := rand.New(rand.NewPCG(20261128, uint64(pi)))
		plan := &models.PatrolPlan{Title: sp.title, InspectorID: sp.inspector, OrgUnitID: sp.unit, TemplateCode: d.templates[0].Code,
			StartsOn: models.DateOf(sp.from), EndsOn: models.DateOf(sp.to), CreatedAt: sp.from, UpdatedAt: sp.from}
		if err := tx.Omit("Inspector", "OrgUnit").Create(plan).Error; err != nil {
			return fmt.Errorf("demo patrol plan: %w", err)
		}
		span := int(sp.to.Sub(sp.from).Hours()/24) + 1
		for si, county := range sp.counties {
			outlet := d.outlets[county.ID][0]
			due := sp.from.AddDate(0, 0, (si+1)*span/(len(sp.counties)+1))
			stop := &models.PatrolStop{PlanID: plan.ID, OrgUnitID: outlet.ID, DueOn: models.DateOf(due)}
			if err := tx.Omit("Plan", "OrgUnit").Create(stop).Error; err != nil {
				return fmt.Errorf("demo patrol stop: %w", err)
			}
			visit := due.Add(-time.Duration(rng.IntN(3*24)) * time.Hour).Add(10 * time.Hour)
			// Visits due before today are done, except every fourth, which is missed.
			if !visit.Before(d.now) || !due.Before(today) || si%4 == 3 {
				continue
			}
			if _, err := d.inspection(ctx, tx, rng, d.templates[0], outlet, county, sp.inspector, visit, 0.9, stop); err != nil {
				return err
			}
		}
		if err := models.Audit(tx, models.SystemActor, "seed", "patrol_plan", plan.ID, map[string]any{"title": plan.Title}); err != nil {
			return err
		}
	}
	return nil
}

// Stages of the demo cases.
const (
	caseDecided = iota // statement heard, decided
	caseWaiting        // opened yesterday: no statement yet, window open
	caseRepeat         // a complaint about the first case's person: decided, repeat act within a year
	caseLapsed         // opened twelve days ago, no statement: the window has passed
	caseHeard          // statement recorded, decision pending
)

// cases opens accountability cases from the earliest critical findings, one per stage
// above, so every step of R6.8 shows.
func (d *demoSupervision) cases(ctx context.Context, tx *gorm.DB) error {
	var findings []models.Finding
	staffed := tx.Model(&models.Employee{}).Select("org_unit_id").Where("status = ?", models.StatusActive)
	if err := tx.Where("critical = ? AND org_unit_id IN (?)", true, staffed).Order("found_at, id").Limit(5).Find(&findings).Error; err != nil {
		return err
	}
	opener := d.provincial
	var first *models.CasePerson
	var firstUnit uint
	var firstNumber string
	for i, f := range findings {
		stage := i
		c := &models.AccountabilityCase{Title: demoCaseTitle(f), OrgUnitID: f.OrgUnitID, Source: models.CaseFromFinding,
			Summary: "督导检查发现一票否决项不合格：" + f.Text, Grounds: models.JSONList[string]{models.GroundServiceRules}, Status: models.CaseOpen,
			OpenedBy: opener, OpenedAt: f.FoundAt.Add(48 * time.Hour)}
		switch stage {
		case caseWaiting:
			c.OpenedAt = d.now.Add(-24 * time.Hour)
		case caseLapsed:
			c.OpenedAt = d.now.Add(-12 * 24 * time.Hour)
		case caseHeard:
			c.OpenedAt = d.now.Add(-3 * 24 * time.Hour)
		case caseRepeat:
			if first == nil {
				continue
			}
			c.OrgUnitID, c.Source, c.ComplaintRef = firstUnit, models.CaseFromComplaint, "12345热线转办投诉"
			c.Title, c.Summary = "用户投诉营业员推诿、未履行首问责任", "用户来电投诉：办理业务时被要求到其他窗口排队，未获一次性告知所需材料（R2.1、R2.5）。"
			c.Grounds = models.JSONList[string]{models.GroundServiceRules, models.GroundDereliction}
			c.OpenedAt = first.DecidedAt.Add(60 * 24 * time.Hour)
		}
		if c.OpenedAt.After(d.now) {
			c.OpenedAt = d.now.Add(-time.Hour)
		}
		c.StatementDueOn = d.policy.StatementDueOn(d.local(c.OpenedAt))
		c.CreatedAt, c.UpdatedAt = c.OpenedAt, c.OpenedAt
		var staff models.Employee
		if err := tx.Where("org_unit_id = ? AND status = ?", c.OrgUnitID, models.StatusActive).Order("job_number").Take(&staff).Error; err != nil {
			continue // an outlet without staff in this demo
		}
		p := &models.CasePerson{EmployeeID: staff.ID}
		if stage == caseRepeat {
			p.EmployeeID = first.EmployeeID
		}
		heard := c.OpenedAt.Add(24 * time.Hour)
		decided := c.OpenedAt.Add(5 * 24 * time.Hour)
		switch stage {
		case caseDecided, caseRepeat, caseHeard:
			p.Statement, p.StatementAt, p.StatementBy = "本人承认当时未按规定执行，已向顾客道歉并完成整改。", &heard, &opener
		}
		switch stage {
		case caseDecided:
			p.Severity, p.Outcome, p.DecisionNote = models.SeverityMinor, models.OutcomeWarning, "情节轻微，已道歉并整改，给予警告。"
			p.Mitigating = models.JSONList[models.Factor]{{Code: models.MitApologised, Evidence: "回访时顾客表示谅解"}}
			p.DecidedAt, p.DecidedBy = &decided, &opener
		case caseRepeat:
			p.Severity, p.Outcome, p.DecisionNote = models.SeveritySerious, models.OutcomeNoAwards, "一年内第二次被问责，取消本年度评优评先资格。"
			p.Aggravating = models.JSONList[models.Factor]{{Code: models.AggRepeat, Evidence: firstNumber, Suggested: true}}
			p.DecidedAt, p.DecidedBy = &decided, &opener
		}
		if p.DecidedAt != nil {
			c.Status = models.CaseDecided
		}
		var findingIDs []uint
		if c.Source == models.CaseFromFinding {
			findingIDs = []uint{f.ID}
		}
		persons := []models.CasePerson{*p}
		if err := models.InsertCase(tx, c, c.OpenedAt.In(d.loc).Year(), findingIDs, persons); err != nil {
			return fmt.Errorf("demo case: %w", err)
		}
		p = &persons[0]
		if stage == caseDecided {
			first, firstUnit, firstNumber = p, c.OrgUnitID, c.Number
		}
		if err := models.Audit(tx, models.SystemActor, "seed", "case", c.ID, map[string]any{"number": c.Number}); err != nil {
			return err
		}
	}
	return d.recentDecisions(tx)
}

// demoRecentCases is how many decided cases the demo adds in its last half year, so
// the ranking's deductions show in recent periods.
const demoRecentCases = 16

// recentDecisions decides a case on each of the first critical findings of the last six
// months (after the staged ones), the outcome cycling through R6.5's.
func (d *demoSupervision) recentDecisions(tx *gorm.DB) error {
	var findings []models.Finding
	staffed := tx.Model(&models.Employee{}).Select("org_unit_id").Where("status = ?", models.StatusActive)
	if err := tx.Where("critical = ? AND found_at >= ? AND org_unit_id IN (?) AND id NOT IN (SELECT finding_id FROM case_findings)",
		true, d.now.AddDate(0, -6, 0), staffed).Order("found_at, id").Limit(demoRecentCases).Find(&findings).Error; err != nil {
		return err
	}
	outcomes := []struct{ severity, outcome string }{{models.SeverityMinor, models.OutcomeWarning}, {models.SeveritySerious, models.OutcomeNoAwards},
		{models.SeverityVerySerious, models.OutcomeCirculated}, {models.SeverityVerySerious, models.OutcomePenalty}}
	opener := d.provincial
	for i, f := range findings {
		opened := f.FoundAt.Add(48 * time.Hour)
		decided := opened.Add(5 * 24 * time.Hour)
		if !decided.Before(d.now) {
			continue
		}
		var staff models.Employee
		if err := tx.Where("org_unit_id = ? AND status = ?", f.OrgUnitID, models.StatusActive).Order("job_number").Take(&staff).Error; err != nil {
			continue
		}
		heard := opened.Add(24 * time.Hour)
		o := outcomes[i%len(outcomes)]
		p := models.CasePerson{EmployeeID: staff.ID, Statement: "本人对检查发现的问题无异议，已整改。", StatementAt: &heard, StatementBy: &opener,
			Severity: o.severity, Outcome: o.outcome, DecisionNote: "依据督导检查结果作出处理。", DecidedAt: &decided, DecidedBy: &opener}
		if o.outcome == models.OutcomePenalty {
			p.PenaltyCents = 20000
		}
		c := &models.AccountabilityCase{Title: demoCaseTitle(f), OrgUnitID: f.OrgUnitID, Source: models.CaseFromFinding,
			Summary: "督导检查发现一票否决项不合格：" + f.Text, Grounds: models.JSONList[string]{models.GroundServiceRules}, Status: models.CaseDecided,
			OpenedBy: opener, OpenedAt: opened, StatementDueOn: d.policy.StatementDueOn(d.local(opened)), CreatedAt: opened, UpdatedAt: decided}
		if err := models.InsertCase(tx, c, opened.In(d.loc).Year(), []uint{f.ID}, []models.CasePerson{p}); err != nil {
			return fmt.Errorf("demo case: %w", err)
		}
		if err := models.Audit(tx, models.SystemActor, "seed", "case", c.ID, map[string]any{"number": c.Number}); err != nil {
			return err
		}
	}
	return nil
}

func demoCaseTitle(f models.Finding) string {
	t := []rune(strings.TrimSpace(f.Text))
	if len(t) > 30 {
		t = append(t[:30], '…')
	}
	return "违反服务规范（" + f.RuleRef + "）：" + string(t)
}

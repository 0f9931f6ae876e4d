package exams_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
)

// t0 is the fake "now" every database test starts at (whole seconds, so both engines
// store it exactly).
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Job numbers of the demo staff the tests use.
const (
	clerk    = "360102-01001" // window clerk of 东湖区八一大道营业厅 (360102-01)
	clerk2   = "360102-01002" // another window clerk of the same outlet
	clerk3   = "360102-01003"
	manager  = "360102001" // manager of 东湖区 (360102), the outlet's county branch
	jiujiang = "360402001" // manager of 濂溪区 (360402, in 九江)
)

var trainer = models.Actor{Username: "trainer", RequestID: "test"}

// clock is the fake clock of a Service; parallel starts read it concurrently.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// fixture is a migrated database with the org tree and the demo staff of outlet
// 360102-01 and branch 360402 (plus the demo users' employees), and a Service on a
// fake clock with a fixed random source.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	db    *gorm.DB
	clock *clock
	svc   *exams.Service
	units map[string]models.OrgUnit
	emps  map[string]models.Employee
}

// fixtureData is what every fixture's database starts with, loaded once per engine and
// copied into each test's database.
var fixtureData = &dbtest.Fixture{Load: func(ctx context.Context, db *gorm.DB) error {
	if _, err := seeds.LoadBase(ctx, db); err != nil {
		return err
	}
	_, err := seeds.LoadDemoIn(ctx, db, "demo-pass-123", "360102-01", "360402")
	return err
}}

func TestMain(m *testing.M) {
	code := m.Run()
	fixtureData.Close()
	os.Exit(code)
}

func newFixture(t *testing.T, db *gorm.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	fixtureData.CopyInto(t, db)
	units, err := models.OrgUnitsByCode(ctx, db, models.ScopeAll)
	require.NoError(t, err)
	emps, err := models.EmployeesByJobNumber(ctx, db, []string{clerk, clerk2, clerk3, manager, jiujiang})
	require.NoError(t, err)
	require.Len(t, emps, 5)
	clk := &clock{now: t0}
	svc := &exams.Service{DB: db, Now: clk.Now, Grace: exams.DefaultGrace,
		Rand: func() *rand.Rand { return rand.New(rand.NewPCG(7, 11)) }}
	return &fixture{t: t, ctx: ctx, db: db, clock: clk, svc: svc, units: units, emps: emps}
}

// emp returns the id of the employee with job number, as Start and Save take it.
func (f *fixture) emp(job string) *uint {
	e, ok := f.emps[job]
	require.True(f.t, ok, "no employee %s", job)
	id := e.ID
	return &id
}

func (f *fixture) unit(code string) uint {
	u, ok := f.units[code]
	require.True(f.t, ok, "no unit %s", code)
	return u.ID
}

// as is the actor of an examinee.
func as(job string) models.Actor { return models.Actor{Username: job, RequestID: "test"} }

func (f *fixture) question(in exams.QuestionInput) *models.Question {
	f.t.Helper()
	q, err := f.svc.CreateQuestion(f.ctx, trainer, in)
	require.NoError(f.t, err)
	return q
}

// standardBank creates one question of each kind (codes S1, M1, T1, F1), all basics.
func (f *fixture) standardBank() map[string]*models.Question {
	f.t.Helper()
	return map[string]*models.Question{
		"S1": f.question(exams.QuestionInput{Code: "S1", Kind: models.KindSingle, Category: "basics", Difficulty: 1,
			Stem: "单选：服务热线是？", Options: []string{"110", "10000", "12345", "114"}, Answer: []int{1},
			Explanation: "服务热线为 10000。", Rule: "R1.2"}),
		"M1": f.question(exams.QuestionInput{Code: "M1", Kind: models.KindMultiple, Category: "basics", Difficulty: 2,
			Stem: "多选：营业厅应公示哪些？", Options: []string{"收费标准", "员工工资", "服务热线", "家庭住址"}, Answer: []int{0, 2},
			Explanation: "公示收费标准与服务热线。", Rule: "R1.3"}),
		"T1": f.question(exams.QuestionInput{Code: "T1", Kind: models.KindTrueFalse, Category: "basics", Difficulty: 1,
			Stem: "判断：营业员应微笑服务。", Options: []string{"正确", "错误"}, Answer: []int{0},
			Explanation: "应微笑服务。", Rule: "R2.1"}),
		"F1": f.question(exams.QuestionInput{Code: "F1", Kind: models.KindFill, Category: "basics", Difficulty: 3,
			Stem: "填空：城市故障____小时内修复。", Accepted: []string{"24"}, Explanation: "24 小时。", Rule: "R3.1"}),
	}
}

// singles creates n single-choice questions of a category with codes prefix1..prefixN.
func (f *fixture) singles(prefix, category string, difficulty, n int) []*models.Question {
	f.t.Helper()
	out := make([]*models.Question, n)
	for i := range out {
		code := prefix + strconv.Itoa(i+1)
		out[i] = f.question(exams.QuestionInput{Code: code, Kind: models.KindSingle, Category: category, Difficulty: difficulty,
			Stem: "题目 " + code, Options: []string{"甲", "乙", "丙", "丁"}, Answer: []int{i % 4}})
	}
	return out
}

// fixedInput is a draft of the standard bank's fixed paper, 10 points a question,
// open from an hour before t0 for a day, 30 minutes, pass at 60%.
func fixedInput() exams.ExamInput {
	return exams.ExamInput{Title: "服务规范考试", Kind: models.ExamGeneral,
		Fixed:            []models.FixedItem{{Code: "S1", Points: 10}, {Code: "M1", Points: 10}, {Code: "T1", Points: 10}, {Code: "F1", Points: 10}},
		TimeLimitMinutes: 30, OpensAt: t0.Add(-time.Hour), ClosesAt: t0.Add(24 * time.Hour), PassPercent: 60}
}

// exam creates and publishes an exam, checking the audit rows of both writes.
func (f *fixture) exam(in exams.ExamInput) *models.Exam {
	f.t.Helper()
	e, err := f.svc.CreateExam(f.ctx, trainer, in)
	require.NoError(f.t, err)
	e, err = f.svc.PublishExam(f.ctx, trainer, e.ID)
	require.NoError(f.t, err)
	require.Equal(f.t, models.ExamPublished, e.Status)
	require.EqualValues(f.t, 1, f.audits("create", "exam", e.ID))
	require.EqualValues(f.t, 1, f.audits("publish", "exam", e.ID))
	return e
}

// start starts or resumes job's attempt and requires success.
func (f *fixture) start(job string, examID uint) (*exams.AttemptView, bool) {
	f.t.Helper()
	v, created, err := f.svc.Start(f.ctx, as(job), f.emp(job), examID)
	require.NoError(f.t, err)
	return v, created
}

func (f *fixture) save(job string, attemptID, questionID uint, seq int64, choices []int, text string) error {
	_, err := f.svc.Save(f.ctx, as(job), f.emp(job), attemptID, questionID, exams.SaveInput{Choices: choices, Text: text, Seq: seq})
	return err
}

// audits counts the audit rows of one action on one record.
func (f *fixture) audits(action, entity string, id uint) int64 {
	f.t.Helper()
	var n int64
	require.NoError(f.t, f.db.Model(&models.AuditEvent{}).
		Where("action = ? AND entity = ? AND entity_id = ?", action, entity, strconv.FormatUint(uint64(id), 10)).Count(&n).Error)
	return n
}

func (f *fixture) attempt(id uint) models.Attempt {
	f.t.Helper()
	var a models.Attempt
	require.NoError(f.t, f.db.Where("id = ?", id).Take(&a).Error)
	return a
}

func (f *fixture) count(model any, where string, args ...any) int64 {
	f.t.Helper()
	var n int64
	require.NoError(f.t, f.db.Model(model).Where(where, args...).Count(&n).Error)
	return n
}

// byCode finds a question of a view by its code through the stored version.
func (f *fixture) byCode(v *exams.AttemptView) map[string]exams.PaperQuestion {
	f.t.Helper()
	out := map[string]exams.PaperQuestion{}
	for _, pq := range v.Questions {
		q, err := models.GetQuestion(f.ctx, f.db, pq.ID)
		require.NoError(f.t, err)
		out[q.Code] = pq
	}
	return out
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// jsonOf marshals v into a generic value, as a client would see it.
func jsonOf(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

package seeds

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gorm.io/gorm"

	"quality/accounts"
	"quality/models"
)

// DefaultDemoPassword is the demo users' password when QUALITY_DEMO_PASSWORD is unset.
const DefaultDemoPassword = "demo-2026"

// DemoUser is one demo login, one per role.
type DemoUser struct {
	Username, DisplayName, Role, UnitCode string
	// JobNumber links the user to a demo employee; empty for none.
	JobNumber string
}

// DemoUsers are the demo accounts `serve --demo` creates; the README lists them.
var DemoUsers = []DemoUser{
	{Username: "trainer", DisplayName: "培训师（省公司）", Role: models.RoleTrainer, UnitCode: "36", JobNumber: "36001"},
	{Username: "inspector", DisplayName: "督导员（南昌市分公司）", Role: models.RoleInspector, UnitCode: "3601", JobNumber: "3601001"},
	{Username: "manager", DisplayName: "东湖区分公司经理", Role: models.RoleManager, UnitCode: "360102", JobNumber: "360102001"},
	{Username: "employee", DisplayName: "东湖区营业员", Role: models.RoleEmployee, UnitCode: "360102-01", JobNumber: "360102-01001"},
	// A second inspector, for the whole province: verifies rectifications the first found.
	{Username: "inspector2", DisplayName: "督导员（省公司）", Role: models.RoleInspector, UnitCode: "36", JobNumber: "36002"},
}

// demoClock is the fixed "today" of the demo data, so it is the same on every machine.
var demoClock = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// LoadDemo adds the deterministic demo staff and one user per role, unless demo staff
// already exist. It returns the number of employees created.
func LoadDemo(ctx context.Context, db *gorm.DB, password string) (int, error) {
	return LoadDemoIn(ctx, db, password)
}

// LoadDemoIn is LoadDemo with staff only in the units whose code starts with one of
// prefixes (all units when none are given); the demo users' employees are always made.
// Tests use it to keep fixtures small.
func LoadDemoIn(ctx context.Context, db *gorm.DB, password string, prefixes ...string) (int, error) {
	if password == "" {
		password = DefaultDemoPassword
	}
	if _, err := models.GetUserByUsername(ctx, db, DemoUsers[0].Username); err == nil {
		return 0, nil
	}
	units, err := models.OrgUnitsInScope(ctx, db, models.ScopeAll)
	if err != nil {
		return 0, err
	}
	staff := DemoStaff(units)
	if len(prefixes) > 0 {
		staff = keepStaff(staff, units, prefixes)
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit("OrgUnit").CreateInBatches(staff, 500).Error; err != nil {
			return fmt.Errorf("demo staff: %w", err)
		}
		events := make([]*models.AuditEvent, len(staff))
		for i, e := range staff {
			events[i] = models.NewAuditEvent(models.SystemActor, "seed", "employee", e.ID, map[string]string{"job_number": e.JobNumber})
		}
		return models.AuditMany(tx, events)
	})
	if err != nil {
		return 0, err
	}
	byJob := make(map[string]uint, len(staff))
	for _, e := range staff {
		byJob[e.JobNumber] = e.ID
	}
	byCode := make(map[string]uint, len(units))
	for _, u := range units {
		byCode[u.Code] = u.ID
	}
	users := accounts.NewService(db, accounts.DefaultConfig)
	for _, du := range DemoUsers {
		in := accounts.UserInput{Username: du.Username, DisplayName: du.DisplayName, Password: password,
			Grants: []accounts.GrantInput{{Role: du.Role, OrgUnitID: byCode[du.UnitCode]}}}
		if id, ok := byJob[du.JobNumber]; ok {
			in.EmployeeID = &id
		}
		if _, err := users.CreateUser(ctx, models.SystemActor, models.ScopeAll, in); err != nil {
			return 0, fmt.Errorf("demo user %s: %w", du.Username, err)
		}
	}
	return len(staff), nil
}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力林斌波宇浩凯鹏飞鑫晨欣怡婷雪琳颖佳俊峰亮成志新春海燕蓉瑶晶琴云莉丹梅")
)

// DemoStaff builds the deterministic demo employees for the given units (units must be
// ordered parents first): city and county offices get managers, installers and others,
// business halls get window and marketing staff. The same units give the same staff.
func DemoStaff(units []models.OrgUnit) []*models.Employee {
	rng := rand.New(rand.NewPCG(20261126, 36))
	var out []*models.Employee
	add := func(u models.OrgUnit, seq int, position string) {
		e := &models.Employee{
			JobNumber: fmt.Sprintf("%s%03d", u.Code, seq),
			Name:      string(surnames[rng.IntN(len(surnames))]) + string(given[rng.IntN(len(given))]),
			OrgUnitID: u.ID, Position: position, Status: models.StatusActive,
			Phone: fmt.Sprintf("1%d%09d", 3+rng.IntN(7), rng.IntN(1_000_000_000)),
		}
		if rng.IntN(3) > 0 {
			e.Name += string(given[rng.IntN(len(given))])
		}
		switch r := rng.IntN(100); {
		case r < 4: // a few new hires of the last three months, for the onboarding plans
			e.HireDate = models.DateOf(demoClock.AddDate(0, 0, -rng.IntN(90)))
		default:
			e.HireDate = models.DateOf(demoClock.AddDate(-1-rng.IntN(20), -rng.IntN(12), -rng.IntN(28)))
		}
		if st := staffStatus(rng); st != "" {
			e.Status = st
		}
		out = append(out, e)
	}
	for _, u := range units {
		seq := 1
		next := func(position string, n int) {
			for range n {
				add(u, seq, position)
				seq++
			}
		}
		switch u.Level {
		case models.LevelProvince:
			next(models.PositionOther, 12)
			next(models.PositionManager, 6)
		case models.LevelCity:
			next(models.PositionOther, 6)
			next(models.PositionManager, 4)
			next(models.PositionInstaller, 6)
		case models.LevelCounty:
			// R3.1: maintenance staff in proportion to households (about 2,000 each in
			// county branches); the demo keeps a fraction of that to stay small.
			next(models.PositionManager, 2)
			next(models.PositionInstaller, 4+u.Households/8000)
			next(models.PositionOther, 1)
		case models.LevelOutlet:
			next(models.PositionWindow, 3+u.Households/20000)
			next(models.PositionMarketing, 1+u.Households/60000)
		}
	}
	// The demo users' employees must exist and be active whatever the dice said.
	for _, e := range out {
		for _, du := range DemoUsers {
			if e.JobNumber == du.JobNumber {
				e.Status = models.StatusActive
			}
		}
	}
	return out
}

// keepStaff keeps the staff of units whose code has one of prefixes, and the demo
// users' employees.
func keepStaff(staff []*models.Employee, units []models.OrgUnit, prefixes []string) []*models.Employee {
	code := make(map[uint]string, len(units))
	for _, u := range units {
		code[u.ID] = u.Code
	}
	keep := staff[:0]
	for _, e := range staff {
		ok := false
		for _, p := range prefixes {
			ok = ok || strings.HasPrefix(code[e.OrgUnitID], p)
		}
		for _, du := range DemoUsers {
			ok = ok || e.JobNumber == du.JobNumber
		}
		if ok {
			keep = append(keep, e)
		}
	}
	return keep
}

// staffStatus is a generated employee's status other than active — 2 in 100 have left,
// 3 in 100 are on leave — or "" for the rest, who keep the status they were made with.
func staffStatus(rng *rand.Rand) string {
	switch r := rng.IntN(100); {
	case r < 2:
		return models.StatusLeft
	case r < 5:
		return models.StatusOnLeave
	}
	return ""
}

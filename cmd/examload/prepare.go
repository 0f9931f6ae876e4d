package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"quality/accounts"
	"quality/models"
)

// examinee is one prepared account: a user linked to an active employee, with the role
// employee on the employee's unit.
type examinee struct {
	Username   string
	UserID     uint
	EmployeeID uint
}

// batch is the size of the inserts and of the IN lists.
const batch = 500

func openDB(ctx context.Context, dsn string) (*gorm.DB, error) {
	db, err := models.Open(ctx, dsn, models.OpenOptions{})
	if err != nil {
		return nil, fmt.Errorf("-db %s: %w", redact(dsn), err)
	}
	return db, nil
}

func usernames(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%04d", prefix, i+1)
	}
	return out
}

// prepare makes the N examinee accounts for exam that do not exist yet and returns all
// N, in user name order.
func prepare(ctx context.Context, db *gorm.DB, cfg config, exam *models.Exam) ([]examinee, error) {
	names := usernames(cfg.prefix, cfg.n)
	have, err := loadExaminees(ctx, db, names)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, name := range names {
		if _, ok := have[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		if err := createExaminees(ctx, db, cfg, exam, missing); err != nil {
			return nil, err
		}
		if have, err = loadExaminees(ctx, db, names); err != nil {
			return nil, err
		}
	}
	out := make([]examinee, 0, len(names))
	for _, name := range names {
		e, ok := have[name]
		if !ok {
			return nil, fmt.Errorf("examinee %s was not created", name)
		}
		out = append(out, e)
	}
	return out, nil
}

// loadExaminees returns the existing users among names that are linked to an employee.
func loadExaminees(ctx context.Context, db *gorm.DB, names []string) (map[string]examinee, error) {
	out := make(map[string]examinee, len(names))
	for lo := 0; lo < len(names); lo += batch {
		var users []models.User
		err := db.WithContext(ctx).Select("id", "username", "employee_id").
			Where("username IN ?", names[lo:min(lo+batch, len(names))]).Find(&users).Error
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if u.EmployeeID == nil {
				return nil, fmt.Errorf("user %s exists without an employee: choose another -prefix", u.Username)
			}
			out[u.Username] = examinee{Username: u.Username, UserID: u.ID, EmployeeID: *u.EmployeeID}
		}
	}
	return out, nil
}

// createExaminees links each missing user name to an active employee that has no
// account and no attempt yet (at any exam for the onboarding exam, at exam itself for
// the province exam), with a grant of role employee on the employee's unit.
func createExaminees(ctx context.Context, db *gorm.DB, cfg config, exam *models.Exam, missing []string) error {
	// The onboarding exam is a new hire's first exam, and most employees of the
	// province database have sat one already; the province exam is examload's own, so
	// attempts at other exams do not matter.
	attempted := db.Model(&models.Attempt{}).Select("employee_id")
	if cfg.exam == examProvince {
		attempted = attempted.Where("exam_id = ?", exam.ID)
	}
	var emps []models.Employee
	err := db.WithContext(ctx).Select("id", "org_unit_id", "name", "job_number").
		Where("status = ?", models.StatusActive).
		Where("id NOT IN (?)", db.Model(&models.User{}).Select("employee_id").Where("employee_id IS NOT NULL")).
		Where("id NOT IN (?)", attempted).
		Order("id").Limit(len(missing)).Find(&emps).Error
	if err != nil {
		return err
	}
	if len(emps) < len(missing) {
		hint := "lower -n, sit -exam province (which takes employees who have sat other exams), or load the demo staff (`quality serve --demo`)"
		if cfg.exam == examProvince {
			hint = "lower -n, or load more staff (`quality seed --scale province`)"
		}
		return fmt.Errorf("only %d active employees without an account or an attempt at exam %d are left for %d examinees: %s",
			len(emps), exam.ID, len(missing), hint)
	}
	// One argon2id hash for every examinee: each hash costs ~19 MiB and tens of
	// milliseconds of CPU, so 2,000 of them would take longer than the run itself and
	// measure the preparation, not the server. The server verifies the same PHC string
	// for every login, which costs exactly what a per-user salt would.
	hash, err := accounts.HashPassword(ctx, cfg.password)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	started := time.Now()
	for lo := 0; lo < len(missing); lo += batch {
		hi := min(lo+batch, len(missing))
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			users := make([]*models.User, 0, hi-lo)
			for i := lo; i < hi; i++ {
				id := emps[i].ID
				users = append(users, &models.User{Username: missing[i], DisplayName: "考生 " + emps[i].Name,
					PasswordHash: hash, EmployeeID: &id, PasswordChangedAt: now})
			}
			if err := tx.Omit("Employee", "Grants").CreateInBatches(users, batch).Error; err != nil {
				return fmt.Errorf("insert examinees: %w", err)
			}
			// Read the ids back by name rather than trusting the driver's batch ids.
			var rows []models.User
			if err := tx.Select("id", "username", "employee_id").Where("username IN ?", missing[lo:hi]).Find(&rows).Error; err != nil {
				return err
			}
			unit := make(map[uint]uint, hi-lo)
			for i := lo; i < hi; i++ {
				unit[emps[i].ID] = emps[i].OrgUnitID
			}
			grants := make([]models.Grant, 0, len(rows))
			events := make([]*models.AuditEvent, 0, len(rows))
			for _, u := range rows {
				grants = append(grants, models.Grant{UserID: u.ID, Role: models.RoleEmployee, OrgUnitID: unit[*u.EmployeeID]})
				events = append(events, models.NewAuditEvent(models.SystemActor, "create", "user", u.ID,
					map[string]any{"username": u.Username, "employee_id": *u.EmployeeID, "by": "examload prepare"}))
			}
			if err := tx.Omit("OrgUnit").CreateInBatches(grants, batch).Error; err != nil {
				return fmt.Errorf("insert grants: %w", err)
			}
			return models.AuditMany(tx, events)
		})
		if err != nil {
			return err
		}
	}
	fmt.Printf("prepared %d examinee accounts (%s…) in %s\n", len(missing), missing[0], time.Since(started).Round(time.Millisecond))
	return nil
}

func employeeIDs(ex []examinee) []uint {
	out := make([]uint, len(ex))
	for i, e := range ex {
		out[i] = e.EmployeeID
	}
	return out
}

// countAttempts counts the examinees' attempts at the exam.
func countAttempts(ctx context.Context, db *gorm.DB, examID uint, emps []uint) (int64, error) {
	var total int64
	for lo := 0; lo < len(emps); lo += batch {
		var n int64
		err := db.WithContext(ctx).Model(&models.Attempt{}).
			Where("exam_id = ? AND employee_id IN ?", examID, emps[lo:min(lo+batch, len(emps))]).Count(&n).Error
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// reset deletes the examinees' attempts at the exam (their papers and answers first)
// and their sessions, so that a new run starts from attempt 1 without the cool-off.
func reset(ctx context.Context, db *gorm.DB, examID uint, ex []examinee) error {
	for lo := 0; lo < len(ex); lo += batch {
		part := ex[lo:min(lo+batch, len(ex))]
		emps := employeeIDs(part)
		users := make([]uint, len(part))
		for i, e := range part {
			users[i] = e.UserID
		}
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			var ids []uint
			if err := tx.Model(&models.Attempt{}).Where("exam_id = ? AND employee_id IN ?", examID, emps).Pluck("id", &ids).Error; err != nil {
				return err
			}
			if len(ids) > 0 {
				if err := tx.Where("attempt_id IN ?", ids).Delete(&models.Answer{}).Error; err != nil {
					return err
				}
				if err := tx.Where("attempt_id IN ?", ids).Delete(&models.AttemptQuestion{}).Error; err != nil {
					return err
				}
				if err := tx.Where("id IN ?", ids).Delete(&models.Attempt{}).Error; err != nil {
					return err
				}
			}
			return tx.Where("user_id IN ?", users).Delete(&models.Session{}).Error
		})
		if err != nil {
			return fmt.Errorf("reset: %w", err)
		}
	}
	return nil
}

func runPrepare(ctx context.Context, cfg config) (int, error) {
	db, err := openDB(ctx, cfg.dsn)
	if err != nil {
		return 0, err
	}
	defer models.Close(db)
	exam, err := sitExam(ctx, db, cfg)
	if err != nil {
		return 0, err
	}
	ex, err := prepare(ctx, db, cfg, exam)
	if err != nil {
		return 0, err
	}
	if cfg.reset {
		if err := reset(ctx, db, exam.ID, ex); err != nil {
			return 0, err
		}
	}
	fmt.Printf("%d examinees %s…%s ready for exam %d\n", len(ex), ex[0].Username, ex[len(ex)-1].Username, exam.ID)
	return 0, nil
}

// mysqlDatabase creates (or drops) the database a MySQL DSN names, for the crash test.
func mysqlDatabase(ctx context.Context, dsn string, create bool) error {
	parsed, err := models.ParseDSN(dsn)
	if err != nil {
		return err
	}
	if parsed.Dialect != models.MySQL {
		return fmt.Errorf("-db %s: createdb and dropdb are for MySQL", dsn)
	}
	mc, err := mysql.ParseDSN(parsed.Driver)
	if err != nil {
		return err
	}
	name := mc.DBName
	mc.DBName = ""
	conn, err := sql.Open("mysql", mc.FormatDSN())
	if err != nil {
		return err
	}
	defer conn.Close()
	stmt := "DROP DATABASE IF EXISTS `" + name + "`"
	if create {
		stmt = "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	}
	_, err = conn.ExecContext(ctx, stmt)
	return err
}

// redact hides a MySQL password in messages.
func redact(dsn string) string {
	if parsed, err := models.ParseDSN(dsn); err == nil && parsed.Dialect == models.MySQL {
		if mc, err := mysql.ParseDSN(parsed.Driver); err == nil && mc.Passwd != "" {
			mc.Passwd = "***"
			return "mysql://" + mc.User + ":***@" + mc.Net + "(" + mc.Addr + ")/" + mc.DBName
		}
	}
	return dsn
}

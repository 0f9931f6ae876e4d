package models

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"
)

// SchemaMigration records one applied schema version.
type SchemaMigration struct {
	Version   int       `gorm:"primaryKey;autoIncrement:false"`
	Name      string    `gorm:"size:191;not null"`
	AppliedAt time.Time `gorm:"not null"`
}

// migration is one ordered upgrade step. A step that changes an existing table declares
// its own frozen copy of the struct it migrates, so later model edits never change what
// an old step does.
type migration struct {
	Version int
	Name    string
	Up      func(tx *gorm.DB) error
}

// migrations are the upgrade steps after the initial schema (version 1). A new database
// is created from the current models and stamped with the last version, so these run
// only on databases made by an older release (the approach of Gitea's migrations).
var migrations = []migration{
	{Version: 1, Name: "initial schema"},
	{Version: 2, Name: "training and exams", Up: func(tx *gorm.DB) error {
		return tx.AutoMigrate(v3TrainingTables()...)
	}},
	{Version: 3, Name: "inspections and accountability", Up: func(tx *gorm.DB) error {
		type orgUnit struct {
			Lat *float64
			Lng *float64
		}
		if err := tx.Table("org_units").AutoMigrate(&orgUnit{}); err != nil {
			return err
		}
		if err := tx.AutoMigrate(v3InspectionTables()...); err != nil {
			return err
		}
		return appendOnly(tx, "rectification_events")
	}},
	{Version: 4, Name: "service metrics, ranking exports and the attempts' pass index", Up: migrateV4},
	{Version: 5, Name: "the ranking's covering indexes", Up: migrateV5},
	{Version: 6, Name: "the supervision release's later columns", Up: migrateV6},
}

// allModels is the current schema, in creation order (parents before children): the
// foundation, the training side, the supervision side, the ranking. Only a new
// database is made from it; upgrade steps use frozen copies of their own.
func allModels() []any {
	return []any{
		&SchemaMigration{}, &Secret{}, &OrgUnit{}, &Employee{}, &User{}, &Grant{},
		&Session{}, &LoginThrottle{}, &AuditEvent{},

		&Question{}, &Exam{}, &ExamOverride{}, &Attempt{}, &AttemptQuestion{}, &Answer{},
		&HandbookVersion{}, &Acknowledgement{},
		&Certificate{},
		&Course{}, &CourseSession{}, &Attendance{}, &Completion{}, &OnboardingPlan{},
		&SignInGuess{},
		&Regrade{},

		&Setting{},
		&ChecklistTemplate{}, &PatrolPlan{}, &PatrolStop{},
		&Inspection{}, &InspectionItem{}, &Photo{},
		&Finding{}, &Rectification{}, &RectificationEvent{}, &Escalation{},
		&AccountabilityCase{}, &CaseFinding{}, &CasePerson{},

		&ServiceMetric{}, &RankingExport{},
	}
}

// SchemaVersion is the version this release's schema has.
func SchemaVersion() int { return migrations[len(migrations)-1].Version }

// Migrate brings the database to SchemaVersion and returns the names of the steps it ran;
// a second run returns none and changes nothing.
func Migrate(ctx context.Context, db *gorm.DB) ([]string, error) {
	unlock, err := lockMigrations(ctx, db)
	if err != nil {
		return nil, err
	}
	defer unlock()

	db = tableOptions(db.WithContext(ctx))
	m := db.Migrator()
	if !m.HasTable(&SchemaMigration{}) {
		return createSchema(db)
	}
	var current int
	if err := db.Model(&SchemaMigration{}).Select("COALESCE(MAX(version), 0)").Scan(&current).Error; err != nil {
		return nil, fmt.Errorf("read schema version: %w", err)
	}
	if current > SchemaVersion() {
		return nil, fmt.Errorf("database schema version %d is newer than this program's %d: upgrade the program", current, SchemaVersion())
	}
	var ran []string
	for _, step := range migrations {
		if step.Version <= current {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			if step.Up != nil {
				if err := step.Up(tx); err != nil {
					return err
				}
			}
			return tx.Create(&SchemaMigration{Version: step.Version, Name: step.Name, AppliedAt: time.Now().UTC()}).Error
		})
		if err != nil {
			return ran, fmt.Errorf("migration %d %q: %w", step.Version, step.Name, err)
		}
		ran = append(ran, step.Name)
	}
	return ran, nil
}

// Pending reports the database's schema version (0 when it has none yet) and the names
// of the steps Migrate would run, without changing anything.
func Pending(ctx context.Context, db *gorm.DB) (int, []string, error) {
	db = db.WithContext(ctx)
	if !db.Migrator().HasTable(&SchemaMigration{}) {
		return 0, []string{fmt.Sprintf("create the schema of version %d", SchemaVersion())}, nil
	}
	var current int
	if err := db.Model(&SchemaMigration{}).Select("COALESCE(MAX(version), 0)").Scan(&current).Error; err != nil {
		return 0, nil, fmt.Errorf("read schema version: %w", err)
	}
	if current > SchemaVersion() {
		return current, nil, fmt.Errorf("database schema version %d is newer than this program's %d: upgrade the program", current, SchemaVersion())
	}
	var steps []string
	for _, step := range migrations {
		if step.Version > current {
			steps = append(steps, fmt.Sprintf("%d %s", step.Version, step.Name))
		}
	}
	return current, steps, nil
}

// createSchema makes a fresh database from the current models and stamps every version.
func createSchema(db *gorm.DB) ([]string, error) {
	if err := db.AutoMigrate(allModels()...); err != nil {
		return nil, fmt.Errorf("create schema: %w", err)
	}
	for _, table := range []string{"audit_events", "rectification_events"} {
		if err := appendOnly(db, table); err != nil {
			return nil, err
		}
	}
	now := time.Now().UTC()
	var ran []string
	for _, step := range migrations {
		if err := db.Create(&SchemaMigration{Version: step.Version, Name: step.Name, AppliedAt: now}).Error; err != nil {
			return nil, fmt.Errorf("record schema version: %w", err)
		}
		ran = append(ran, step.Name)
	}
	return ran, nil
}

// appendOnly makes the engine itself refuse UPDATE and DELETE on a table.
func appendOnly(db *gorm.DB, table string) error {
	var stmts []string
	switch DialectOf(db) {
	case SQLite:
		for _, op := range []string{"UPDATE", "DELETE"} {
			stmts = append(stmts, fmt.Sprintf(
				"CREATE TRIGGER IF NOT EXISTS %s_no_%s BEFORE %s ON %s BEGIN SELECT RAISE(ABORT, '%s is append-only'); END",
				table, op, op, table, table))
		}
	case MySQL:
		for _, op := range []string{"UPDATE", "DELETE"} {
			stmts = append(stmts, fmt.Sprintf(
				"CREATE TRIGGER %s_no_%s BEFORE %s ON %s FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '%s is append-only'",
				table, op, op, table, table))
		}
	}
	for _, s := range stmts {
		if err := db.Exec(s).Error; err != nil {
			if DialectOf(db) == MySQL {
				// With binary logging on, triggers need SUPER or
				// log_bin_trust_function_creators; the API still never updates the log.
				slog.Warn("audit log trigger not created; append-only is enforced by the application only", "err", err)
				return nil
			}
			return fmt.Errorf("create trigger on %s: %w", table, err)
		}
	}
	return nil
}

// tableOptions makes MySQL tables InnoDB in utf8mb4.
func tableOptions(db *gorm.DB) *gorm.DB {
	if DialectOf(db) == MySQL {
		// Set returns an instance whose next chained call would write into its own
		// statement (a later Model would stick and name every table of an AutoMigrate
		// after it); a new session makes each chain start afresh again.
		return db.Set("gorm:table_options", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci").Session(&gorm.Session{})
	}
	return db
}

// lockMigrations keeps two instances starting together from migrating at once.
func lockMigrations(ctx context.Context, db *gorm.DB) (func(), error) {
	if DialectOf(db) != MySQL {
		// SQLite: a single file; the schema step's writes are serialised by the engine.
		return func() {}, nil
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	var got int
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK('quality_migrate', 120)").Scan(&got); err != nil || got != 1 {
		_ = conn.Close()
		return nil, fmt.Errorf("take the migration lock: %v", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), "SELECT RELEASE_LOCK('quality_migrate')")
		_ = conn.Close()
	}, nil
}

package models_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

func TestMigrateTwiceIsNoOp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		// dbtest already migrated once; the second run must find nothing to do.
		ran, err := models.Migrate(ctx, db)
		require.NoError(t, err)
		require.Empty(t, ran)

		var versions []models.SchemaMigration
		require.NoError(t, db.Order("version").Find(&versions).Error)
		require.Len(t, versions, models.SchemaVersion())
		require.Equal(t, models.SchemaVersion(), versions[len(versions)-1].Version)
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		require.NoError(t, models.Audit(db, models.SystemActor, "create", "test", 1, "first"))
		err := db.Model(&models.AuditEvent{}).Where("1=1").Update("summary", "rewritten").Error
		require.Error(t, err, "the engine must refuse to update the audit log")
		err = db.Where("1=1").Delete(&models.AuditEvent{}).Error
		require.Error(t, err, "the engine must refuse to delete from the audit log")

		var e models.AuditEvent
		require.NoError(t, db.Take(&e).Error)
		require.Equal(t, "first", e.Summary)
	})
}

func TestUTF8AndDatesRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		tx := db.Begin()
		root := &models.OrgUnit{Code: "36", Name: "江西省广播电视网络传输有限公司", Level: models.LevelProvince}
		require.NoError(t, models.InsertOrgUnit(tx, root, nil))
		hire, _ := models.ParseDate("2024-02-29")
		e := &models.Employee{JobNumber: "E0001", Name: "张三😀", OrgUnitID: root.ID, Position: models.PositionWindow, HireDate: hire, Status: models.StatusActive}
		require.NoError(t, tx.Omit("OrgUnit").Create(e).Error)
		require.NoError(t, tx.Commit().Error)

		got, err := models.GetEmployee(context.Background(), db, models.ScopeAll, e.ID)
		require.NoError(t, err)
		require.Equal(t, "张三😀", got.Name)
		require.Equal(t, "2024-02-29", got.HireDate.String())
		require.Equal(t, "/"+itoa(root.ID)+"/", got.OrgUnit.Path)
	})
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }

// TestUpgradeFromFoundation: a database made by the foundation release (schema
// version 1: no training, exam or supervision tables, no outlet coordinates) is brought
// to the current schema by Migrate, which runs exactly the later steps; the result
// works (a rectification timeline is append-only) and a second run does nothing.
func TestUpgradeFromFoundation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		m := db.Migrator()
		later := models.LaterTables()
		for i := len(later) - 1; i >= 0; i-- {
			require.NoError(t, m.DropTable(later[i]))
		}
		require.NoError(t, m.DropColumn(&models.OrgUnit{}, "Lat"))
		require.NoError(t, m.DropColumn(&models.OrgUnit{}, "Lng"))
		require.NoError(t, db.Where("version > 1").Delete(&models.SchemaMigration{}).Error)

		ran, err := models.Migrate(ctx, db)
		require.NoError(t, err)
		require.Equal(t, []string{"training and exams", "inspections and accountability", "service metrics, ranking exports and the attempts' pass index", "the ranking's covering indexes", "the supervision release's later columns"}, ran)
		for _, model := range later {
			require.True(t, m.HasTable(model), "%T", model)
		}
		require.True(t, m.HasColumn(&models.OrgUnit{}, "Lat"))

		require.NoError(t, db.Create(&models.RectificationEvent{RectificationID: 1, To: models.RectOpen}).Error)
		require.Error(t, db.Model(&models.RectificationEvent{}).Where("1=1").Update("reason", "rewritten").Error,
			"the upgraded timeline is append-only")

		ran, err = models.Migrate(ctx, db)
		require.NoError(t, err)
		require.Empty(t, ran)
	})
}

// TestUpgradeFromSupervision: a database of the supervision release (schema 3) gets the
// service metrics and ranking export tables and the attempts' index from step 4's frozen
// copies, with the same columns, types, nullability and indexes as a database made from
// today's models.
func TestUpgradeFromSupervision(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		m := db.Migrator()
		tables := []string{"service_metrics", "ranking_exports"}
		for _, table := range tables {
			require.NoError(t, m.DropTable(table))
		}
		require.NoError(t, m.DropIndex(&models.Attempt{}, "idx_attempt_passes"))
		require.False(t, m.HasIndex(&models.Attempt{}, "idx_attempt_passes"))
		require.NoError(t, db.Where("version > 3").Delete(&models.SchemaMigration{}).Error)

		ran, err := models.Migrate(ctx, db)
		require.NoError(t, err)
		require.Equal(t, []string{"service metrics, ranking exports and the attempts' pass index", "the ranking's covering indexes", "the supervision release's later columns"}, ran)

		fresh := dbtest.SQLite(t)
		if models.DialectOf(db) == models.MySQL {
			fresh = dbtest.MySQL(t)
		}
		for _, table := range append(tables, "attempts") {
			require.Equal(t, tableShape(t, fresh, table), tableShape(t, db, table), table)
		}
		ran, err = models.Migrate(ctx, db)
		require.NoError(t, err)
		require.Empty(t, ran)
	})
}

// TestUpgradeFromRanking: a database of the ranking release (schema 4) gets the
// ranking's covering indexes from step 5's frozen copies, and loses the two indexes
// they replace, so its tables have the same shape as a database made from today's
// models.
func TestUpgradeFromRanking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		// The ranking release's indexes, made before the new ones are dropped: MariaDB
		// keeps an index on a foreign key's column at all times.
		for _, stmt := range []string{
			"CREATE INDEX idx_completions_employee_id ON completions (employee_id)",
			"CREATE INDEX idx_certificate_holder ON certificates (employee_id, kind, issued_at)",
		} {
			require.NoError(t, db.Exec(stmt).Error)
		}
		dropped := map[string]string{"inspections": "idx_inspection_ranking", "employees": "idx_employee_ranking",
			"acknowledgements": "idx_ack_employee", "completions": "idx_completion_employee", "certificates": "idx_certificate_valid"}
		for table, index := range dropped {
			require.NoError(t, db.Migrator().DropIndex(table, index), index)
		}
		require.NoError(t, db.Where("version > 4").Delete(&models.SchemaMigration{}).Error)

		ran, err := models.Migrate(ctx, db)
		require.NoError(t, err)
		require.Equal(t, []string{"the ranking's covering indexes", "the supervision release's later columns"}, ran)

		fresh := dbtest.SQLite(t)
		if models.DialectOf(db) == models.MySQL {
			fresh = dbtest.MySQL(t)
		}
		for table := range dropped {
			require.Equal(t, tableShape(t, fresh, table), tableShape(t, db, table), table)
		}
		ran, err = models.Migrate(ctx, db)
		require.NoError(t, err)
		require.Empty(t, ran)
	})
}

// tableShape lists a table's columns (name, type, nullability, default, key) and its
// indexes (name, columns, uniqueness) in a comparable form.
func tableShape(t *testing.T, db *gorm.DB, table string) []string {
	t.Helper()
	m := db.Migrator()
	cols, err := m.ColumnTypes(table)
	require.NoError(t, err)
	var out []string
	for _, c := range cols {
		null, _ := c.Nullable()
		def, _ := c.DefaultValue()
		pk, _ := c.PrimaryKey()
		full, _ := c.ColumnType()
		out = append(out, fmt.Sprintf("column %s %s (%s) null=%v default=%q pk=%v", c.Name(), c.DatabaseTypeName(), full, null, def, pk))
	}
	idx, err := m.GetIndexes(table)
	require.NoError(t, err)
	for _, i := range idx {
		unique, _ := i.Unique()
		out = append(out, fmt.Sprintf("index %s %v unique=%v", i.Name(), i.Columns(), unique))
	}
	slices.Sort(out)
	return out
}

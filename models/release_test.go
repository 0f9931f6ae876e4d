package models_test

import (
	"compress/gzip"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// releases are the databases in testdata/releases, each as the build of a landed
// release made it with `seed --demo` (a few rows kept of each table), oldest first;
// scripts/release-fixture.sh writes them. A release whose schema changed without a
// step of its own is kept beside the last build of its version: schema1training is
// the training release, whose tables came with the initial schema before step 2 was
// written; schema3early is the supervision release, whose later builds added
// sign_in_guesses and case_people.leader_accountable and dropped inspections.revision
// under the same versions.
var releases = []struct {
	name    string
	version int
}{
	{"schema1", 1}, {"schema1training", 1}, {"schema3early", 3}, {"schema3", 3}, {"schema4", 4},
}

// TestUpgradeFromEveryRelease upgrades each release's database to this build and
// compares every table (columns, types, nullability, defaults, indexes) with a
// database made fresh from today's models, on SQLite and MariaDB; then the upgraded
// database takes the demo data like a new one. A model change without its step fails
// here.
func TestUpgradeFromEveryRelease(t *testing.T) {
	for _, r := range releases {
		t.Run(r.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, fresh *gorm.DB) {
				ctx := context.Background()
				db := loadRelease(t, r.name, models.DialectOf(fresh))
				var was int
				require.NoError(t, db.Model(&models.SchemaMigration{}).Select("MAX(version)").Scan(&was).Error)
				require.Equal(t, r.version, was)

				before := rowCounts(t, db)
				_, err := models.Migrate(ctx, db)
				require.NoError(t, err)
				after := rowCounts(t, db)
				for table, n := range before {
					if table != "schema_migrations" && !strings.HasPrefix(table, "sqlite_") {
						require.Equal(t, n, after[table], "rows of %s kept", table)
					}
				}
				want, err := fresh.Migrator().GetTables()
				require.NoError(t, err)
				got, err := db.Migrator().GetTables()
				require.NoError(t, err)
				slices.Sort(want)
				slices.Sort(got)
				require.Equal(t, want, got, "tables")
				for _, table := range want {
					require.Equal(t, tableShape(t, fresh, table), tableShape(t, db, table), table)
				}
				ran, err := models.Migrate(ctx, db)
				require.NoError(t, err)
				require.Empty(t, ran, "a second run changes nothing")
			})
		})
	}
}

// loadRelease opens a database of the release: a copy of its SQLite file, or its
// MariaDB dump loaded into a database of the test's own.
func loadRelease(t *testing.T, name string, dialect models.Dialect) *gorm.DB {
	t.Helper()
	dir := filepath.Join("testdata", "releases")
	if dialect != models.MySQL {
		f, err := os.Open(filepath.Join(dir, name+".sqlite.gz"))
		require.NoError(t, err)
		defer f.Close()
		zr, err := gzip.NewReader(f)
		require.NoError(t, err)
		raw, err := io.ReadAll(zr)
		require.NoError(t, err)
		path := filepath.Join(t.TempDir(), "release.db")
		require.NoError(t, os.WriteFile(path, raw, 0o600))
		db, err := models.Open(context.Background(), "sqlite:"+path, models.OpenOptions{})
		require.NoError(t, err)
		t.Cleanup(func() { models.Close(db) })
		return db
	}
	dsn, _ := dbtest.MySQLDatabase(t)
	db, err := models.Open(context.Background(), dsn, models.OpenOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { models.Close(db) })
	dump, err := os.ReadFile(filepath.Join(dir, name+".mysql.sql"))
	require.NoError(t, err)
	sqlDB, err := db.DB()
	require.NoError(t, err)
	conn, err := sqlDB.Conn(context.Background())
	require.NoError(t, err)
	defer conn.Close()
	execDump(t, conn, string(dump))
	return db
}

// execDump runs the statements of a mysqldump --compact file on one connection, its
// tables in name order, so foreign keys are checked only once all are there.
func execDump(t *testing.T, conn *sql.Conn, dump string) {
	t.Helper()
	ctx := context.Background()
	_, err := conn.ExecContext(ctx, "SET FOREIGN_KEY_CHECKS = 0")
	require.NoError(t, err)
	delim := ";"
	var stmt strings.Builder
	for _, line := range strings.SplitAfter(dump, "\n") {
		if d, ok := strings.CutPrefix(strings.TrimSpace(line), "DELIMITER "); ok {
			delim = strings.TrimSpace(d)
			continue
		}
		stmt.WriteString(line)
		text := strings.TrimSpace(stmt.String())
		if !strings.HasSuffix(text, delim) {
			continue
		}
		text = strings.TrimSpace(strings.TrimSuffix(text, delim))
		stmt.Reset()
		if text == "" {
			continue
		}
		_, err := conn.ExecContext(ctx, text)
		require.NoError(t, err, "%.200s", text)
	}
	require.Empty(t, strings.TrimSpace(stmt.String()), "the dump ends with a whole statement")
	_, err = conn.ExecContext(ctx, "SET FOREIGN_KEY_CHECKS = 1")
	require.NoError(t, err)
}

// rowCounts counts the rows of every table.
func rowCounts(t *testing.T, db *gorm.DB) map[string]int64 {
	t.Helper()
	tables, err := db.Migrator().GetTables()
	require.NoError(t, err)
	out := map[string]int64{}
	for _, table := range tables {
		var n int64
		require.NoError(t, db.Table(table).Count(&n).Error)
		out[table] = n
	}
	return out
}

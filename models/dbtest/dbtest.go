// Package dbtest gives tests a fresh, migrated database on SQLite and, when
// QUALITY_TEST_MYSQL_DSN is set, on MySQL too.
package dbtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"quality/models"
)

// EnvMySQL names the variable holding a MySQL DSN (`mysql://root@tcp(127.0.0.1:3306)/quality_test`);
// each test gets its own database named after it.
const EnvMySQL = "QUALITY_TEST_MYSQL_DSN"

var counter atomic.Int64

// Each runs fn once per engine, as subtests "sqlite" and "mysql", each on a fresh
// migrated database. Without QUALITY_TEST_MYSQL_DSN the MySQL subtest is skipped
// with a message saying so.
func Each(t *testing.T, fn func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("mysql", func(t *testing.T) {
		if os.Getenv(EnvMySQL) == "" {
			t.Skip(EnvMySQL + " is not set: the MySQL pass of this test is skipped")
		}
		fn(t, MySQL(t))
	})
}

// SQLite opens a migrated database in a temporary file.
func SQLite(t testing.TB) *gorm.DB {
	t.Helper()
	return open(t, "sqlite:"+filepath.Join(t.TempDir(), "quality.db"))
}

// MySQL creates a database of its own on the server of QUALITY_TEST_MYSQL_DSN,
// migrates it and drops it when the test ends.
func MySQL(t testing.TB) *gorm.DB {
	t.Helper()
	dsn, _ := MySQLDatabase(t)
	return open(t, dsn)
}

// MySQLDatabase creates an empty database for the test and returns its DSN and name;
// the database is dropped when the test ends.
func MySQLDatabase(t testing.TB) (string, string) {
	t.Helper()
	raw := os.Getenv(EnvMySQL)
	if raw == "" {
		t.Skip(EnvMySQL + " is not set: MySQL test skipped")
	}
	cfg, err := mysql.ParseDSN(strings.TrimPrefix(raw, "mysql://"))
	if err != nil {
		t.Fatalf("%s: %v", EnvMySQL, err)
	}
	base := cfg.DBName
	if base == "" {
		base = "quality_test"
	}
	name := fmt.Sprintf("%s_%d_%d", base, os.Getpid(), counter.Add(1))
	cfg.DBName = base
	admin, err := models.Open(context.Background(), "mysql://"+cfg.FormatDSN(), models.OpenOptions{})
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvMySQL, err)
	}
	if err := admin.Exec("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci").Error; err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS `" + name + "`")
		models.Close(admin)
	})
	cfg.DBName = name
	return "mysql://" + cfg.FormatDSN(), name
}

func open(t testing.TB, dsn string) *gorm.DB {
	t.Helper()
	db, err := models.Open(context.Background(), dsn, models.OpenOptions{})
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { models.Close(db) })
	if _, err := models.Migrate(context.Background(), db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

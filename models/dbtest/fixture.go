package dbtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"quality/models"
)

// Fixture is test data loaded once per test binary and engine, into a database of its
// own, and copied into each test's fresh database: table by table, on one connection
// with foreign key checks off. A package whose every test starts from the same data (the
// app's base data, admin and demo staff: about four seconds under -race) pays for it
// once instead of once per test. Close drops the loaded databases (call it from
// TestMain after m.Run).
type Fixture struct {
	// Load fills a fresh migrated database.
	Load func(ctx context.Context, db *gorm.DB) error

	mu     sync.Mutex
	loaded map[models.Dialect]*loaded
	dir    string
}

// loaded is the Fixture's database on one engine.
type loaded struct {
	db     *gorm.DB
	name   string // what ATTACH (SQLite) or a qualified name (MySQL) reaches it by
	tables []string
	err    error
	drop   func()
}

// CopyInto copies the fixture into db, a fresh migrated database from SQLite or MySQL.
func (f *Fixture) CopyInto(t testing.TB, db *gorm.DB) {
	t.Helper()
	src, err := f.source(models.DialectOf(db))
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	if err := copyTables(db, src); err != nil {
		t.Fatalf("copy fixture: %v", err)
	}
}

// Close drops the databases the fixture loaded.
func (f *Fixture) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, l := range f.loaded {
		if l.drop != nil {
			l.drop()
		}
	}
	if f.dir != "" {
		os.RemoveAll(f.dir)
	}
	f.loaded = nil
}

func (f *Fixture) source(d models.Dialect) (*loaded, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if l, ok := f.loaded[d]; ok {
		return l, l.err
	}
	if f.loaded == nil {
		f.loaded = map[models.Dialect]*loaded{}
	}
	l := &loaded{}
	l.err = f.load(d, l)
	f.loaded[d] = l
	return l, l.err
}

func (f *Fixture) load(d models.Dialect, l *loaded) error {
	ctx := context.Background()
	var dsn string
	switch d {
	case models.SQLite:
		if f.dir == "" {
			dir, err := os.MkdirTemp("", "quality-fixture-")
			if err != nil {
				return err
			}
			f.dir = dir
		}
		l.name = filepath.Join(f.dir, "fixture.db")
		dsn = "sqlite:" + l.name
	case models.MySQL:
		raw := os.Getenv(EnvMySQL)
		cfg, err := mysql.ParseDSN(strings.TrimPrefix(raw, "mysql://"))
		if err != nil {
			return fmt.Errorf("%s: %w", EnvMySQL, err)
		}
		if cfg.DBName == "" {
			cfg.DBName = "quality_test"
		}
		admin, err := models.Open(ctx, "mysql://"+cfg.FormatDSN(), models.OpenOptions{})
		if err != nil {
			return err
		}
		l.name = fmt.Sprintf("%s_fixture_%d", cfg.DBName, os.Getpid())
		if err := admin.Exec("CREATE DATABASE `" + l.name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci").Error; err != nil {
			models.Close(admin)
			return err
		}
		l.drop = func() {
			admin.Exec("DROP DATABASE IF EXISTS `" + l.name + "`")
			models.Close(admin)
		}
		cfg.DBName = l.name
		dsn = "mysql://" + cfg.FormatDSN()
	default:
		return fmt.Errorf("no fixture for dialect %v", d)
	}
	db, err := models.Open(ctx, dsn, models.OpenOptions{})
	if err != nil {
		return err
	}
	l.db = db
	prev := l.drop
	l.drop = func() {
		models.Close(db)
		if prev != nil {
			prev()
		}
	}
	if _, err := models.Migrate(ctx, db); err != nil {
		return err
	}
	if err := f.Load(ctx, db); err != nil {
		return err
	}
	tables, err := db.Migrator().GetTables()
	if err != nil {
		return err
	}
	for _, table := range tables {
		var n int64
		if err := db.Table(table).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 && table != "sqlite_sequence" {
			l.tables = append(l.tables, table)
		}
	}
	if d == models.SQLite {
		// Everything in the main file, so ATTACH from other connections sees it.
		return db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
	}
	return nil
}

// copyTables replaces the rows of src's tables in db with src's, on one connection of
// db with foreign key checks off (the tables are copied in name order).
func copyTables(db *gorm.DB, src *loaded) error {
	return db.Connection(func(c *gorm.DB) error {
		sqlite := models.DialectOf(db) == models.SQLite
		from := "`" + src.name + "`."
		if sqlite {
			if err := c.Exec("PRAGMA foreign_keys = OFF").Error; err != nil {
				return err
			}
			if err := c.Exec("ATTACH DATABASE ? AS fixture", src.name).Error; err != nil {
				return err
			}
			defer c.Exec("DETACH DATABASE fixture")
			defer c.Exec("PRAGMA foreign_keys = ON")
			from = "fixture."
		} else {
			if err := c.Exec("SET FOREIGN_KEY_CHECKS = 0").Error; err != nil {
				return err
			}
			defer c.Exec("SET FOREIGN_KEY_CHECKS = 1")
		}
		return c.Transaction(func(tx *gorm.DB) error {
			for _, table := range src.tables {
				cols, err := tx.Migrator().ColumnTypes(table)
				if err != nil {
					return err
				}
				names := make([]string, len(cols))
				for i, col := range cols {
					names[i] = "`" + col.Name() + "`"
				}
				list := strings.Join(names, ", ")
				var n int64
				if err := tx.Table(table).Count(&n).Error; err != nil {
					return err
				}
				if n > 0 {
					if err := tx.Exec("DELETE FROM `" + table + "`").Error; err != nil {
						return fmt.Errorf("%s: %w", table, err)
					}
				}
				if err := tx.Exec("INSERT INTO `" + table + "` (" + list + ") SELECT " + list + " FROM " + from + "`" + table + "`").Error; err != nil {
					return fmt.Errorf("%s: %w", table, err)
				}
			}
			return nil
		})
	})
}

// Package models holds the GORM models with their query functions, opening SQLite or MySQL,
// the ordered migrations and the shared query scopes (org subtree).
package models

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/go-sql-driver/mysql"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database engine behind a *gorm.DB.
type Dialect string

// The two engines: one code path, two dialects.
const (
	SQLite Dialect = "sqlite"
	MySQL  Dialect = "mysql"
)

// OpenOptions tunes Open; the zero value is the production default.
type OpenOptions struct {
	// AcceptWeakDurability lets the server start although the engine may lose
	// acknowledged commits on power loss (SQLite synchronous < FULL, MySQL
	// innodb_flush_log_at_trx_commit != 1).
	AcceptWeakDurability bool
	// Logger receives slow-query and error logs; nil keeps GORM silent.
	Logger logger.Interface
}

// DSN is a parsed QUALITY_DB value.
type DSN struct {
	Dialect Dialect
	// Path is the SQLite file; Driver is the go-sql-driver DSN for MySQL.
	Path   string
	Driver string
}

// ParseDSN accepts `sqlite:PATH` (also `sqlite://PATH` and a bare path ending in .db) and
// `mysql://user:pass@tcp(host:port)/name?params`.
func ParseDSN(s string) (DSN, error) {
	switch {
	case strings.HasPrefix(s, "sqlite://"):
		return DSN{Dialect: SQLite, Path: strings.TrimPrefix(s, "sqlite://")}, nil
	case strings.HasPrefix(s, "sqlite:"):
		return DSN{Dialect: SQLite, Path: strings.TrimPrefix(s, "sqlite:")}, nil
	case strings.HasPrefix(s, "mysql://"):
		cfg, err := mysql.ParseDSN(strings.TrimPrefix(s, "mysql://"))
		if err != nil {
			return DSN{}, fmt.Errorf("mysql DSN: %w", err)
		}
		if cfg.DBName == "" {
			return DSN{}, errors.New("mysql DSN names no database")
		}
		// utf8mb4 for Chinese text, UTC on the wire, and client-side interpolation:
		// one round trip per statement instead of prepare+execute+close.
		cfg.Params = mergeParams(cfg.Params, map[string]string{"charset": "utf8mb4"})
		cfg.Collation = "utf8mb4_unicode_ci"
		cfg.ParseTime = true
		cfg.Loc = time.UTC
		if _, set := cfg.Params["interpolateParams"]; !set {
			cfg.InterpolateParams = true
		}
		cfg.Params = mergeParams(cfg.Params, map[string]string{"time_zone": "'+00:00'"})
		return DSN{Dialect: MySQL, Driver: cfg.FormatDSN()}, nil
	case strings.HasSuffix(s, ".db") && !strings.Contains(s, "://"):
		return DSN{Dialect: SQLite, Path: s}, nil
	}
	return DSN{}, fmt.Errorf("unknown database %q: want sqlite:PATH or mysql://user:pass@tcp(host:port)/name", s)
}

func mergeParams(have, add map[string]string) map[string]string {
	if have == nil {
		have = map[string]string{}
	}
	for k, v := range add {
		if _, ok := have[k]; !ok {
			have[k] = v
		}
	}
	return have
}

// Open connects, applies the dialect settings and checks durability; it does not migrate.
func Open(ctx context.Context, raw string, opt OpenOptions) (*gorm.DB, error) {
	dsn, err := ParseDSN(raw)
	if err != nil {
		return nil, err
	}
	lg := opt.Logger
	if lg == nil {
		lg = logger.Discard
	}
	cfg := &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true, // every multi-statement write opens its own transaction
		NowFunc:                func() time.Time { return time.Now().UTC() },
		Logger:                 lg,
	}
	var db *gorm.DB
	switch dsn.Dialect {
	case SQLite:
		db, err = openSQLite(dsn.Path, cfg)
	case MySQL:
		db, err = openMySQL(ctx, dsn.Driver, cfg)
	}
	if err != nil {
		return nil, err
	}
	if err := checkDurability(ctx, db, opt.AcceptWeakDurability); err != nil {
		Close(db)
		return nil, err
	}
	return db, nil
}

func openSQLite(path string, cfg *gorm.Config) (*gorm.DB, error) {
	if dir := filepath.Dir(path); dir != "" && path != ":memory:" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	q := url.Values{}
	// Immediate transactions take the write lock at BEGIN, so two writers queue on
	// busy_timeout instead of failing with SQLITE_BUSY when one upgrades a read lock.
	q.Set("_txlock", "immediate")
	q.Add("_pragma", "busy_timeout(15000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	// No _time_format: glebarez/go-sqlite v1.23 returns early after reading it and
	// would silently drop _txlock (TestParallelWritesNeverBusy catches that).
	db, err := gorm.Open(sqlite.Open("file:"+path+"?"+q.Encode()), cfg)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(8)
	sqlDB.SetMaxIdleConns(8)
	if err := sqlDB.Ping(); err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

func openMySQL(ctx context.Context, driverDSN string, cfg *gorm.Config) (*gorm.DB, error) {
	db, err := gorm.Open(gormmysql.New(gormmysql.Config{DSN: driverDSN}), cfg)
	if err != nil {
		return nil, fmt.Errorf("open mysql: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		return nil, fmt.Errorf("open mysql: %w", err)
	}
	// Recycle connections well before the server's wait_timeout closes them.
	lifetime := 5 * time.Minute
	var waitTimeout int
	if err := db.WithContext(ctx).Raw("SELECT @@wait_timeout").Scan(&waitTimeout).Error; err == nil && waitTimeout > 0 {
		if half := time.Duration(waitTimeout) * time.Second / 2; half < lifetime {
			lifetime = half
		}
	}
	sqlDB.SetConnMaxLifetime(lifetime)
	sqlDB.SetMaxOpenConns(32)
	sqlDB.SetMaxIdleConns(32)
	return db, nil
}

// checkDurability refuses an engine that may lose acknowledged commits unless accepted.
func checkDurability(ctx context.Context, db *gorm.DB, accept bool) error {
	var problem string
	switch DialectOf(db) {
	case SQLite:
		var mode int
		if err := db.WithContext(ctx).Raw("PRAGMA synchronous").Scan(&mode).Error; err != nil {
			return fmt.Errorf("read PRAGMA synchronous: %w", err)
		}
		if mode < 2 {
			problem = fmt.Sprintf("SQLite synchronous=%d, want FULL (2)", mode)
		}
	case MySQL:
		var flush *int
		err := db.WithContext(ctx).Raw("SELECT @@innodb_flush_log_at_trx_commit").Scan(&flush).Error
		if err != nil || flush == nil {
			// A MySQL-compatible engine without InnoDB's variable (TiDB replicates each
			// commit through Raft) has its own durability: accept it and say so.
			slog.Info("database has no innodb_flush_log_at_trx_commit; relying on the engine's own durability")
			return nil
		}
		if *flush != 1 {
			problem = fmt.Sprintf("MySQL innodb_flush_log_at_trx_commit=%d, want 1", *flush)
		}
	}
	if problem == "" {
		return nil
	}
	if accept {
		slog.Warn("weak durability accepted by QUALITY_ACCEPT_WEAK_DURABILITY", "setting", problem)
		return nil
	}
	return fmt.Errorf("%s: acknowledged writes could be lost on power failure (set QUALITY_ACCEPT_WEAK_DURABILITY=1 to accept)", problem)
}

// DialectOf reports which engine db talks to.
func DialectOf(db *gorm.DB) Dialect {
	if db.Dialector.Name() == "mysql" {
		return MySQL
	}
	return SQLite
}

// Close closes the pool behind db.
func Close(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}

// Ping checks that the database answers, for /readyz.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

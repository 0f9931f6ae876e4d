package main

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/app"
	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
)

// The load program against a real server in this process, small: every mode runs, the
// acknowledged saves reconcile, a second run without -reset is refused, and a lost
// answer makes reconcile fail. The figures come from running it for real (README,
// "Exam-day benchmark"); this only keeps it working as the API moves.
func TestExamload(t *testing.T) {
	for _, engine := range []string{"sqlite", "mysql"} {
		t.Run(engine, func(t *testing.T) {
			dsn := "sqlite:" + filepath.Join(t.TempDir(), "q.db")
			if engine == "mysql" {
				if os.Getenv(dbtest.EnvMySQL) == "" {
					t.Skip(dbtest.EnvMySQL + " is not set: the MySQL pass of this test is skipped")
				}
				dsn, _ = dbtest.MySQLDatabase(t)
			}
			db, addr := serveDemo(t, dsn)
			acks := filepath.Join(t.TempDir(), "acks.jsonl")
			common := []string{"-db", dsn, "-addr", addr, "-n", "3", "-prefix", "t", "-timeout", "20s", "-deadline", "2m"}

			// 25 saves on a 20-question paper: the last five come back with seq 2.
			require.Equal(t, 0, run(append([]string{"-mode", "capacity", "-saves", "25", "-acks", acks}, common...)))
			h, list, err := readAcks(acks)
			require.NoError(t, err)
			require.Len(t, list, 3*25)
			require.Equal(t, "t", h.Prefix)
			var attempts int64
			require.NoError(t, db.Model(&models.Attempt{}).Where("exam_id = ?", h.Exam).Count(&attempts).Error)
			require.EqualValues(t, 3, attempts)

			// The exam allows a cool-off between attempts: without -reset a second run is refused.
			require.Equal(t, 2, run(append([]string{"-mode", "capacity", "-saves", "2"}, common...)))

			reconcileArgs := []string{"-mode", "reconcile", "-db", dsn, "-acks", acks}
			require.Equal(t, 0, run(reconcileArgs))
			last := list[len(list)-1]
			require.NoError(t, db.Where("attempt_id = ? AND question_id = ?", last.Attempt, last.Question).Delete(&models.Answer{}).Error)
			require.Equal(t, 1, run(reconcileArgs), "a lost acknowledged save fails the reconciliation")

			require.Equal(t, 0, run(append([]string{"-mode", "examday", "-reset", "-saves", "3", "-think", "20ms", "-start-window", "100ms"}, common...)))
			require.Equal(t, 0, run([]string{"-mode", "floor", "-db", dsn, "-n", "3", "-saves", "5", "-prefix", "t"}))
			require.False(t, db.Migrator().HasTable("examload_floor"), "the floor drops its scratch table")
		})
	}
}

// serveDemo starts the application on a free loopback port over a migrated database
// with the base data, the question bank, the seeded exams and the demo staff of 东湖区.
func serveDemo(t *testing.T, dsn string) (*gorm.DB, string) {
	t.Helper()
	ctx := context.Background()
	db, err := models.Open(ctx, dsn, models.OpenOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { models.Close(db) })
	_, err = models.Migrate(ctx, db)
	require.NoError(t, err)
	_, err = seeds.LoadBase(ctx, db)
	require.NoError(t, err)
	_, err = seeds.LoadQuestionBank(ctx, db)
	require.NoError(t, err)
	_, err = seeds.LoadExams(ctx, db, time.Now().UTC())
	require.NoError(t, err)
	_, err = seeds.LoadDemoIn(ctx, db, "demo-pass-123", "360102")
	require.NoError(t, err)
	cfg, err := app.ConfigFromEnv()
	require.NoError(t, err)
	a, err := app.New(cfg, app.Deps{DB: db, Log: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = a.Listener(ln) }()
	t.Cleanup(func() { _ = a.ShutdownWithTimeout(5 * time.Second) })
	return db, ln.Addr().String()
}

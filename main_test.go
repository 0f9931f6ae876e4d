package main

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"quality/models/dbtest"
)

func TestBadDatabaseNamesTheVariable(t *testing.T) {
	for _, dsn := range []string{"bogus://x", "mysql://nobody:secret@tcp(127.0.0.1:1)/quality"} {
		t.Run(dsn, func(t *testing.T) {
			t.Setenv("QUALITY_DB", dsn)
			err := run([]string{"migrate"})
			require.Error(t, err)
			require.Contains(t, err.Error(), "QUALITY_DB=")
			require.NotContains(t, err.Error(), "secret", "the password must not be printed")
			require.NotContains(t, err.Error(), "\n", "one line")
		})
	}
}

func TestBadSettingNamesTheVariable(t *testing.T) {
	t.Setenv("QUALITY_SESSION_IDLE", "soon")
	err := run([]string{"migrate"})
	require.ErrorContains(t, err, "QUALITY_SESSION_IDLE")
}

func TestUserCommands(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "q.db")
	t.Setenv("QUALITY_DB", dsn)
	t.Setenv("QUALITY_ADMIN_PASSWORD", "admin-pass-123")
	require.NoError(t, run([]string{"seed"}))
	t.Setenv("QUALITY_USER_PASSWORD", "trainer-pass-1")
	require.NoError(t, run([]string{"user", "create", "--username", "li.trainer", "--role", "trainer", "--unit", "3601", "--name", "李培训"}))
	require.Error(t, run([]string{"user", "create", "--username", "li.trainer", "--role", "trainer", "--unit", "3601"}), "duplicate username")
	require.ErrorContains(t, run([]string{"user", "create", "--username", "x.y", "--role", "trainer", "--unit", "9999"}), "--unit")
	require.NoError(t, run([]string{"user", "reset-password", "--username", "li.trainer"}))
	require.ErrorContains(t, run([]string{"user", "reset-password", "--username", "nobody"}), "--username")
	require.NoError(t, run([]string{"migrate"}), "a second migrate is a no-op")
}

// The README's first command, for real: build the binary, `serve --demo`, then what the
// issue's "done when" lists — /readyz 200, the admin logs in with QUALITY_ADMIN_PASSWORD,
// the 11 city companies — and a clean stop on SIGTERM. A second start must not migrate
// or seed again.
func TestServeDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "quality")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	dbs := map[string]string{"sqlite": "sqlite:" + filepath.Join(t.TempDir(), "quality.db")}
	if os.Getenv(dbtest.EnvMySQL) != "" {
		dsn, _ := dbtest.MySQLDatabase(t)
		dbs["mysql"] = dsn
	} else {
		t.Log(dbtest.EnvMySQL + " is not set: the MySQL run of the binary is skipped")
	}
	for engine, dsn := range dbs {
		t.Run(engine, func(t *testing.T) {
			first := startServer(t, bin, dsn)
			require.Contains(t, first, "what=\"demo employees\"")
			second := startServer(t, bin, dsn)
			require.NotContains(t, second, "database migrated")
			require.NotContains(t, second, "seed data loaded", "a second start loads nothing again")
		})
	}
}

// startServer runs one server until the checks pass, stops it and returns its output.
func startServer(t *testing.T, bin, dsn string) string {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve", "--demo")
	var output lockedBuffer
	cmd.Stdout, cmd.Stderr = &output, &output
	cmd.Env = append(os.Environ(), "QUALITY_DB="+dsn, "QUALITY_ADDR="+addr,
		"QUALITY_ADMIN_PASSWORD=admin-pass-123", "QUALITY_DATA_DIR="+t.TempDir())
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	}()

	base := "http://" + addr
	// A bound on waiting, not a measure of start-up (README quotes that): the demo takes
	// about 17 s on MariaDB alone, and over 60 s once on a CI machine busy with other
	// suites under -race.
	deadline := time.Now().Add(3 * time.Minute)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		require.True(t, time.Now().Before(deadline), "server did not become ready:\n%s", output.String())
		time.Sleep(200 * time.Millisecond)
	}

	res, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"admin","password":"admin-pass-123"}`))
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/org-units?level=city&per_page=50", nil)
	for _, c := range res.Cookies() {
		req.AddCookie(c)
	}
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	var list struct {
		Total int `json:"total"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&list))
	res.Body.Close()
	require.Equal(t, 11, list.Total)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-done:
		require.NoError(t, err, output.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("server did not stop on SIGTERM:\n%s", output.String())
	}
	return output.String()
}

// lockedBuffer collects a child's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// `quality report` writes the same workbook as the API, offline; a bad period or level
// names its flag.
func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("QUALITY_DB", "sqlite:"+filepath.Join(dir, "q.db"))
	t.Setenv("QUALITY_ADMIN_PASSWORD", "admin-pass-123")
	require.NoError(t, run([]string{"seed"}))
	out := filepath.Join(dir, "ranking.xlsx")
	require.NoError(t, run([]string{"report", "--period", "2026-Q3", "--level", "city", "--out", out}))
	f, err := excelize.OpenFile(out)
	require.NoError(t, err)
	defer f.Close()
	require.Contains(t, f.GetSheetList(), "县分公司排名")
	rows, err := f.GetRows("市公司排名")
	require.NoError(t, err)
	require.Len(t, rows, 2+11, "the 11 city companies, unranked without data")
	require.ErrorContains(t, run([]string{"report", "--period", "2026-Q5", "--out", out}), "--period")
	require.ErrorContains(t, run([]string{"report", "--period", "2026-Q3", "--level", "outlet", "--out", out}), "--level")
	require.ErrorContains(t, run([]string{"report", "--period", "2099", "--out", out}), "not started")
}

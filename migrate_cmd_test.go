package main

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// migrate --dry-run lists the steps a release's database needs and changes nothing;
// version names both schemas; migrate then runs exactly those steps.
func TestMigrateDryRunAndVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.db")
	f, err := os.Open("models/testdata/releases/schema3early.sqlite.gz")
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	raw, err := io.ReadAll(zr)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, raw, 0o600))
	t.Setenv("QUALITY_DB", "sqlite:"+path)

	out := stdout(t, func() error { return run([]string{"migrate", "--dry-run"}) })
	require.Equal(t, "database schema 3, this program's 6\n"+
		"would run: 4 service metrics, ranking exports and the attempts' pass index\n"+
		"would run: 5 the ranking's covering indexes\n"+
		"would run: 6 the supervision release's later columns\n", out)
	require.Contains(t, stdout(t, func() error { return run([]string{"version"}) }), "database schema 3 (3 steps to run)",
		"the dry run changed nothing")

	require.Equal(t, "schema version 6\n", stdout(t, func() error { return run([]string{"migrate"}) }))
	require.Equal(t, "database schema 6, this program's 6\nnothing to do\n", stdout(t, func() error { return run([]string{"migrate", "--dry-run"}) }))
	require.Contains(t, stdout(t, func() error { return run([]string{"version"}) }), "schema 6\ndatabase schema 6 (0 steps to run)\n")
}

// stdout runs fn and returns what it printed.
func stdout(t *testing.T, fn func() error) string {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	saved := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	err = fn()
	os.Stdout = saved
	w.Close()
	require.NoError(t, err)
	return <-done
}

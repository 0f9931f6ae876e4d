package models

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseDSN(t *testing.T) {
	tests := []struct {
		in      string
		dialect Dialect
		want    string // substring of Path or Driver
		wantErr string
	}{
		{in: "sqlite:./data/quality.db", dialect: SQLite, want: "./data/quality.db"},
		{in: "sqlite:///tmp/q.db", dialect: SQLite, want: "/tmp/q.db"},
		{in: "data/q.db", dialect: SQLite, want: "data/q.db"},
		{in: "mysql://u:p@tcp(127.0.0.1:3306)/quality", dialect: MySQL, want: "parseTime=true"},
		{in: "mysql://u:p@tcp(127.0.0.1:3306)/quality", dialect: MySQL, want: "charset=utf8mb4"},
		{in: "mysql://u:p@tcp(127.0.0.1:3306)/quality", dialect: MySQL, want: "interpolateParams=true"},
		{in: "mysql://u:p@tcp(127.0.0.1:3306)/quality?interpolateParams=false", dialect: MySQL, want: "u:p@tcp(127.0.0.1:3306)/quality"},
		{in: "mysql://u:p@tcp(127.0.0.1:3306)/", wantErr: "names no database"},
		{in: "postgres://x", wantErr: "unknown database"},
		{in: "", wantErr: "unknown database"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDSN(tt.in)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.dialect, got.Dialect)
			require.Contains(t, got.Path+got.Driver, tt.want)
		})
	}
}

// Start-up refuses an engine that may lose acknowledged commits, unless accepted.
func TestDurabilityCheck(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "q.db"), OpenOptions{})
	require.NoError(t, err)
	defer Close(db)
	sqlDB, err := db.DB()
	require.NoError(t, err)
	sqlDB.SetMaxOpenConns(1) // the pragma below holds for this one connection
	require.NoError(t, db.Exec("PRAGMA synchronous = NORMAL").Error)

	err = checkDurability(ctx, db, false)
	require.Error(t, err)
	require.True(t, strings.Contains(err.Error(), "synchronous=1"), err.Error())
	require.NoError(t, checkDurability(ctx, db, true))
}

func TestOpenUnreachableMySQLFailsClearly(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 15e9)
	defer cancel()
	_, err := Open(ctx, "mysql://nobody:x@tcp(127.0.0.1:1)/quality", OpenOptions{})
	require.ErrorContains(t, err, "open mysql")
}

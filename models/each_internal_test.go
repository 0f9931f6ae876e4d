package models

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"gorm.io/gorm"
)

type eachRow struct {
	ID uint
	N  int
}

// TestEachByID: every row once, in order both ways, across several batches and a last
// partial one, with the query rebuilt for each batch.
func TestEachByID(t *testing.T) {
	db, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "each.db"), OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer Close(db)
	if err := db.AutoMigrate(&eachRow{}); err != nil {
		t.Fatal(err)
	}
	const n = 2*exportBatch + 7
	rows := make([]eachRow, n)
	for i := range rows {
		rows[i].N = i
	}
	if err := db.CreateInBatches(rows, 500).Error; err != nil {
		t.Fatal(err)
	}
	for _, desc := range []bool{false, true} {
		var got []uint
		batches := 0
		query := func() (*gorm.DB, error) { return db.Model(&eachRow{}), nil }
		err := eachByID(query, "id", desc, func(r *eachRow) uint { return r.ID }, func(b []eachRow) error {
			batches++
			for _, r := range b {
				got = append(got, r.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := make([]uint, n)
		for i := range want {
			want[i] = uint(i + 1)
		}
		if desc {
			slices.Reverse(want)
		}
		if !slices.Equal(got, want) || batches != 3 {
			t.Fatalf("desc=%v: %d rows in %d batches, in order: %v", desc, len(got), batches, slices.Equal(got, want))
		}
	}
}

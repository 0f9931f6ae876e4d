package models

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"gorm.io/gorm"
)

type eachRow struct {
	ID uint
	N  int
}

// eachTable is a new SQLite database with n rows of eachRow.
func eachTable(t *testing.T, n int) *gorm.DB {
	t.Helper()
	db, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "each.db"), OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Close(db) })
	if err := db.AutoMigrate(&eachRow{}); err != nil {
		t.Fatal(err)
	}
	rows := make([]eachRow, n)
	for i := range rows {
		rows[i].N = i
	}
	if err := db.CreateInBatches(rows, 500).Error; err != nil {
		t.Fatal(err)
	}
	return db
}

// TestEachByID: every row once, in order both ways, across several batches and a last
// partial one, with the query rebuilt for each batch.
func TestEachByID(t *testing.T) {
	const n = 2*exportBatch + 7
	db := eachTable(t, n)
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

// TestEachByIDAhead: the batch after the one being handled is read meanwhile (on the
// pool) or after it (in a transaction, one connection), with the same rows either way,
// also when the rows fill the last batch exactly; a refusal by fn ends the loop with
// its error once the read ahead is back.
func TestEachByIDAhead(t *testing.T) {
	const n = 2 * exportBatch
	db := eachTable(t, n)
	collect := func(conn *gorm.DB) ([]uint, int) {
		var got []uint
		queries := 0
		query := func() (*gorm.DB, error) { queries++; return conn.Model(&eachRow{}), nil }
		err := eachByID(query, "id", false, func(r *eachRow) uint { return r.ID }, func(b []eachRow) error {
			for _, r := range b {
				got = append(got, r.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got, queries
	}
	pooled, q1 := collect(db)
	var inTx []uint
	var q2 int
	if err := db.Transaction(func(tx *gorm.DB) error { inTx, q2 = collect(tx); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(pooled) != n || !slices.Equal(pooled, inTx) || !slices.IsSorted(pooled) {
		t.Fatalf("pooled %d rows, in a transaction %d, same %v", len(pooled), len(inTx), slices.Equal(pooled, inTx))
	}
	if q1 != 3 || q2 != 3 {
		t.Fatalf("two full batches and the empty read after them: %d and %d queries", q1, q2)
	}

	stop := errors.New("stop")
	handled := 0
	err := eachByID(func() (*gorm.DB, error) { return db.Model(&eachRow{}), nil }, "id", false,
		func(r *eachRow) uint { return r.ID }, func(b []eachRow) error { handled++; return stop })
	if !errors.Is(err, stop) || handled != 1 {
		t.Fatalf("err %v after %d batches", err, handled)
	}
}

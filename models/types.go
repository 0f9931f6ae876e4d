package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Date is a calendar date without time or zone (a hire date), stored as DATE.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.Year == 0 }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// GormDataType makes the column a DATE on both engines.
func (Date) GormDataType() string { return "date" }

// Value stores the date as YYYY-MM-DD.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a DATE as MySQL (time.Time with parseTime) or SQLite (text) returns it.
func (d *Date) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = DateOf(x.UTC())
		return nil
	case string:
		return d.scanString(x)
	case []byte:
		return d.scanString(string(x))
	}
	return fmt.Errorf("scan date from %T", v)
}

func (d *Date) scanString(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// MarshalJSON writes "YYYY-MM-DD" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == nil || *s == "" {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(*s)
	if err != nil {
		// A type error lets encoding/json name the field that failed.
		return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(*s), Type: reflect.TypeFor[Date]()}
	}
	*d = p
	return nil
}

// Page selects one page of a list; zero values mean page 1 of 20.
type Page struct {
	Page    int
	PerPage int
}

// MaxPerPage bounds per_page so one request cannot pull a whole table.
const MaxPerPage = 200

// Normalize fills defaults and clamps to MaxPerPage.
func (p Page) Normalize() Page {
	if p.Page < 1 {
		p.Page = 1
	}
	if p.PerPage < 1 {
		p.PerPage = 20
	}
	if p.PerPage > MaxPerPage {
		p.PerPage = MaxPerPage
	}
	return p
}

// Offset is the number of rows before the page.
func (p Page) Offset() int { p = p.Normalize(); return (p.Page - 1) * p.PerPage }

// List is one page of items and the total count, the shape of every list response.
type List[T any] struct {
	Items []T   `json:"items"`
	Total int64 `json:"total"`
}

// exportBatch is how many rows an export loop reads at a time.
const exportBatch = 1000

// eachByID runs query afresh for each batch of rows in id order on column (keyset
// paging: descending with desc), calling fn with each batch, so an export never holds
// every row at once. id reads a row's id.
//
// While fn handles one batch the next is already being read, on another connection:
// an export's time is then the longer of reading and writing, not their sum (the
// ranking workbook's 12,601 inspections of a quarter take about as long to read on
// SQLite as to write). At most two batches are held. A query bound to a transaction
// is read one batch after the other, since a transaction is one connection.
func eachByID[T any](query func() (*gorm.DB, error), column string, desc bool, id func(*T) uint, fn func([]T) error) error {
	order, cmp := column, column+" > ?"
	if desc {
		order, cmp = column+" DESC", column+" < ?"
	}
	read := func(after *uint) ([]T, bool, error) {
		q, err := query()
		if err != nil {
			return nil, false, err
		}
		_, inTx := q.Statement.ConnPool.(gorm.TxCommitter)
		if after != nil {
			q = q.Where(cmp, *after)
		}
		var items []T
		err = q.Order(order).Limit(exportBatch).Find(&items).Error
		return items, inTx, err
	}
	type batch struct {
		items []T
		err   error
	}
	items, inTx, err := read(nil)
	ahead := !inTx
	for {
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return nil
		}
		full := len(items) == exportBatch
		after := id(&items[len(items)-1])
		var next chan batch
		if full && ahead {
			next = make(chan batch, 1)
			go func() {
				b, _, err := read(&after)
				next <- batch{b, err}
			}()
		}
		if err := fn(items); err != nil {
			if next != nil {
				<-next // the read ahead ends before the export returns
			}
			return err
		}
		switch {
		case !full:
			return nil
		case next != nil:
			b := <-next
			items, err = b.items, b.err
		default:
			items, _, err = read(&after)
		}
	}
}

// pageOf counts the rows of q and reads page p of them in order; preloads on q apply
// to the page only.
func pageOf[T any](q *gorm.DB, p Page, order string) (List[T], error) {
	out := List[T]{Items: []T{}}
	if err := q.Count(&out.Total).Error; err != nil {
		return out, err
	}
	p = p.Normalize()
	err := q.Order(order).Offset(p.Offset()).Limit(p.PerPage).Find(&out.Items).Error
	return out, err
}

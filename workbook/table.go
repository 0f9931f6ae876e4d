package workbook

import (
	"io"
	"strings"
)

// Field is one column of an import sheet: Key is its JSON name, also accepted as the
// header, and Title its header in the template, a trailing asterisk marking it required.
type Field struct{ Key, Title string }

// Required reports whether the sheet must have the column.
func (c Field) Required() bool { return strings.HasSuffix(c.Title, "*") }

// ReadTable reads an import sheet with Each: the first non-blank row is the header,
// matched to cols by Columns, and every later non-blank row goes to fn with its row
// number and a getter of a cell's trimmed text by column key ("" when absent). A
// missing required column, a missing header or more than maxRows data rows is added
// to rep and stops the reading; rows read until then mean nothing, so the caller
// checks rep.Errors before using them.
func ReadTable(r io.Reader, lim Limits, sheet string, cols []Field, maxRows int, rep *Report, fn func(row int, cell func(key string) string)) error {
	keys, titles := make([]string, len(cols)), make([]string, len(cols))
	for i, c := range cols {
		keys[i], titles[i] = c.Key, c.Title
	}
	var at map[string]int
	rows := 0
	err := Each(r, lim, sheet, func(n int, cells []string) bool {
		if at == nil {
			at = Columns(cells, keys, titles)
			missing := false
			for _, c := range cols {
				if _, ok := at[c.Key]; !ok && c.Required() {
					rep.Errors = append(rep.Errors, RowError{Row: n, Field: c.Key, Code: "missing_column", Value: c.Title})
					missing = true
				}
			}
			return !missing
		}
		if rows == maxRows {
			rep.Errors = append(rep.Errors, RowError{Row: n, Code: "too_many_rows", Params: map[string]any{"max": maxRows}})
			return false
		}
		rows++
		fn(n, func(key string) string {
			i, ok := at[key]
			if !ok || i >= len(cells) {
				return ""
			}
			return strings.TrimSpace(cells[i])
		})
		return true
	})
	if err != nil {
		return err
	}
	if at == nil {
		rep.Errors = append(rep.Errors, RowError{Row: 1, Code: "missing_header"})
	}
	return nil
}

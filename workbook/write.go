package workbook

import (
	"fmt"
	"io"
	"reflect"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// MaxRows is how many rows one Excel sheet holds.
const MaxRows = 1_048_576

// Kind says how a column's values are written and shown.
type Kind int

// Column kinds. Numbers are numbers with a number format, never text; text is always
// a text cell, never a formula, whatever it starts with (= + - @).
const (
	// Text: a string cell.
	Text Kind = iota
	// Int: a whole number, shown 1,234.
	Int
	// Hundredths: a number given in hundredths (a score 90.26 as 9026), shown 90.26.
	Hundredths
	// Percent: a share given in hundredths of a percent (90.26 % as 9026), stored as
	// the fraction 0.9026 and shown 90.26%.
	Percent
	// DateTime: an instant, shown in the writer's zone as 2026-09-30 23:30.
	DateTime
	// Date: a calendar day given as a time at midnight UTC, shown 2026-09-30.
	Date
	// Decimal: a measured number given as a float64 (a correlation, a mean), shown to
	// two places; the cell keeps every digit.
	Decimal
	// ID: a record's number or a version, a whole number shown without separators
	// (1234, not 1,234), as the pages and the URLs show it.
	ID
)

// Column is one column of a sheet.
type Column struct {
	Title string
	Kind  Kind
	// Width in characters; 0 fits the title (a Chinese character counts two).
	Width float64
}

// SheetOptions shape a sheet.
type SheetOptions struct {
	// Title is a line above the header (period, cut-off); the header is then row 2.
	Title string
	// NoFilter leaves out the autofilter on the header.
	NoFilter bool
}

// Writer builds one .xlsx workbook of streamed sheets: each sheet has a header row
// that is frozen, filtered and repeated on every printed page (A4 landscape, one page
// wide), widths that fit Chinese text, and continues on a next sheet of the same name
// when it reaches the row limit. Nothing is written to the caller until WriteTo, so a
// failure can still become an error response.
type Writer struct {
	f       *excelize.File
	loc     *time.Location
	styles  map[Kind]int
	marked  map[Kind]int // the same, highlighted
	header  int
	title   int
	used    bool // the first sheet (Sheet1) has been taken
	rowsCap int
	parts   []SheetInfo
}

// SheetInfo tells what one written sheet holds: its data rows (title and header apart)
// and its columns' kinds.
type SheetInfo struct {
	Name  string
	Kinds []Kind
	Rows  int
}

// Sheets lists the sheets closed so far, in order.
func (w *Writer) Sheets() []SheetInfo { return w.parts }

// NewWriter starts a workbook showing instants in loc.
func NewWriter(loc *time.Location) (*Writer, error) {
	w := &Writer{f: excelize.NewFile(), loc: loc, styles: map[Kind]int{}, marked: map[Kind]int{}, rowsCap: MaxRows}
	formats := map[Kind]string{Text: "@", Int: "#,##0", Hundredths: "0.00", Percent: "0.00%", DateTime: "yyyy-mm-dd hh:mm", Date: "yyyy-mm-dd", Decimal: "0.00", ID: "0"}
	for k, nf := range formats {
		f := nf
		var err error
		if w.styles[k], err = w.f.NewStyle(&excelize.Style{CustomNumFmt: &f}); err != nil {
			return nil, err
		}
		if w.marked[k], err = w.f.NewStyle(&excelize.Style{CustomNumFmt: &f, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFE0E0"}},
			Font: &excelize.Font{Color: "9C0006"}}); err != nil {
			return nil, err
		}
	}
	var err error
	if w.header, err = w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}); err != nil {
		return nil, err
	}
	if w.title, err = w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}}); err != nil {
		return nil, err
	}
	return w, nil
}

// File is the workbook, for charts, conditional formats and properties; add them to a
// sheet before its Close.
func (w *Writer) File() *excelize.File { return w.f }

// SetRowLimit lowers the rows per sheet (for tests of the continuation).
func (w *Writer) SetRowLimit(n int) { w.rowsCap = n }

// WriteTo writes the workbook; every sheet must be closed. The first sheet is the
// active one as excelize's new workbook has it: SetActiveSheet would read every
// streamed sheet back into memory to clear its selection (at province scale, 1.4 s and
// most of the peak memory of the quarterly workbook).
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	return w.f.WriteTo(out)
}

// Close releases the workbook's temporary files.
func (w *Writer) Close() error { return w.f.Close() }

// Sheet is one streamed sheet (and its continuations).
type Sheet struct {
	w     *Writer
	base  string
	name  string
	cols  []Column
	opt   SheetOptions
	part  int
	sw    *excelize.StreamWriter
	row   int // the last row written
	first int // the header row
}

// DisplayWidth is the width of s in characters, a Chinese character counting two.
func DisplayWidth(s string) float64 {
	n := 0.0
	for _, r := range s {
		if r > 0x2E7F {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// NewSheet adds a sheet named name (at most 31 characters, without : \ / ? * [ ]).
func (w *Writer) NewSheet(name string, cols []Column, opt SheetOptions) (*Sheet, error) {
	s := &Sheet{w: w, base: name, cols: cols, opt: opt, part: 1}
	return s, s.open()
}

// partName is the name of the sheet's nth part: 巡查明细, 巡查明细 (2), …
func (s *Sheet) partName() string {
	if s.part == 1 {
		return s.base
	}
	suffix := fmt.Sprintf(" (%d)", s.part)
	name := s.base
	for utf8.RuneCountInString(name+suffix) > 31 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name + suffix
}

func (s *Sheet) open() error {
	f := s.w.f
	s.name = s.partName()
	if !s.w.used {
		if err := f.SetSheetName("Sheet1", s.name); err != nil {
			return err
		}
		s.w.used = true
	} else if _, err := f.NewSheet(s.name); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(s.name)
	if err != nil {
		return err
	}
	s.sw = sw
	for i, c := range s.cols {
		width := c.Width
		if width == 0 {
			width = max(DisplayWidth(c.Title)+2, 10)
			if c.Kind == DateTime {
				width = max(width, 17)
			}
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	s.first = 1
	if s.opt.Title != "" {
		s.first = 2
	}
	header := make([]any, len(s.cols))
	for i, c := range s.cols {
		header[i] = excelize.Cell{StyleID: s.w.header, Value: c.Title}
	}
	top, _ := excelize.CoordinatesToCellName(1, s.first+1)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: s.first, TopLeftCell: top, ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if s.opt.Title != "" {
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: s.w.title, Value: s.opt.Title}}); err != nil {
			return err
		}
	}
	s.row = s.first
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	return sw.SetRow(cell, header, excelize.RowOpts{Height: 30})
}

// Name is the name of the part being written.
func (s *Sheet) Name() string { return s.name }

// HeaderRow is the row of the header in the part being written.
func (s *Sheet) HeaderRow() int { return s.first }

// LastRow is the last row written in the part being written.
func (s *Sheet) LastRow() int { return s.row }

// Add writes one row, one value per column (nil: an empty cell; a string in a number
// column: that text, such as 无数据).
func (s *Sheet) Add(values ...any) error { return s.add(false, values) }

// AddMarked writes one row highlighted (an overdue rectification).
func (s *Sheet) AddMarked(values ...any) error { return s.add(true, values) }

func (s *Sheet) add(marked bool, values []any) error {
	if s.row >= s.w.rowsCap {
		if err := s.Close(); err != nil {
			return err
		}
		s.part++
		if err := s.open(); err != nil {
			return err
		}
	}
	styles := s.w.styles
	if marked {
		styles = s.w.marked
	}
	cells := make([]any, len(s.cols))
	for i, c := range s.cols {
		var v any
		if i < len(values) {
			v = values[i]
		}
		cells[i] = s.w.cell(c.Kind, styles, v)
	}
	s.row++
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	return s.sw.SetRow(cell, cells)
}

// cell converts v for a column of kind k.
func (w *Writer) cell(k Kind, styles map[Kind]int, v any) excelize.Cell {
	style := styles[k]
	switch x := v.(type) {
	case nil:
		return excelize.Cell{StyleID: style}
	case string:
		return excelize.Cell{StyleID: styles[Text], Value: x}
	case float64:
		// A measured number stays a number, in whatever column it comes.
		if k != Decimal && k != Hundredths {
			style = styles[Decimal]
		}
		return excelize.Cell{StyleID: style, Value: x}
	case time.Time:
		if x.IsZero() {
			return excelize.Cell{StyleID: style}
		}
		if k == DateTime {
			// The wall clock of the zone, as a serial date: what the reader's Excel shows.
			l := x.In(w.loc)
			x = time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
		}
		return excelize.Cell{StyleID: style, Value: x}
	}
	// The common cells above never reach reflection; a pointer is followed here.
	if r := reflect.ValueOf(v); r.Kind() == reflect.Pointer {
		if r.IsNil() {
			return excelize.Cell{StyleID: style}
		}
		return w.cell(k, styles, r.Elem().Interface())
	}
	n, ok := asInt(v)
	if !ok {
		return excelize.Cell{StyleID: styles[Text], Value: fmt.Sprint(v)}
	}
	switch k {
	case Hundredths:
		return excelize.Cell{StyleID: style, Value: float64(n) / 100}
	case Percent:
		return excelize.Cell{StyleID: style, Value: float64(n) / 10000}
	case Text:
		return excelize.Cell{StyleID: style, Value: fmt.Sprint(n)}
	case Decimal:
		return excelize.Cell{StyleID: styles[Int], Value: n}
	}
	return excelize.Cell{StyleID: style, Value: n}
}

// asInt reads any whole number, of a named type (a Percent) too.
func asInt(v any) (int64, bool) {
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return r.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(r.Uint()), true
	}
	return 0, false
}

// Close ends the part being written: filter over the header and the rows, print setup
// (A4 landscape, one page wide, the header repeated), then flushes it.
func (s *Sheet) Close() error {
	if s.sw == nil {
		return nil
	}
	f := s.w.f
	last, _ := excelize.CoordinatesToCellName(len(s.cols), max(s.row, s.first))
	if !s.opt.NoFilter {
		first, _ := excelize.CoordinatesToCellName(1, s.first)
		if err := f.AutoFilter(s.name, first+":"+last, nil); err != nil {
			return err
		}
	}
	a4, one, zero, landscape := 9, 1, 0, "landscape"
	if err := f.SetPageLayout(s.name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: s.name,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", s.name, s.first, s.first)}); err != nil {
		return err
	}
	err := s.sw.Flush()
	s.sw = nil
	kinds := make([]Kind, len(s.cols))
	for i, c := range s.cols {
		kinds[i] = c.Kind
	}
	s.w.parts = append(s.w.parts, SheetInfo{Name: s.name, Kinds: kinds, Rows: s.row - s.first})
	return err
}

// Titles are the header of a sheet of cols.
func Titles(cols []Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Title
	}
	return out
}

// Stream writes a workbook to out: fill adds and closes its sheets; nothing reaches out
// unless fill succeeds, so the caller (holding a buffer) can still answer an error.
func Stream(out io.Writer, loc *time.Location, fill func(w *Writer) error) error {
	w, err := NewWriter(loc)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := fill(w); err != nil {
		return err
	}
	_, err = w.WriteTo(out)
	return err
}

// HelpSheet names the filling instructions beside an importable sheet.
const HelpSheet = "填写说明"

// AddHelp adds the filling instructions of a template: a sheet HelpSheet of column and
// explanation, one line each; the first column fits the longest column name, the
// explanation is width characters wide.
func (w *Writer) AddHelp(width float64, lines [][2]string) error {
	first := 10.0
	for _, l := range lines {
		first = max(first, DisplayWidth(l[0])+2)
	}
	s, err := w.NewSheet(HelpSheet, []Column{{Title: "列", Width: first}, {Title: "说明", Width: width}}, SheetOptions{NoFilter: true})
	if err != nil {
		return err
	}
	for _, l := range lines {
		if err := s.Add(l[0], l[1]); err != nil {
			return err
		}
	}
	return s.Close()
}

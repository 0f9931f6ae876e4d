package workbook

import (
	"errors"

	"github.com/xuri/excelize/v2"
)

// MaxSheetRows is what one sheet holds after its header row (Excel's limit).
const MaxSheetRows = 1_048_575

// ErrSheetFull is a row beyond MaxSheetRows.
var ErrSheetFull = errors.New("more rows than one sheet holds")

// Sheet is a streamed export sheet: a bold header row, then rows in order. A string is
// written as a string cell, never a formula, whatever it starts with (SECURITY.md,
// Files: exports); call Flush before writing the workbook out, and write nothing else
// to the sheet cell by cell.
type Sheet struct {
	sw  *excelize.StreamWriter
	row int
}

// NewSheet starts streaming the existing sheet name of x with the header and the column
// widths (in Excel's units, from column A).
func NewSheet(x *excelize.File, name string, header []string, widths []float64) (*Sheet, error) {
	sw, err := x.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return nil, err
		}
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return nil, err
	}
	return &Sheet{sw: sw, row: 1}, nil
}

// Add writes the next row.
func (s *Sheet) Add(vals ...any) error {
	if s.row > MaxSheetRows {
		return ErrSheetFull
	}
	s.row++
	cell, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, vals)
}

// Flush ends the sheet.
func (s *Sheet) Flush() error { return s.sw.Flush() }

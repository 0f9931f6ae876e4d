// Package workbook reads untrusted .xlsx uploads within fixed bounds (SECURITY.md,
// Files) and writes exports whose cells are never formulas.
package workbook

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// ErrBad means the upload is not a readable .xlsx workbook, or breaks a limit.
var ErrBad = errors.New("not a readable .xlsx workbook")

// Limits bound what one upload may cost.
type Limits struct {
	// MaxBytes bounds the upload itself.
	MaxBytes int64
	// MaxUnzipped bounds the unzipped workbook and MaxPart each unzipped part.
	MaxUnzipped, MaxPart int64
	// MaxSharedString bounds one shared string: excelize copies a shared string into
	// every cell that refers to it, so one long string behind thousands of cells would
	// turn a small upload into gigabytes.
	MaxSharedString int
	// MaxText bounds the text read from the sheet.
	MaxText int
}

// RosterLimits suit a staff roster: short cells.
var RosterLimits = Limits{MaxBytes: 10 << 20, MaxUnzipped: 20 << 20, MaxPart: 16 << 20, MaxSharedString: 2 << 10, MaxText: 32 << 20}

// Each reads the named sheet (or the first, when there is none of that name) of an
// untrusted upload and calls fn with the 1-based row number, as Excel shows it, and the
// raw cell values of every non-blank row, until fn returns false.
func Each(r io.Reader, lim Limits, sheet string, fn func(row int, cells []string) bool) error {
	b, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBad, err)
	}
	if int64(len(b)) > lim.MaxBytes {
		return fmt.Errorf("%w: larger than %d bytes", ErrBad, lim.MaxBytes)
	}
	if err := checkSharedStrings(b, lim); err != nil {
		return fmt.Errorf("%w: %v", ErrBad, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: lim.MaxUnzipped, UnzipXMLSizeLimit: lim.MaxPart})
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBad, err)
	}
	defer f.Close()
	if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		sheet = f.GetSheetName(0)
	}
	it, err := f.Rows(sheet)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBad, err)
	}
	defer it.Close()
	read := 0
	for n := 1; it.Next(); n++ {
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return fmt.Errorf("%w: row %d: %v", ErrBad, n, err)
		}
		for _, c := range cells {
			read += len(c)
		}
		if read > lim.MaxText {
			return fmt.Errorf("%w: more than %d bytes of text", ErrBad, lim.MaxText)
		}
		if Blank(cells) {
			continue
		}
		if !fn(n, cells) {
			return nil
		}
	}
	if err := it.Error(); err != nil {
		return fmt.Errorf("%w: %v", ErrBad, err)
	}
	return nil
}

// checkSharedStrings refuses a workbook holding a shared string longer than the limit,
// before excelize multiplies it into every cell that uses it.
func checkSharedStrings(b []byte, lim Limits) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil // not a zip: excelize says so
	}
	for _, zf := range zr.File {
		// excelize finds the part the same way, whatever its case or slashes.
		if !strings.EqualFold(strings.ReplaceAll(zf.Name, `\`, "/"), "xl/sharedStrings.xml") {
			continue
		}
		if zf.UncompressedSize64 > uint64(lim.MaxUnzipped) {
			return fmt.Errorf("shared strings larger than %d bytes", lim.MaxUnzipped)
		}
		rc, err := zf.Open()
		if err != nil {
			return err
		}
		err = checkStringItems(rc, lim.MaxSharedString)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func checkStringItems(r io.Reader, max int) error {
	d := xml.NewDecoder(r)
	inItem, n := false, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("shared strings: %w", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Local == "si" {
				inItem, n = true, 0
			}
		case xml.EndElement:
			if tok.Name.Local == "si" {
				inItem = false
			}
		case xml.CharData:
			if n += len(tok); inItem && n > max {
				return fmt.Errorf("a shared string longer than %d bytes", max)
			}
		}
	}
}

// Blank reports whether a row has no text.
func Blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Clip shortens s to n characters, marking the cut, for values echoed in reports.
func Clip(s string, n int) string {
	i := 0
	for range n {
		if i >= len(s) {
			return s
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i >= len(s) {
		return s
	}
	return s[:i] + "…"
}

// Columns maps each header cell to its column: a header matches a key or a title, with
// or without the trailing asterisk that marks a required column.
func Columns(header []string, keys, titles []string) map[string]int {
	cols := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(h), "*"))
		for j, k := range keys {
			if h == k || h == strings.TrimSuffix(titles[j], "*") {
				cols[k] = i
			}
		}
	}
	return cols
}

package workbook

import "fmt"

// RowError is one problem of one row of an import (row numbers as Excel shows them).
type RowError struct {
	Row    int            `json:"row"`
	Field  string         `json:"field"`
	Code   string         `json:"code"`
	Params map[string]any `json:"params,omitempty"`
	Value  string         `json:"value,omitempty"`
}

// Report tells what an import did, or would do in a dry run.
type Report struct {
	DryRun    bool       `json:"dry_run"`
	Rows      int        `json:"rows"`
	Created   int        `json:"created"`
	Updated   int        `json:"updated"`
	Unchanged int        `json:"unchanged"`
	Errors    []RowError `json:"errors"`
}

// ImportError is an import refused because of row errors; nothing was written.
type ImportError struct{ Report *Report }

func (e *ImportError) Error() string {
	return fmt.Sprintf("import refused: %d row errors", len(e.Report.Errors))
}

package models

import (
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// ErrNotFound is returned, wrapped, by every lookup that finds no row in the caller's scope.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned, wrapped, when a write would break a unique key or a referenced row.
var ErrConflict = errors.New("conflict")

// FieldError describes what is wrong with one input field; Code is a message key suffix
// (`required`, `too_long`, `invalid`, ...) that the app translates, Params fill its placeholders.
type FieldError struct {
	Field  string         `json:"field"`
	Code   string         `json:"code"`
	Params map[string]any `json:"params,omitempty"`
}

// ValidationError lists every invalid field of one input; the app renders it as a 422 problem.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Code
	}
	return "validation failed: " + strings.Join(parts, ", ")
}

// Add records one field error.
func (e *ValidationError) Add(field, code string, params ...any) {
	fe := FieldError{Field: field, Code: code}
	if len(params) > 0 {
		fe.Params = map[string]any{}
		for i := 0; i+1 < len(params); i += 2 {
			fe.Params[fmt.Sprint(params[i])] = params[i+1]
		}
	}
	e.Fields = append(e.Fields, fe)
}

// Err returns the error itself when any field failed, or nil.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// ConflictError is a conflict with a field and a reason the app can show; it unwraps to ErrConflict.
type ConflictError struct {
	Field string
	Code  string
}

func (e *ConflictError) Error() string { return "conflict: " + e.Field + ": " + e.Code }

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// ErrStale is returned, wrapped, when a change was based on a revision of a record that
// another change has replaced: the caller reloads and decides again (409, never a silent
// overwrite).
var ErrStale = &ConflictError{Field: "revision", Code: "stale"}

// staleUnlessOne is res's error, or ErrStale naming the record when the conditional
// update it ran changed no row (another change came first).
func staleUnlessOne(res *gorm.DB, what string, id uint) error {
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("%s %d: %w", what, id, ErrStale)
	}
	return nil
}

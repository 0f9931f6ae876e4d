package dbtest

import (
	"errors"
	"testing"

	"quality/models"
)

// RequireFieldError fails the test unless err is a *models.ValidationError naming field
// with code.
func RequireFieldError(t testing.TB, err error, field, code string) {
	t.Helper()
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a validation error with %s: %s, got %v", field, code, err)
	}
	for _, fe := range ve.Fields {
		if fe.Field == field && fe.Code == code {
			return
		}
	}
	t.Fatalf("field error %s: %s missing in %v", field, code, ve.Fields)
}

// RequireConflict fails the test unless err is a *models.ConflictError with field and code.
func RequireConflict(t testing.TB, err error, field, code string) {
	t.Helper()
	var ce *models.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("want a conflict on %s: %s, got %v", field, code, err)
	}
	if ce.Field != field || ce.Code != code {
		t.Fatalf("got conflict %s: %s, want %s: %s", ce.Field, ce.Code, field, code)
	}
	if !errors.Is(err, models.ErrConflict) {
		t.Fatalf("conflict %v does not unwrap to models.ErrConflict", err)
	}
}

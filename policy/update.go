package policy

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gorm.io/gorm"

	"quality/models"
)

// Input changes the settings of the supervision side; fields left out keep their
// value. Each has a range: the rules' numbers are defaults the provincial office tunes,
// within bounds that keep every rule meaningful.
type Input struct {
	RectifyDays          *int   `json:"rectify_days"`
	CriticalRectifyDays  *int   `json:"critical_rectify_days"`
	ReminderDays         *int   `json:"reminder_days"`
	ProvinceAfterDays    *int   `json:"province_after_days"`
	StatementWorkingDays *int   `json:"statement_working_days"`
	RepeatWindowDays     *int   `json:"repeat_window_days"`
	FarFromOutletMeters  *int   `json:"far_from_outlet_meters"`
	PhotoMaxBytes        *int64 `json:"photo_max_bytes"`
	PassMark             *int   `json:"pass_mark"`
	// Holidays and ExtraWorkdays replace the whole list when given (YYYY-MM-DD dates, at
	// most MaxDates each, none in both); they are stored sorted, without repeats.
	Holidays      *[]string `json:"holidays" maxItems:"200,dedupe"`       // MaxDates
	ExtraWorkdays *[]string `json:"extra_workdays" maxItems:"200,dedupe"` // MaxDates
}

// MaxDates bounds each list of dates of the policy (holidays, extra working days).
const MaxDates = 200 // = the maxItems tag of Input.Holidays and ExtraWorkdays

// Ranges are the bounds of each setting, by JSON name.
var Ranges = map[string][2]int64{
	"rectify_days":           {1, 90},
	"critical_rectify_days":  {1, 90},
	"reminder_days":          {0, 30},
	"province_after_days":    {1, 90},
	"statement_working_days": {1, 30},   // R6.8
	"repeat_window_days":     {30, 730}, // R6.6 "within one year"
	"far_from_outlet_meters": {50, 50_000},
	// Below the server's 12 MiB request body limit (app.Config.BodyLimit), with room for
	// the form around the photo, so the limit in force is always this one.
	"photo_max_bytes": {64 << 10, 11 << 20},
	"pass_mark":       {1, 100},
}

// Update applies in to the stored policy and saves it with one audit row holding
// the before/after of each changed field. Only a caller over the whole province may:
// the policy is province-wide. Nothing changed writes nothing.
func (s *Service) Update(ctx context.Context, actor models.Actor, scope models.Scope, in Input) (Policy, error) {
	if !scope.All {
		return Policy{}, models.ErrForbidden
	}
	now := s.Now()
	// The row must exist before it is locked (see models.EnsureSetting).
	if err := models.EnsureSetting(ctx, s.DB, PolicyKey, now); err != nil {
		return Policy{}, err
	}
	var after Policy
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.LockSetting(tx, PolicyKey); err != nil {
			return err
		}
		before, err := s.load(ctx, tx)
		if err != nil {
			return err
		}
		after = before
		ve := &models.ValidationError{}
		pairs := apply(ve, in, &after, before)
		hOK := applyDates(ve, "holidays", in.Holidays, &after.Holidays, before.Holidays, pairs)
		xOK := applyDates(ve, "extra_workdays", in.ExtraWorkdays, &after.ExtraWorkdays, before.ExtraWorkdays, pairs)
		if hOK && xOK {
			if d, both := common(after.Holidays, after.ExtraWorkdays); both {
				if in.Holidays != nil {
					ve.Add("holidays", "settings_date_in_both", "value", d.String())
				}
				if in.ExtraWorkdays != nil {
					ve.Add("extra_workdays", "settings_date_in_both", "value", d.String())
				}
			}
		}
		if after.CriticalRectifyDays > after.RectifyDays {
			ve.Add("critical_rectify_days", "patrol_critical_days", "max", after.RectifyDays)
		}
		if err := ve.Err(); err != nil {
			return err
		}
		changes := models.Diff(pairs)
		if len(changes) == 0 {
			return nil
		}
		if err := models.SaveSetting(tx, PolicyKey, after, actor.UserID, now); err != nil {
			return err
		}
		return models.Audit(tx, actor, "update", "setting", PolicyKey, map[string]any{"changes": changes})
	})
	return after, err
}

// apply copies every given field of in into p, checking its range, and returns the
// before/after pairs by JSON name.
func apply(ve *models.ValidationError, in Input, p *Policy, before Policy) map[string][2]any {
	pairs := map[string][2]any{}
	src, dst, old := reflect.ValueOf(in), reflect.ValueOf(p).Elem(), reflect.ValueOf(before)
	for i := range src.NumField() {
		f := src.Type().Field(i)
		v := src.Field(i)
		if v.IsNil() || v.Elem().Kind() == reflect.Slice { // lists: see applyDates
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		n := v.Elem().Int()
		r := Ranges[name]
		if n < r[0] || n > r[1] {
			ve.Add(name, "out_of_range", "min", r[0], "max", r[1])
			continue
		}
		dst.FieldByName(f.Name).SetInt(n)
		pairs[name] = [2]any{old.FieldByName(f.Name).Int(), n}
	}
	return pairs
}

// applyDates checks the list of dates in (nil: unchanged) and puts it, sorted and without
// repeats, in *dst, with the before/after pair under name. It reports whether the list
// is valid (an unchanged one is).
func applyDates(ve *models.ValidationError, name string, in *[]string, dst *[]models.Date, before []models.Date, pairs map[string][2]any) bool {
	if in == nil {
		return true
	}
	if len(*in) > MaxDates {
		ve.Add(name, "settings_too_many_dates", "max", MaxDates)
		return false
	}
	ok := true
	dates := make([]models.Date, 0, len(*in))
	for i, s := range *in {
		d, err := models.ParseDate(s)
		if err != nil || d.IsZero() {
			ve.Add(fmt.Sprintf("%s[%d]", name, i), "invalid_date")
			ok = false
			continue
		}
		dates = append(dates, d)
	}
	if !ok {
		return false
	}
	slices.SortFunc(dates, func(a, b models.Date) int { return a.Time().Compare(b.Time()) })
	dates = slices.Compact(dates)
	*dst = dates
	pairs[name] = [2]any{before, dates}
	return true
}

// common returns the first date of sorted lists a and b that is in both.
func common(a, b []models.Date) (models.Date, bool) {
	for _, d := range a {
		if slices.Contains(b, d) {
			return d, true
		}
	}
	return models.Date{}, false
}

package app

import (
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/models"
	"quality/policy"
)

// inspectionSettingNumbers are the policy's numbers in the form's order (R6, R7).
var inspectionSettingNumbers = []string{"rectify_days", "critical_rectify_days", "reminder_days", "province_after_days",
	"statement_working_days", "repeat_window_days", "far_from_outlet_meters", "photo_max_bytes", "pass_mark"}

// inspectionSettingDates are the working-day calendar's lists, typed one date a line.
var inspectionSettingDates = []string{"holidays", "extra_workdays"}

// inspectionSettingsData is the page of the inspection policy: the form (read-only for
// all but the admin), each field's messages beside it and all of them at the top.
type inspectionSettingsData struct {
	Numbers []settingsField
	Dates   []settingsField
	CanEdit bool
	Notice  string
	Summary []settingsMessage
}

func (s *server) inspectionSettingsPage(c *fiber.Ctx) error {
	notice, err := s.doneNotice(c, []string{"saved"}, "settingsweb.done_")
	if err != nil {
		return err
	}
	p, err := s.policy.Load(c.UserContext())
	if err != nil {
		return err
	}
	values := map[string]string{}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	var tree map[string]json.RawMessage
	if err := json.Unmarshal(b, &tree); err != nil {
		return err
	}
	for _, k := range inspectionSettingNumbers {
		values[k] = string(tree[k])
	}
	values["holidays"], values["extra_workdays"] = datesText(p.Holidays), datesText(p.ExtraWorkdays)
	return s.renderInspectionSettings(c, fiber.StatusOK, values, nil, notice)
}

func datesText(ds []models.Date) string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return strings.Join(out, "\n")
}

// dateSeparators split a typed list of dates: lines, commas, spaces.
var dateSeparators = regexp.MustCompile(`[\s,，、;；]+`)

// inspectionSettingsForm saves every field through the policy service's Update, the
// call the API's PUT makes (and audits); a refusal shows the form as typed.
func (s *server) inspectionSettingsForm(c *fiber.Ctx) error {
	typed := map[string]string{}
	in := policy.Input{}
	body := map[string]any{}
	var bad []models.FieldError
	for _, k := range inspectionSettingNumbers {
		v := strings.TrimSpace(strings.Clone(c.FormValue(k)))
		typed[k] = v
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case v == "":
			bad = append(bad, models.FieldError{Field: k, Code: "required"})
		case err != nil:
			bad = append(bad, models.FieldError{Field: k, Code: "whole_number"})
		default:
			body[k] = n
		}
	}
	for _, k := range inspectionSettingDates {
		v := strings.TrimSpace(strings.Clone(c.FormValue(k)))
		typed[k] = v
		list := []string{}
		for _, d := range dateSeparators.Split(v, -1) {
			if d != "" {
				list = append(list, d)
			}
		}
		body[k] = list
	}
	if len(bad) > 0 {
		return s.renderInspectionSettings(c, fiber.StatusUnprocessableEntity, typed, bad, "")
	}
	// The form becomes the API's body, so both take the same path.
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	_, err = s.policy.Update(c.UserContext(), actorOf(c), scopeOf(c), in)
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		// A date refused in a list names its place (holidays[2]): say which one was typed.
		for i, f := range ve.Fields {
			name, idx, ok := listIndex(f.Field)
			if !ok {
				continue
			}
			if list, _ := body[name].([]string); idx < len(list) {
				ve.Fields[i].Field = name
				ve.Fields[i].Params = map[string]any{"value": list[idx]}
				ve.Fields[i].Code = "settings_bad_date"
			}
		}
		return s.renderInspectionSettings(c, fiber.StatusUnprocessableEntity, typed, ve.Fields, "")
	}
	if err != nil {
		return err
	}
	return c.Redirect("/settings/inspections?done=saved", fiber.StatusSeeOther)
}

var listField = regexp.MustCompile(`^([a-z_]+)\[(\d+)\]$`)

// listIndex reads "holidays[2]" as ("holidays", 2).
func listIndex(field string) (string, int, bool) {
	m := listField.FindStringSubmatch(field)
	if m == nil {
		return "", 0, false
	}
	n, err := strconv.Atoi(m[2])
	return m[1], n, err == nil
}

func (s *server) renderInspectionSettings(c *fiber.Ctx, status int, values map[string]string, refused []models.FieldError, notice string) error {
	msgs, summary := s.settingsRefusals(language(c), "settingsweb.setting.", refused)
	d := inspectionSettingsData{CanEdit: accounts.HasRole(currentUser(c), adminOnly...), Notice: notice, Summary: summary}
	for _, k := range inspectionSettingNumbers {
		r := policy.Ranges[k]
		d.Numbers = append(d.Numbers, settingsField{Name: k, Value: values[k], Min: int(r[0]), Max: int(r[1]), Errors: msgs[k]})
	}
	for _, k := range inspectionSettingDates {
		d.Dates = append(d.Dates, settingsField{Name: k, Value: values[k], Max: policy.MaxDates, Errors: msgs[k]})
	}
	return s.render(c, status, "inspection_settings", "settingsweb.title", d)
}

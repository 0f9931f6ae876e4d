package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/models"
	"quality/org"
)

// orgUnitFormFields are the fields of an org unit's edit form, in the form's order.
var orgUnitFormFields = []formField{
	{"households", "unit-households", "orgweb.households"},
	{"urban", "unit-urban", "orgweb.urban_rural"},
	{"address", "unit-address", "orgweb.address"},
	{"phone", "unit-phone", "orgweb.phone"},
	{"lat", "unit-lat", "orgweb.lat"},
	{"lng", "unit-lng", "orgweb.lng"},
}

// orgUnitForm is the edit form as typed.
type orgUnitForm struct{ Households, Urban, Address, Phone, Lat, Lng string }

// orgUnitPageData is one unit with its edit form.
type orgUnitPageData struct {
	Unit    *models.OrgUnit
	Parent  *models.OrgUnit
	Form    orgUnitForm
	Notice  string
	Refusal *formRefusal
}

func (s *server) orgUnitPage(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	notice, err := s.doneNotice(c, []string{"saved"}, "orgweb.done_")
	if err != nil {
		return err
	}
	return s.renderOrgUnit(c, fiber.StatusOK, id, nil, notice, nil)
}

// orgUnitEditForm changes the unit through org.Service.UpdateUnit, the call of the API's PATCH
// (scope, validation, audit); a refusal shows the form as typed. Only the fields the
// form shows are sent: code, name and parent stay as they are.
func (s *server) orgUnitEditForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v := func(name string) string { return strings.TrimSpace(strings.Clone(c.FormValue(name))) }
	f := orgUnitForm{Households: v("households"), Urban: v("urban"), Address: v("address"), Phone: v("phone"), Lat: v("lat"), Lng: v("lng")}
	p, bad := f.patch()
	if len(bad) > 0 {
		err = &models.ValidationError{Fields: bad}
	} else {
		_, err = s.org.UpdateUnit(c.UserContext(), actorOf(c), scopeOf(c), id, p)
	}
	if status, r, ok := s.fieldRefusal(c, err, orgUnitFormFields); ok {
		return s.renderOrgUnit(c, status, id, &f, "", r)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/org/%d?done=saved", id), fiber.StatusSeeOther)
}

// patch reads the typed form as the API's patch, with the fields it cannot read.
// Households may be typed with thousands separators, as pages show them.
func (f orgUnitForm) patch() (org.UnitPatch, []models.FieldError) {
	p := org.UnitPatch{Address: &f.Address, Phone: &f.Phone}
	var bad []models.FieldError
	households := strings.NewReplacer(",", "", "，", "", " ", "").Replace(f.Households)
	if n, err := strconv.Atoi(households); err == nil {
		p.Households = &n
	} else if households == "" {
		bad = append(bad, models.FieldError{Field: "households", Code: "required"})
	} else if errors.Is(err, strconv.ErrRange) {
		bad = append(bad, models.FieldError{Field: "households", Code: "out_of_range"})
	} else {
		bad = append(bad, models.FieldError{Field: "households", Code: "whole_number"})
	}
	switch f.Urban {
	case "true", "false":
		urban := f.Urban == "true"
		p.Urban = &urban
	default:
		bad = append(bad, models.FieldError{Field: "urban", Code: "invalid_choice"})
	}
	// Both empty leave the position alone (the patch cannot remove one); one alone is
	// refused by the service as half a position.
	var err error
	if p.Lat, err = degrees(f.Lat); err != nil {
		bad = append(bad, models.FieldError{Field: "lat", Code: "orgweb_not_a_number"})
	}
	if p.Lng, err = degrees(f.Lng); err != nil {
		bad = append(bad, models.FieldError{Field: "lng", Code: "orgweb_not_a_number"})
	}
	return p, bad
}

// renderOrgUnit shows unit id in the caller's scope (404 outside it), with the form as
// stored or, when typed is not nil, as typed.
func (s *server) renderOrgUnit(c *fiber.Ctx, status int, id uint, typed *orgUnitForm, notice string, r *formRefusal) error {
	ctx := c.UserContext()
	u, err := models.GetOrgUnit(ctx, s.db, scopeOf(c), id)
	if err != nil {
		return err
	}
	d := orgUnitPageData{Unit: u, Notice: notice, Refusal: r, Form: orgUnitForm{
		Households: strconv.Itoa(u.Households), Urban: strconv.FormatBool(u.Urban), Address: u.Address, Phone: u.Phone,
		Lat: coordinate(u.Lat), Lng: coordinate(u.Lng)}}
	if typed != nil {
		d.Form = *typed
	}
	if u.ParentID != nil {
		d.Parent, err = models.GetOrgUnit(ctx, s.db, scopeOf(c), *u.ParentID)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	return s.render(c, status, "org_unit", "orgweb.title", d)
}

// degrees reads a typed latitude or longitude; nil for none. ParseFloat takes "NaN"
// and "Inf", which the service's range check refuses.
func degrees(typed string) (*float64, error) {
	if typed == "" {
		return nil, nil
	}
	n, err := strconv.ParseFloat(typed, 64)
	if err != nil {
		return nil, err
	}
	return &n, nil
}

// coordinate writes a stored degree as it was typed (no trailing zeros), "" for none.
func coordinate(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

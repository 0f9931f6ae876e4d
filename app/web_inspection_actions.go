package app

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/inspections"
	"quality/models"
)

func (s *server) reopenInspectionForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	in := inspections.ReasonInput{Reason: strings.Clone(c.FormValue("reason"))}
	adminScope := accounts.ScopeOf(currentUser(c), models.RoleAdmin)
	_, err = s.inspectionService().Reopen(c.UserContext(), actorOf(c), scopeOf(c), adminScope, id, in)
	if status, pe, ok := s.formRefusal(c, err, ""); ok {
		return s.renderInspection(c, status, id, "", pe)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/inspections/%d?done=reopened", id), fiber.StatusSeeOther)
}

func (s *server) voidFindingForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	// The finding in scope first: its inspection is the page the form goes back to.
	f, err := models.GetFinding(c.UserContext(), s.db, scopeOf(c), id)
	if err != nil {
		return err
	}
	in := inspections.ReasonInput{Reason: strings.Clone(c.FormValue("reason"))}
	_, err = s.inspectionService().VoidFinding(c.UserContext(), actorOf(c), scopeOf(c), id, in)
	if status, pe, ok := s.formRefusal(c, err, ""); ok {
		return s.renderInspection(c, status, f.InspectionID, "", pe)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/inspections/%d?done=voided#finding-%d", f.InspectionID, f.ID), fiber.StatusSeeOther)
}

// followUpChoice prefills the new-inspection form for a follow-up of finding id
// (issue 4 point 6): the finding's outlet, its county's outlets to choose from, and the
// published version of the checklist that found it when there is one.
func (s *server) followUpChoice(c *fiber.Ctx, d *newInspectionData, id uint) error {
	ctx := c.UserContext()
	f, err := models.GetFinding(ctx, s.db, scopeOf(c), id)
	if err != nil {
		return err
	}
	d.FollowUp, d.Chosen.FollowUpOf, d.Chosen.OrgUnitID = f, &f.ID, f.OrgUnitID
	ins, err := models.GetInspection(ctx, s.db, scopeOf(c), f.InspectionID)
	if err != nil {
		return err
	}
	t, err := models.GetTemplate(ctx, s.db, ins.TemplateID)
	if err != nil {
		return err
	}
	d.followUpCode = t.Code
	outlet, err := models.GetOrgUnit(ctx, s.db, scopeOf(c), f.OrgUnitID)
	if err != nil {
		return err
	}
	d.County = parentID(outlet.Path)
	return nil
}

// stopChoice prefills the new-inspection form for a pending stop of one of the
// caller's plans (the link of /patrols/:id): the stop and its outlet. A stop that is
// not one of them is not offered, as on the form itself (404).
func (s *server) stopChoice(c *fiber.Ctx, d *newInspectionData, id uint) error {
	stops, err := s.stopChoices(c)
	if err != nil {
		return err
	}
	for _, st := range stops {
		if st.ID != id {
			continue
		}
		d.Chosen.PatrolStopID, d.Chosen.OrgUnitID = &st.ID, st.OrgUnitID
		outlet, err := models.GetOrgUnit(c.UserContext(), s.db, scopeOf(c), st.OrgUnitID)
		if err != nil {
			return err
		}
		d.County = parentID(outlet.Path)
		return nil
	}
	return fmt.Errorf("patrol stop %d: %w", id, models.ErrNotFound)
}

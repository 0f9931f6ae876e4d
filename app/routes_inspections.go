package app

import "slices"

// inspectionRoutes are the supervision side (R1, R2, R6, R7, R9), one file per area:
// checklist templates and inspections with photos and findings; patrol plans and the
// settings of the side; rectifications; accountability cases.
func (s *server) inspectionRoutes() []route {
	return slices.Concat(s.checklistRoutes(), s.patrolRoutes(), s.rectificationRoutes(), s.caseRoutes())
}

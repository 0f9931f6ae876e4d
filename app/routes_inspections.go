package app

// inspectionRoutes are checklist templates, patrol plans, inspections with photos,
// rectifications and accountability cases (R1, R2, R6, R7, R9).
func (s *server) inspectionRoutes() []route {
	return nil
}

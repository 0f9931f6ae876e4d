package app

// caseRoutes: see inspectionRoutes.
func (s *server) caseRoutes() []route {
	return nil
}

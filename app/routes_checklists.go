package app

// checklistRoutes: see inspectionRoutes.
func (s *server) checklistRoutes() []route {
	return nil
}

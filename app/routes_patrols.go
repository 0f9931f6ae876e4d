package app

// patrolRoutes: see inspectionRoutes.
func (s *server) patrolRoutes() []route {
	return nil
}

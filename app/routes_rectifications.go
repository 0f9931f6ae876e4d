package app

// rectificationRoutes: see inspectionRoutes.
func (s *server) rectificationRoutes() []route {
	return nil
}

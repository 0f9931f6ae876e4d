package app

// trainingPageRoutes are the web pages of the training side: the handbook to read and
// acknowledge, one's onboarding and courses, certificates.
func (s *server) trainingPageRoutes() []route {
	return nil
}

package seeds

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"quality/storage"
)

// Step is one loader of seed data; each skips what is already there and reports how
// many records it added.
type Step struct {
	Name string
	Run  func(ctx context.Context, db *gorm.DB) (int, error)
}

// BaseSteps load the base data every installation has: the org tree, the question bank
// and the seeded exams, the handbook, the courses and the onboarding plan.
func BaseSteps(now time.Time) []Step {
	return []Step{
		{"org units", LoadBase},
		{"questions", LoadQuestionBank},
		{"exams", func(ctx context.Context, db *gorm.DB) (int, error) { return LoadExams(ctx, db, now) }},
		{"handbook versions", func(ctx context.Context, db *gorm.DB) (int, error) {
			loaded, err := LoadHandbook(ctx, db)
			if loaded {
				return 1, err
			}
			return 0, err
		}},
		{"courses", LoadCourses},
		{"checklist templates and outlet locations", LoadChecklists},
	}
}

// DemoSteps load the demo province after the base data: staff and one user per role,
// a year of history (the handbook and courses published a year ago), handbook
// acknowledgements, certificates and course completions, a year of inspections,
// rectifications, patrols and cases (photos stored in files), and twelve months
// of service metrics.
func DemoSteps(password string, files storage.Store, now time.Time) []Step {
	return []Step{
		{"demo employees", func(ctx context.Context, db *gorm.DB) (int, error) { return LoadDemo(ctx, db, password) }},
		{"a year of history", func(ctx context.Context, db *gorm.DB) (int, error) { return LoadDemoHistory(ctx, db, now) }},
		{"handbook acknowledgements", func(ctx context.Context, db *gorm.DB) (int, error) { return LoadDemoAcknowledgements(ctx, db) }},
		{"certificates", func(ctx context.Context, db *gorm.DB) (int, error) { return LoadDemoCertificates(ctx, db, now) }},
		{"course completions", func(ctx context.Context, db *gorm.DB) (int, error) { return LoadDemoTraining(ctx, db, now) }},
		{"inspections", func(ctx context.Context, db *gorm.DB) (int, error) {
			return LoadDemoSupervision(ctx, db, files, now)
		}},
		{"service metrics", func(ctx context.Context, db *gorm.DB) (int, error) { return LoadDemoMetrics(ctx, db, now) }},
	}
}

// Run runs steps in order, calling loaded after each that added records.
func Run(ctx context.Context, db *gorm.DB, steps []Step, loaded func(name string, n int)) error {
	for _, s := range steps {
		n, err := s.Run(ctx, db)
		if err != nil {
			return fmt.Errorf("load %s: %w", s.Name, err)
		}
		if n > 0 && loaded != nil {
			loaded(s.Name, n)
		}
	}
	return nil
}

package models

import "slices"

// LaterTables are the tables steps 2 to 6 create, parents before children, for the
// upgrade test.
func LaterTables() []any {
	return slices.Concat(v3TrainingTables(), v3InspectionTables(), []any{&SignInGuess{}, &ServiceMetric{}, &RankingExport{}})
}

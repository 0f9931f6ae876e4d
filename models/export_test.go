package models

// The table lists of each schema version, for the upgrade test.
var (
	TrainingModels   = trainingModels
	InspectionModels = inspectionModels
)

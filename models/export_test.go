package models

// The table lists of each schema version, for the upgrade test.
var (
	TrainingModels   = trainingModels
	InspectionModels = inspectionModels
)

// RankingModels are the tables of schema version 4.
var RankingModels = rankingModels

// Package reports is the ranking of every city company and county branch for the
// efficiency leadership group (R10, R3.3): periods bounded in the company's zone, the
// seven dimensions (each formula written once, in dimensions.go), the weights and other
// settings, the composite with its exact rounding (RANKING.md), ties and the change
// against the previous period, the explanation of one branch's numbers, and the Excel
// workbook with its export jobs. The aggregates it ranks from are named queries in
// models; nothing here imports Fiber.
package reports

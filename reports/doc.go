// Package reports will hold the ranking computation (periods, dimensions, weights,
// ties) and the excelize workbook for the provincial office. It imports models only.
package reports

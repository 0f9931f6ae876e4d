// Package exams will hold the question bank rules, drawing papers, the attempt
// lifecycle, grading, certificates and item statistics (issue 3). It imports models only.
package exams

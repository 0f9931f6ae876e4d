// Package training holds the employee handbook (R8.1) and, later, courses.
// It imports models only.
package training

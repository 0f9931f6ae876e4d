// Package seeds embeds the base data (org tree, and later handbook, checklists, question bank) and builds the deterministic demo data shared by --demo and tests.
package seeds

package org

import (
	"errors"

	"quality/models"
)

func isNotFound(err error) bool { return errors.Is(err, models.ErrNotFound) }

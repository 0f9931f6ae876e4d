package models_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/models"
)

type listItem struct {
	Tags []string `json:"tags" maxItems:"2,dedupe"`
}

type listBody struct {
	IDs      []uint     `json:"ids" maxItems:"3,dedupe"`
	Codes    *[]string  `json:"codes" maxItems:"2"`
	Items    []listItem `json:"items" maxItems:"2"`
	Free     []int      `json:"free"`
	Optional *[]uint    `json:"optional" maxItems:"1,dedupe"`
}

func TestCheckLists(t *testing.T) {
	fieldsOf := func(err error) []models.FieldError {
		var ve *models.ValidationError
		require.ErrorAs(t, err, &ve)
		return ve.Fields
	}
	tooMany := func(field string, max int) models.FieldError {
		return models.FieldError{Field: field, Code: "too_many_items", Params: map[string]any{"max": max}}
	}

	t.Run("within bounds, repeats dropped in order", func(t *testing.T) {
		codes := []string{"a", "a"}
		in := listBody{IDs: []uint{7, 3, 7, 7, 3, 9}, Codes: &codes, Items: []listItem{{Tags: []string{"x", "x", "y"}}}}
		require.NoError(t, models.CheckLists(&in))
		assert.Equal(t, []uint{7, 3, 9}, in.IDs)
		assert.Equal(t, []string{"a", "a"}, *in.Codes, "no dedupe without the option")
		assert.Equal(t, []string{"x", "y"}, in.Items[0].Tags)
		assert.Nil(t, in.Optional)
	})
	t.Run("a huge list of one repeated id is one id", func(t *testing.T) {
		in := listBody{IDs: make([]uint, 400_000)}
		for i := range in.IDs {
			in.IDs[i] = 42
		}
		require.NoError(t, models.CheckLists(&in))
		assert.Equal(t, []uint{42}, in.IDs)
	})
	t.Run("too many, named by JSON path", func(t *testing.T) {
		codes := []string{"a", "b", "c"}
		opt := []uint{1, 2}
		in := listBody{IDs: []uint{1, 2, 3, 1, 4}, Codes: &codes, Optional: &opt,
			Items: []listItem{{Tags: []string{"x"}}, {Tags: []string{"x", "y", "z"}}}}
		assert.Equal(t, []models.FieldError{tooMany("ids", 3), tooMany("codes", 2), tooMany("items[1].tags", 2), tooMany("optional", 1)},
			fieldsOf(models.CheckLists(&in)))
		in = listBody{Items: make([]listItem, 3)}
		assert.Equal(t, []models.FieldError{tooMany("items", 2)}, fieldsOf(models.CheckLists(&in)),
			"the items of a refused list are not looked into")
	})
	t.Run("untagged lists are left alone", func(t *testing.T) {
		in := listBody{Free: make([]int, 10_000)}
		assert.NoError(t, models.CheckLists(&in))
		assert.Len(t, in.Free, 10_000)
	})
}

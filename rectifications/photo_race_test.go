package rectifications_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/rectifications"
)

// racingReader runs first once, when the upload is first read (after the service has
// checked the rectification and before it records the photo), then reads r.
type racingReader struct {
	r     io.Reader
	first func()
}

func (rr *racingReader) Read(p []byte) (int, error) {
	if rr.first != nil {
		rr.first()
		rr.first = nil
	}
	return rr.r.Read(p)
}

// An evidence photo whose upload was still arriving when the branch's evidence was
// submitted is refused: the photo check and the insert are one locked step, so the
// evidence the verifier judges never changes after submission.
func TestPhotoDuringSubmissionRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		mgr := f.user("mgr-race", grant{models.RoleManager, "360102"})
		r := f.open("360102-01", models.Date{})
		f.photo(mgr, r.ID)
		audits := f.auditCount()
		upload := &racingReader{r: bytes.NewReader(pngBytes(t, 5, 5)), first: func() {
			_, err := f.svc.Submit(f.ctx, as(mgr, managerRoute...), r.ID, rectifications.EvidenceInput{Revision: 1, Text: "已整改"})
			require.NoError(t, err)
		}}
		_, err := f.svc.AddPhoto(f.ctx, as(mgr, managerRoute...), r.ID, upload)
		require.ErrorIs(t, err, rectifications.ErrNotOpen)
		photos, err := models.RectificationPhotos(f.ctx, db, r.ID)
		require.NoError(t, err)
		assert.Len(t, photos, 1, "only the photo uploaded before the submission")
		assert.Equal(t, audits+1, f.auditCount(), "the submission's audit row only")
	})
}

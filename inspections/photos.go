package inspections

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // decoders for DecodeConfig
	_ "image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"

	"quality/models"
)

// Photo refusals, each a field error of the upload's "file" field.
var (
	errPhotoEmpty   = photoError("required")
	errPhotoTooBig  = photoError("too_large")
	errPhotoType    = photoError("photo_type")
	errPhotoCorrupt = photoError("photo_corrupt")
)

func photoError(code string) error {
	ve := &models.ValidationError{}
	ve.Add("file", code)
	return ve
}

// maxPixels bounds a photo's dimensions, so that nothing ever decodes a tiny file into
// gigabytes of pixels (a decompression bomb).
const maxPixels = 64 << 20

// PhotoFile is what the store learned of a stored photo.
type PhotoFile struct {
	SHA256 string
	Size   int64
	MIME   string
	Width  int
	Height int
}

// PhotoStore keeps photos as files named by the SHA-256 of their content under Dir,
// outside any static root; the same picture uploaded twice is stored once.
type PhotoStore struct {
	Dir string
}

var shaName = regexp.MustCompile(`^[0-9a-f]{64}$`)

// path is where the photo with hash sum lives: Dir/ab/abcdef….
func (s PhotoStore) path(sum string) string {
	return filepath.Join(s.Dir, sum[:2], sum)
}

// Put reads at most max bytes of r, checks from the content (never the name) that it is
// a JPEG or PNG whose header decodes, and stores it durably (written, synced, renamed)
// before returning, so a photo the caller records is on disk.
func (s PhotoStore) Put(r io.Reader, max int64) (PhotoFile, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return PhotoFile{}, fmt.Errorf("read photo: %w", err)
	}
	switch {
	case len(data) == 0:
		return PhotoFile{}, errPhotoEmpty
	case int64(len(data)) > max:
		return PhotoFile{}, errPhotoTooBig
	}
	mime := http.DetectContentType(data)
	if mime != "image/jpeg" && mime != "image/png" {
		return PhotoFile{}, errPhotoType
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || "image/"+format != mime || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return PhotoFile{}, errPhotoCorrupt
	}
	sum := sha256.Sum256(data)
	f := PhotoFile{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data)), MIME: mime, Width: cfg.Width, Height: cfg.Height}
	if err := s.write(f.SHA256, data); err != nil {
		return PhotoFile{}, err
	}
	return f, nil
}

// write stores data under its hash unless a file with that hash is already there.
func (s PhotoStore) write(sum string, data []byte) error {
	dst := s.path(sum)
	if st, err := os.Stat(dst); err == nil && st.Size() == int64(len(data)) {
		return nil
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("photo folder: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return fmt.Errorf("photo file: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write photo: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync photo: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close photo: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("store photo: %w", err)
	}
	// The rename is durable once the folder is synced.
	if d, err := os.Open(dir); err == nil {
		defer d.Close()
		if err := d.Sync(); err != nil {
			return fmt.Errorf("sync photo folder: %w", err)
		}
	}
	return nil
}

// Open opens the stored photo with hash sum; a malformed hash is not found.
func (s PhotoStore) Open(sum string) (*os.File, error) {
	if !shaName.MatchString(sum) {
		return nil, models.ErrNotFound
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("photo %s: %w", sum, models.ErrNotFound)
	}
	return f, err
}

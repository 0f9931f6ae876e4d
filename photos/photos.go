// Package photos keeps the photos of the supervision side, inspection items' and
// rectifications' evidence alike, in the file storage by the hash of their content. It
// is a leaf both of those packages use.
package photos

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // decoders for DecodeConfig
	_ "image/png"
	"io"
	"net/http"
	"regexp"

	"quality/models"
	"quality/storage"
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

// File is what the store learned of a stored photo.
type File struct {
	SHA256 string
	Size   int64
	MIME   string
	Width  int
	Height int
}

// Store keeps photos in Files under keys made of the SHA-256 of their content
// (photos/ab/abcdef…), never under a static root; the same picture uploaded twice is
// stored once.
type Store struct {
	Files storage.Store
}

var shaName = regexp.MustCompile(`^[0-9a-f]{64}$`)

// photoKey is where the photo with hash sum lives.
func photoKey(sum string) string {
	return "photos/" + sum[:2] + "/" + sum
}

// Put reads at most max bytes of r, checks from the content (never the name) that it is
// a JPEG or PNG whose header decodes, and stores it durably before returning, so a
// photo the caller records is in the store.
func (s Store) Put(ctx context.Context, r io.Reader, max int64) (File, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return File{}, fmt.Errorf("read photo: %w", err)
	}
	switch {
	case len(data) == 0:
		return File{}, errPhotoEmpty
	case int64(len(data)) > max:
		return File{}, errPhotoTooBig
	}
	mime := http.DetectContentType(data)
	if mime != "image/jpeg" && mime != "image/png" {
		return File{}, errPhotoType
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || "image/"+format != mime || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return File{}, errPhotoCorrupt
	}
	sum := sha256.Sum256(data)
	f := File{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data)), MIME: mime, Width: cfg.Width, Height: cfg.Height}
	key := photoKey(f.SHA256)
	if st, err := s.Files.Stat(ctx, key); err == nil && st.Size == f.Size {
		return f, nil
	} else if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return File{}, fmt.Errorf("photo: %w", err)
	}
	if err := s.Files.Put(ctx, key, bytes.NewReader(data), f.Size); err != nil {
		return File{}, fmt.Errorf("photo: %w", err)
	}
	return f, nil
}

// Open opens the stored photo with hash sum; a malformed hash is not found.
func (s Store) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	if !shaName.MatchString(sum) {
		return nil, models.ErrNotFound
	}
	o, err := s.Files.Open(ctx, photoKey(sum))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("photo %s: %w", sum, models.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("photo %s: %w", sum, err)
	}
	return o, nil
}

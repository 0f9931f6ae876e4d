package photos

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"testing"

	"quality/models"
	"quality/storage"
	"quality/storage/storagetest"
)

// PNG makes a small valid PNG, for tests.
func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func fieldCode(err error) string {
	var ve *models.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) == 0 {
		return ""
	}
	return ve.Fields[0].Code
}

func TestStore(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, files storage.Store) { testStore(t, Store{Files: files}) })
}

func testStore(t *testing.T, s Store) {
	ctx := context.Background()
	good := testPNG(t, 4, 3)
	f, err := s.Put(ctx, bytes.NewReader(good), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if f.MIME != "image/png" || f.Width != 4 || f.Height != 3 || f.Size != int64(len(good)) || len(f.SHA256) != 64 {
		t.Fatalf("stored %+v", f)
	}
	again, err := s.Put(ctx, bytes.NewReader(good), 1<<20)
	if err != nil || again != f {
		t.Fatalf("same photo again: %+v, %v", again, err)
	}
	r, err := s.Open(ctx, f.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := io.ReadAll(r)
	r.Close()
	if !bytes.Equal(back, good) {
		t.Fatal("stored bytes differ")
	}

	refusals := []struct {
		name string
		data []byte
		max  int64
		code string
	}{
		{"empty", nil, 1 << 20, "required"},
		{"too large", good, int64(len(good)) - 1, "too_large"},
		{"text named .jpg", []byte("<html>not a photo</html>"), 1 << 20, "photo_type"},
		{"a GIF", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), 1 << 20, "photo_type"},
		{"PNG signature, broken header", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 40)...), 1 << 20, "photo_corrupt"},
		{"JPEG signature, no image", []byte("\xff\xd8\xff\xe0" + strings.Repeat("x", 40)), 1 << 20, "photo_corrupt"},
	}
	for _, c := range refusals {
		if _, err := s.Put(ctx, bytes.NewReader(c.data), c.max); fieldCode(err) != c.code {
			t.Errorf("%s: %v, want field code %s", c.name, err, c.code)
		}
	}
	for _, bad := range []string{"", "../../etc/passwd", strings.Repeat("g", 64), strings.Repeat("a", 64)} {
		if _, err := s.Open(ctx, bad); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Open(%q) = %v, want not found", bad, err)
		}
	}
}

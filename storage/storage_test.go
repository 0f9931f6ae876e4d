package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/storage"
	"quality/storage/storagetest"
)

// TestStorage holds each backend to the Store contract: what Put stored Open gives back
// whole, a missing or impossible key is ErrNotFound, Delete of a missing object is no
// error, List sees only finished objects under its prefix, and a failed or cancelled
// write leaves nothing behind.
func TestStorage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, s storage.Store) {
		ctx := context.Background()
		body := bytes.Repeat([]byte("照片0123456789"), 10_000) // 170 kB
		require.NoError(t, s.Put(ctx, "photos/ab/abc", bytes.NewReader(body), int64(len(body))))

		o, err := s.Open(ctx, "photos/ab/abc")
		require.NoError(t, err)
		got, err := io.ReadAll(o)
		require.NoError(t, err)
		require.NoError(t, o.Close())
		assert.Equal(t, body, got)
		assert.Equal(t, int64(len(body)), o.Size)
		assert.WithinDuration(t, time.Now(), o.Modified, time.Minute)

		st, err := s.Stat(ctx, "photos/ab/abc")
		require.NoError(t, err)
		assert.Equal(t, int64(len(body)), st.Size)

		for _, key := range []string{"photos/ab/missing", "../etc/passwd", "/abs", "photos//x", ".hidden", "a/../b", ""} {
			_, err := s.Open(ctx, key)
			assert.ErrorIs(t, err, storage.ErrNotFound, "open %q", key)
			_, err = s.Stat(ctx, key)
			assert.ErrorIs(t, err, storage.ErrNotFound, "stat %q", key)
			assert.NoError(t, s.Delete(ctx, key), "delete %q", key)
		}
		assert.Error(t, s.Put(ctx, "../escape", strings.NewReader("x"), 1), "a key outside the store is refused")

		// Replacing keeps one object with the new content.
		require.NoError(t, s.Put(ctx, "photos/ab/abc", strings.NewReader("new"), 3))
		st, err = s.Stat(ctx, "photos/ab/abc")
		require.NoError(t, err)
		assert.Equal(t, int64(3), st.Size)

		// Write streams a content of unknown length, larger than one S3 part.
		big := bytes.Repeat([]byte{'x'}, 9<<20)
		n, err := storage.Write(ctx, s, "exports/big.xlsx", func(w io.Writer) error {
			for i := 0; i < len(big); i += 1 << 20 {
				if _, err := w.Write(big[i : i+1<<20]); err != nil {
					return err
				}
			}
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, int64(len(big)), n)
		st, err = s.Stat(ctx, "exports/big.xlsx")
		require.NoError(t, err)
		assert.Equal(t, int64(len(big)), st.Size)

		// A write that fails half-way stores nothing, and says why.
		boom := errors.New("boom")
		_, err = storage.Write(ctx, s, "exports/failed.xlsx", func(w io.Writer) error {
			if _, err := w.Write(big[:1<<20]); err != nil {
				return err
			}
			return boom
		})
		assert.ErrorIs(t, err, boom)
		_, err = s.Stat(ctx, "exports/failed.xlsx")
		assert.ErrorIs(t, err, storage.ErrNotFound)

		// So does one whose context ends.
		cctx, cancel := context.WithCancel(ctx)
		_, err = storage.Write(cctx, s, "exports/cancelled.xlsx", func(w io.Writer) error {
			if _, err := w.Write(big[:1<<20]); err != nil {
				return err
			}
			cancel()
			_, err := w.Write(big[:1<<20])
			return err
		})
		assert.Error(t, err)
		_, err = s.Stat(ctx, "exports/cancelled.xlsx")
		assert.ErrorIs(t, err, storage.ErrNotFound)

		require.NoError(t, s.Put(ctx, "exports/small.xlsx", strings.NewReader("s"), -1))
		var keys []string
		require.NoError(t, s.List(ctx, "exports/", func(i storage.Info) error {
			keys = append(keys, i.Key)
			return nil
		}))
		sort.Strings(keys)
		assert.Equal(t, []string{"exports/big.xlsx", "exports/small.xlsx"}, keys)
		stop := errors.New("stop")
		calls := 0
		err = s.List(ctx, "", func(storage.Info) error { calls++; return stop })
		assert.ErrorIs(t, err, stop)
		assert.Equal(t, 1, calls)

		require.NoError(t, s.Delete(ctx, "exports/big.xlsx"))
		_, err = s.Open(ctx, "exports/big.xlsx")
		assert.ErrorIs(t, err, storage.ErrNotFound)
		require.NoError(t, s.Delete(ctx, "exports/big.xlsx"), "deleting twice is no error")
	})
}

func TestStorageSetting(t *testing.T) {
	for _, tc := range []struct {
		setting string
		want    *storage.S3Config
		err     string
	}{
		{setting: "", want: nil},
		{setting: "local", want: nil},
		{setting: "s3://AK:S%2Fk@minio.lan:9000/quality?secure=false",
			want: &storage.S3Config{Endpoint: "minio.lan:9000", AccessKey: "AK", SecretKey: "S/k", Bucket: "quality"}},
		{setting: "s3://AK:SK@s3.example.com/bucket/prod/files?region=cn-east-1",
			want: &storage.S3Config{Endpoint: "s3.example.com", AccessKey: "AK", SecretKey: "SK", Bucket: "bucket", Prefix: "prod/files", Region: "cn-east-1", Secure: true}},
		{setting: "/srv/files", err: "want local or s3://"},
		{setting: "s3://AK:SK@host:9000/", err: "no bucket"},
		{setting: "s3://host:9000/b", err: "no access key"},
		{setting: "s3://AK:SK@host:9000/b?secure=maybe", err: "secure="},
		{setting: "s3://AK:SK@host:9000/b?tls=1", err: "unknown option"},
		{setting: "s3://AK:SK@host:9000/b/../x", err: "prefix"},
	} {
		got, err := storage.Parse(tc.setting)
		if tc.err != "" {
			assert.ErrorContains(t, err, tc.err, tc.setting)
			continue
		}
		require.NoError(t, err, tc.setting)
		assert.Equal(t, tc.want, got, tc.setting)
	}
	assert.Equal(t, "s3://AK:***@host:9000/b?secure=false", storage.Redact("s3://AK:secret@host:9000/b?secure=false"))
	assert.NotContains(t, storage.Redact("s3://AK:se:cr%zzet@host/b"), "se:cr")
}

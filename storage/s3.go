package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// partSize is the buffer of one part when the length of a content is not known (a
// workbook being written): minio-go's own choice for an unknown length is 512 MiB.
const partSize = 8 << 20

// S3 keeps objects in a bucket of an S3-compatible server (AWS S3, MinIO, Ceph,
// Versity's gateway …), under an optional key prefix.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string // "" or ending in "/"
}

// S3Config says where the objects go.
type S3Config struct {
	Endpoint  string // host:port
	AccessKey string
	SecretKey string
	Bucket    string
	Prefix    string // folder inside the bucket, may be ""
	Region    string
	Secure    bool // HTTPS
}

// NewS3 connects to the server of cfg and checks that the bucket is there (it is not
// created: who owns it, and how long it keeps what, is the operator's choice).
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.Secure,
		Region: cfg.Region,
	})
	if err != nil {
		return nil, err
	}
	ok, err := c.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("bucket %s on %s: %w", cfg.Bucket, cfg.Endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("bucket %s on %s does not exist: create it first", cfg.Bucket, cfg.Endpoint)
	}
	p := strings.Trim(cfg.Prefix, "/")
	if p != "" {
		p += "/"
	}
	return &S3{client: c, bucket: cfg.Bucket, prefix: p}, nil
}

// notFound maps the server's "no such key" to ErrNotFound.
func notFound(key string, err error) error {
	r := minio.ToErrorResponse(err)
	// A 404 without a body (HEAD) comes back as NoSuchKey too; NoSuchBucket stays an
	// error, so a missing bucket is never mistaken for missing files.
	if r.Code == minio.NoSuchKey || r.Code == "NotFound" && r.StatusCode == http.StatusNotFound {
		return fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", key, err)
}

// Put implements Store. The object is visible only once complete: a single PUT, or a
// multipart upload completed (and aborted on failure) for a content of unknown length.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	_, err := s.client.PutObject(ctx, s.bucket, s.prefix+key, r, size, minio.PutObjectOptions{
		PartSize: partSize, ContentType: "application/octet-stream"})
	if err != nil {
		return fmt.Errorf("store %s: %w", key, err)
	}
	return nil
}

// Open implements Store.
func (s *S3) Open(ctx context.Context, key string) (*Object, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	o, err := s.client.GetObject(ctx, s.bucket, s.prefix+key, minio.GetObjectOptions{})
	if err != nil {
		return nil, notFound(key, err)
	}
	// GetObject is lazy: Stat sends the request and says whether the object is there.
	st, err := o.Stat()
	if err != nil {
		o.Close()
		return nil, notFound(key, err)
	}
	return &Object{ReadCloser: o, Info: Info{Key: key, Size: st.Size, Modified: st.LastModified}}, nil
}

// Stat implements Store.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	if err := CheckKey(key); err != nil {
		return Info{}, err
	}
	st, err := s.client.StatObject(ctx, s.bucket, s.prefix+key, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, notFound(key, err)
	}
	return Info{Key: key, Size: st.Size, Modified: st.LastModified}, nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if CheckKey(key) != nil {
		return nil
	}
	err := s.client.RemoveObject(ctx, s.bucket, s.prefix+key, minio.RemoveObjectOptions{})
	if err != nil && errors.Is(notFound(key, err), ErrNotFound) {
		return nil
	}
	return err
}

// List implements Store.
func (s *S3) List(ctx context.Context, prefix string, fn func(Info) error) error {
	// Cancelling stops the listing goroutine when fn stops early.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for o := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true}) {
		if o.Err != nil {
			return fmt.Errorf("list %s: %w", prefix, o.Err)
		}
		key := strings.TrimPrefix(o.Key, s.prefix)
		if CheckKey(key) != nil {
			continue
		}
		if err := fn(Info{Key: key, Size: o.Size, Modified: o.LastModified}); err != nil {
			return err
		}
	}
	return ctx.Err()
}

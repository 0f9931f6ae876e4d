// Package storagetest gives tests a store on each backend: a temporary folder, and,
// when QUALITY_TEST_S3 names an S3-compatible server, a fresh bucket on it.
package storagetest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"quality/storage"
)

// EnvS3 names the variable holding the server, as a QUALITY_STORAGE setting without
// a bucket: s3://ACCESS:SECRET@127.0.0.1:7070/?secure=false (.ci/run starts Versity's
// gateway and sets it). Each test gets a bucket of its own, removed when it ends.
const EnvS3 = "QUALITY_TEST_S3"

var counter atomic.Int64

// Each runs fn once per backend, as subtests "local" and "s3". Without QUALITY_TEST_S3
// the S3 subtest is skipped with a message saying so.
func Each(t *testing.T, fn func(t *testing.T, s storage.Store)) {
	t.Helper()
	t.Run("local", func(t *testing.T) { fn(t, storage.NewLocal(t.TempDir())) })
	t.Run("s3", func(t *testing.T) {
		s, err := storage.Open(context.Background(), S3Setting(t), "")
		if err != nil {
			t.Fatalf("open the test bucket: %v", err)
		}
		fn(t, s)
	})
}

// S3Setting makes an empty bucket on the server of QUALITY_TEST_S3 and returns the
// QUALITY_STORAGE setting naming it; the bucket and its objects go when the test
// ends. The test is skipped when QUALITY_TEST_S3 is not set.
func S3Setting(t testing.TB) string {
	t.Helper()
	raw := os.Getenv(EnvS3)
	if raw == "" {
		t.Skip(EnvS3 + " is not set: the S3 test is skipped (.ci/run starts an S3 server and sets it)")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", EnvS3, err)
	}
	bucket := fmt.Sprintf("quality-test-%d-%d", os.Getpid(), counter.Add(1))
	u.Path = "/" + bucket
	setting := u.String()
	cfg, err := storage.Parse(setting)
	if err != nil {
		t.Fatalf("%s: %v", EnvS3, err)
	}
	c, err := minio.New(cfg.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""), Secure: cfg.Secure, Region: cfg.Region})
	if err != nil {
		t.Fatalf("%s: %v", EnvS3, err)
	}
	ctx := context.Background()
	if err := c.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: cfg.Region}); err != nil {
		t.Fatalf("make bucket %s on %s: %v", bucket, cfg.Endpoint, err)
	}
	t.Cleanup(func() {
		for o := range c.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
			if o.Err == nil {
				_ = c.RemoveObject(ctx, bucket, o.Key, minio.RemoveObjectOptions{})
			}
		}
		if err := c.RemoveBucket(ctx, bucket); err != nil {
			t.Logf("remove bucket %s: %v", bucket, err)
		}
	})
	return setting
}

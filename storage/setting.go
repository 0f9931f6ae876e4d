package storage

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Parse reads the QUALITY_STORAGE setting: "" or "local" is the folder dataDir;
// s3://ACCESS:SECRET@HOST:PORT/BUCKET[/PREFIX][?secure=false&region=R] is a bucket of
// an S3-compatible server (HTTPS unless secure=false; the keys URL-escaped). The
// returned S3Config is nil for the folder.
func Parse(setting string) (*S3Config, error) {
	if setting == "" || setting == "local" {
		return nil, nil
	}
	u, err := url.Parse(setting)
	if err != nil || u.Scheme != "s3" {
		return nil, fmt.Errorf("want local or s3://ACCESS:SECRET@HOST:PORT/BUCKET")
	}
	cfg := &S3Config{Endpoint: u.Host, Secure: true, Region: u.Query().Get("region")}
	if u.User != nil {
		cfg.AccessKey = u.User.Username()
		cfg.SecretKey, _ = u.User.Password()
	}
	cfg.Bucket, cfg.Prefix, _ = strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	if v := u.Query().Get("secure"); v != "" {
		if cfg.Secure, err = strconv.ParseBool(v); err != nil {
			return nil, fmt.Errorf("secure=%q: want true or false", v)
		}
	}
	for k := range u.Query() {
		if k != "secure" && k != "region" {
			return nil, fmt.Errorf("unknown option %q (want secure, region)", k)
		}
	}
	switch {
	case cfg.Endpoint == "":
		return nil, fmt.Errorf("no host: want s3://ACCESS:SECRET@HOST:PORT/BUCKET")
	case cfg.Bucket == "":
		return nil, fmt.Errorf("no bucket: want s3://ACCESS:SECRET@HOST:PORT/BUCKET")
	case cfg.AccessKey == "" || cfg.SecretKey == "":
		return nil, fmt.Errorf("no access key and secret: want s3://ACCESS:SECRET@HOST:PORT/BUCKET")
	}
	if cfg.Prefix != "" {
		if err := CheckKey(strings.Trim(cfg.Prefix, "/")); err != nil {
			return nil, fmt.Errorf("prefix %q: want folder names of letters, digits, '.', '_' and '-'", cfg.Prefix)
		}
	}
	return cfg, nil
}

// Open is the store a QUALITY_STORAGE setting names (see Parse), the S3 bucket checked
// to exist.
func Open(ctx context.Context, setting, dataDir string) (Store, error) {
	cfg, err := Parse(setting)
	if err != nil {
		return nil, err
	}
	if cfg == nil {
		return NewLocal(dataDir), nil
	}
	return NewS3(ctx, *cfg)
}

// Redact hides the secret key of a setting, for messages.
func Redact(setting string) string {
	u, err := url.Parse(setting)
	if err != nil || u.User == nil {
		if i := strings.LastIndex(setting, "@"); i >= 0 {
			return "s3://***" + setting[i:]
		}
		return setting
	}
	u.User = url.UserPassword(u.User.Username(), "***")
	return strings.Replace(u.String(), "%2A%2A%2A", "***", 1)
}

// Package storage keeps the product's files (photos, generated workbooks) behind one
// interface with two backends: a local folder, the default, and S3-compatible object
// storage, which several instances behind a load balancer share.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"
)

// ErrNotFound: no object has the key.
var ErrNotFound = errors.New("storage: no such object")

// Store keeps objects by key. A key is slash-separated segments of letters, digits,
// '.', '_' and '-', none starting with '.' ("photos/ab/ab12…", "exports/3f….xlsx").
// Put returns once the object is durable, so a row that names it may be written next;
// an object is either all there or not there, never half written.
type Store interface {
	// Put stores what r yields under key, replacing any object there; size is the
	// length of r, or -1 when it is not known beforehand.
	Put(ctx context.Context, key string, r io.Reader, size int64) error
	// Open opens the object at key for reading; the caller closes it.
	Open(ctx context.Context, key string) (*Object, error)
	// Stat describes the object at key.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes the object at key; a missing one is no error.
	Delete(ctx context.Context, key string) error
	// List calls fn for each object whose key starts with prefix, in no set order,
	// and stops at the first error fn returns.
	List(ctx context.Context, prefix string, fn func(Info) error) error
}

// Info describes a stored object.
type Info struct {
	Key      string
	Size     int64
	Modified time.Time
}

// Object is an open object: read it, then close it.
type Object struct {
	io.ReadCloser
	Info
}

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$`)

// CheckKey refuses a key no object may have; such a key is simply not found.
func CheckKey(key string) error {
	if len(key) > 512 || !keyPattern.MatchString(key) {
		return fmt.Errorf("key %q: %w", key, ErrNotFound)
	}
	return nil
}

// Write stores under key what write writes, streamed through a pipe (no copy of the
// whole content is held), and returns the number of bytes. When write fails nothing
// is stored and its error is returned.
func Write(ctx context.Context, s Store, key string, write func(io.Writer) error) (int64, error) {
	pr, pw := io.Pipe()
	cw := &countingWriter{w: pw}
	done := make(chan error, 1)
	go func() {
		err := write(cw)
		pw.CloseWithError(err) // nil: the reader sees EOF
		done <- err
	}()
	perr := s.Put(ctx, key, pr, -1)
	// A writer still writing when Put stopped reading gets Put's error.
	if perr != nil {
		pr.CloseWithError(perr)
	} else {
		pr.Close()
	}
	if werr := <-done; werr != nil {
		if perr == nil {
			// A backend that stored a content its reader failed on: take it back.
			_ = s.Delete(context.WithoutCancel(ctx), key)
		}
		return 0, werr
	}
	if perr != nil {
		return 0, perr
	}
	return cw.n, nil
}

// countingWriter counts what passes.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// ctxReader stops a copy once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

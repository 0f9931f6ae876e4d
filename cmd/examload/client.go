package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"syscall"
	"time"
)

// newHTTPClient returns a keep-alive client whose idle pool holds a connection for every
// examinee, so that a save never waits for a new TCP connection.
func newHTTPClient(conns int) *http.Client {
	tr := &http.Transport{
		Proxy:               nil, // loopback, never through an HTTP_PROXY of the environment
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns + 64,
		MaxIdleConnsPerHost: conns + 64,
		IdleConnTimeout:     2 * time.Minute,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr}
}

// session is what a login gives an examinee: the cookies and the CSRF token that every
// unsafe request sends back.
type session struct {
	cookie string
	csrf   string
}

// reply is one answered request.
type reply struct {
	status int
	// code names a refusal: the problem's first field code, else its title.
	code    string
	body    []byte
	cookies []*http.Cookie
}

// call makes one request with its own timeout and reads the whole reply, so that the
// connection goes back to the pool.
func call(ctx context.Context, hc *http.Client, timeout time.Duration, base string, s *session, method, path string, body any) (reply, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return reply{}, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if s != nil {
		req.Header.Set("Cookie", s.cookie)
		req.Header.Set("X-Csrf-Token", s.csrf)
	}
	res, err := hc.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return reply{}, err
	}
	r := reply{status: res.StatusCode, body: b, cookies: res.Cookies()}
	if res.StatusCode >= 400 {
		var p struct {
			Title  string `json:"title"`
			Errors []struct {
				Code string `json:"code"`
			} `json:"errors"`
		}
		_ = json.Unmarshal(b, &p)
		r.code = p.Title
		if len(p.Errors) > 0 {
			r.code = p.Errors[0].Code
		}
	}
	return r, nil
}

// kind classifies a failed request for the error table.
func kind(r reply, err error) string {
	var ne net.Error
	switch {
	case err == nil:
		if r.code != "" {
			return fmt.Sprintf("HTTP %d %s", r.status, r.code)
		}
		return fmt.Sprintf("HTTP %d", r.status)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout"
	}
	return "transport: " + err.Error()
}

package app_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"quality/models/dbtest"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"
)

func TestAPIProbe(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		m := e.login("manager")
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		go e.app.Listener(ln)
		defer e.app.Shutdown()
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		fw, _ := w.CreateFormFile("file", "a.xlsx")
		fw.Write(bytes.Repeat([]byte("x"), 13<<20))
		w.Close()
		req, _ := http.NewRequest("POST", "http://"+ln.Addr().String()+"/api/v1/employees/import", &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		for k, v := range m.cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		req.Header.Set("X-Csrf-Token", m.cookies["csrf_"])
		r, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(r.Body)
		t.Logf("413: %d %v %s", r.StatusCode, r.Header, b)

		mid := bytes.Repeat([]byte("x"), 11<<20)
		res := m.upload("/api/v1/employees/import", "file", "a.xlsx", mid)
		t.Logf("mid: %d %v %s", res.Code, res.Header, res.Body)
		res = m.do("DELETE", "/api/v1/auth/login", nil)
		t.Logf("405: %d %v %s", res.Code, res.Header, res.Body)
		req2 := httptest.NewRequest("GET", "/api/v1/employees/1%20OR%201=1", nil)
		res = m.send(req2)
		t.Logf("inj: %d %s", res.Code, res.Body)
		res = m.do(http.MethodPost, "/api/v1/employees", `{"hire_date":"2024-13-01"}`)
		t.Logf("date: %d %s", res.Code, res.Body)
		res = m.do(http.MethodPost, "/api/v1/employees", `{"org_unit_id":"x"}`)
		t.Logf("type: %d %s", res.Code, res.Body)
	})
}

package app

import (
	"fmt"
	"html/template"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// qrSVG draws text as a QR code (medium error correction) in inline SVG, one path of
// unit squares with the quiet zone, so it prints sharp at any size and needs no image
// route.
func qrSVG(text string) (template.HTML, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	bits := q.Bitmap() // with its quiet zone
	var d strings.Builder
	for y, row := range bits {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&d, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	n := len(bits)
	return template.HTML(fmt.Sprintf(`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="QR">`+
		`<rect width="%d" height="%d" fill="#fff"/><path d="%s" fill="#000" shape-rendering="crispEdges"/></svg>`, n, n, n, n, d.String())), nil
}

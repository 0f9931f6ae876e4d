package app

import (
	"strings"
)

// mdBlock is one block of a handbook's Markdown as the page shows it: a heading, a
// paragraph, a list or a table. Text stays plain: the template escapes it, so a
// handbook can never put markup or script on a page.
type mdBlock struct {
	Kind  string // "h", "p", "ul", "ol", "table"
	Level int    // headings: 2–4 (the page's own title is the h1)
	Text  string
	Items []string
	Rows  [][]string // tables: the header row first
}

// markdownBlocks reads the Markdown the handbook uses (ATX headings, paragraphs,
// "-", "*" and "1." lists, pipe tables) into blocks; anything else is paragraph text.
func markdownBlocks(src string) []mdBlock {
	var out []mdBlock
	var para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, mdBlock{Kind: "p", Text: strings.Join(para, " ")})
			para = nil
		}
	}
	// last returns the open block of kind, if the previous block is one.
	last := func(kind string) *mdBlock {
		if len(para) == 0 && len(out) > 0 && out[len(out)-1].Kind == kind {
			return &out[len(out)-1]
		}
		return nil
	}
	for _, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
		case heading(t) > 0:
			flush()
			n := heading(t)
			out = append(out, mdBlock{Kind: "h", Level: min(n+1, 4), Text: strings.TrimSpace(strings.TrimRight(t[n:], "#"))})
		case strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* "):
			flush()
			if b := last("ul"); b != nil {
				b.Items = append(b.Items, strings.TrimSpace(t[2:]))
			} else {
				out = append(out, mdBlock{Kind: "ul", Items: []string{strings.TrimSpace(t[2:])}})
			}
		case orderedItem(t) != "":
			flush()
			if b := last("ol"); b != nil {
				b.Items = append(b.Items, orderedItem(t))
			} else {
				out = append(out, mdBlock{Kind: "ol", Items: []string{orderedItem(t)}})
			}
		case strings.HasPrefix(t, "|"):
			flush()
			cells := tableCells(t)
			if isRule(cells) {
				continue
			}
			if b := last("table"); b != nil {
				b.Rows = append(b.Rows, cells)
			} else {
				out = append(out, mdBlock{Kind: "table", Rows: [][]string{cells}})
			}
		default:
			if b := last("ul"); b != nil && line != t && len(b.Items) > 0 {
				// An indented line continues the list item above.
				b.Items[len(b.Items)-1] += " " + t
				continue
			}
			para = append(para, t)
		}
	}
	flush()
	return out
}

// heading is the level of an ATX heading line ("## 标题"), or 0.
func heading(t string) int {
	n := 0
	for n < len(t) && n < 6 && t[n] == '#' {
		n++
	}
	if n == 0 || n >= len(t) || t[n] != ' ' {
		return 0
	}
	return n
}

// orderedItem is the text of a "1. text" line, or "".
func orderedItem(t string) string {
	i := 0
	for i < len(t) && i < 4 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 || i+1 >= len(t) || t[i] != '.' || t[i+1] != ' ' {
		return ""
	}
	return strings.TrimSpace(t[i+2:])
}

// tableCells splits "| a | b |" into its trimmed cells.
func tableCells(t string) []string {
	t = strings.TrimSuffix(strings.TrimPrefix(t, "|"), "|")
	cells := strings.Split(t, "|")
	for i, c := range cells {
		cells[i] = strings.TrimSpace(c)
	}
	return cells
}

// isRule reports whether cells are a table's header rule ("---", ":--:").
func isRule(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, "-: ") != "" || c == "" {
			return false
		}
	}
	return true
}

package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMarkdownBlocks(t *testing.T) {
	src := "# 手册\n\n## 一、公示\n第一行\n第二行\n\n- 甲\n  续行\n* 乙\n\n1. 一\n2. 二\n\n| 事项 | 时限 |\n| :--- | ---: |\n| 修复 | 24 小时 |\n\n#不是标题\n####### 七级"
	assert.Equal(t, []mdBlock{
		{Kind: "h", Level: 2, Text: "手册"},
		{Kind: "h", Level: 3, Text: "一、公示"},
		{Kind: "p", Text: "第一行 第二行"},
		{Kind: "ul", Items: []string{"甲 续行", "乙"}},
		{Kind: "ol", Items: []string{"一", "二"}},
		{Kind: "table", Rows: [][]string{{"事项", "时限"}, {"修复", "24 小时"}}},
		{Kind: "p", Text: "#不是标题 ####### 七级"},
	}, markdownBlocks(src))
	assert.Empty(t, markdownBlocks(""))
}

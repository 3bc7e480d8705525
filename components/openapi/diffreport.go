package openapi

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// ChangesFormat is an output of [WriteChanges].
type ChangesFormat string

// Formats of [WriteChanges].
const (
	ChangesText     ChangesFormat = "text"
	ChangesMarkdown ChangesFormat = "markdown"
	ChangesJSON     ChangesFormat = "json"
)

// CountChanges returns how many changes are of each level.
func CountChanges(changes []Change) (breaking, warnings, info int) {
	for _, c := range changes {
		switch c.Impact {
		case Breaking:
			breaking++
		case Warning:
			warnings++
		default:
			info++
		}
	}
	return
}

// WriteChanges writes changes as text (one line each, then a summary),
// Markdown (a summary and a table, for a pull request comment) or JSON
// ({"breaking":n,"warnings":n,"info":n,"changes":[...]}).
func WriteChanges(w io.Writer, changes []Change, f ChangesFormat) error {
	b, warn, info := CountChanges(changes)
	switch f {
	case ChangesJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if changes == nil {
			changes = []Change{}
		}
		return enc.Encode(struct {
			Breaking    int      `json:"breaking"`
			Warnings    int      `json:"warnings"`
			NonBreaking int      `json:"nonBreaking"`
			Changes     []Change `json:"changes"`
		}{b, warn, info, changes})
	case ChangesMarkdown:
		var sb strings.Builder
		fmt.Fprintf(&sb, "### API changes: %d breaking, %d warning(s), %d non-breaking\n\n", b, warn, info)
		if len(changes) == 0 {
			sb.WriteString("No change to the API.\n")
		} else {
			sb.WriteString("| | Operation | Where | Change |\n|---|---|---|---|\n")
			for _, c := range changes {
				icon := map[Impact]string{Breaking: "🔴 breaking", Warning: "🟠 warning", NonBreaking: "🟢 info"}[c.Impact]
				fmt.Fprintf(&sb, "| %s | %s | %s | %s (`%s`) |\n", icon, mdCell(c.Operation), mdCell(c.Where), mdCell(c.Message), c.ID)
			}
		}
		_, err := io.WriteString(w, sb.String())
		return err
	case ChangesText, "":
		var sb strings.Builder
		for _, c := range changes {
			sb.WriteString(c.String() + "\n")
		}
		fmt.Fprintf(&sb, "%d breaking, %d warning(s), %d non-breaking\n", b, warn, info)
		_, err := io.WriteString(w, sb.String())
		return err
	}
	return fmt.Errorf("openapi: unknown format %q (want text, markdown or json)", f)
}

func mdCell(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(s, "|", "\\|") + "`"
}

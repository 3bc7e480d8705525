package memory

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// scalar decodes what it accepts exactly as the decoder does.
func TestScalar(t *testing.T) {
	for _, raw := range []string{`true`, `false`, `0`, `-12`, `9223372036854775807`, `"milk"`, `""`, `"a b~"`,
		`1.5`, `1e3`, `"é"`, `"a\"b"`, `"a\\nb"`, `null`, `[1]`, `{"a":1}`, `99999999999999999999`} {
		var want any
		dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatal(raw, err)
		}
		if got, ok := scalar(json.RawMessage(raw)); ok && !reflect.DeepEqual(got, want) {
			t.Errorf("scalar(%s) = %#v, want %#v", raw, got, want)
		}
	}
}

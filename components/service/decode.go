package service

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"strings"
)

// DecodeJSON decodes a JSON answer into dst (a pointer; nil discards
// it). An empty answer leaves dst as it is; an answer that is not JSON —
// by its content type or its syntax — is an error that does not quote
// it. Connectors wrap the error as a [KindBadResponse].
func DecodeJSON(res *Response, dst any) error {
	if dst == nil || len(bytes.TrimSpace(res.Body)) == 0 {
		return nil
	}
	if err := CheckJSON(res); err != nil {
		return err
	}
	if err := json.Unmarshal(res.Body, dst); err != nil {
		return fmt.Errorf("malformed JSON answer: %w", err)
	}
	return nil
}

// CheckJSON reports an answer whose content type, when it has one, is
// not JSON (application/json, text/json or a +json type).
func CheckJSON(res *Response) error {
	ct := res.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || !(mt == "application/json" || strings.HasSuffix(mt, "+json") || mt == "text/json") {
		return fmt.Errorf("the answer is %q, not JSON", ct)
	}
	return nil
}

package relation

// SetInChunk sets how many keys one IN list holds, for the test's
// duration: restore puts the default back.
func SetInChunk(n int) (restore func()) {
	old := inChunk
	inChunk = n
	return func() { inChunk = old }
}

package ingest

// SetWideCells sets the bound on the cells a streamed wide source holds at
// once (wideCells) and returns what restores it.
func SetWideCells(n int) (restore func()) {
	old := wideCells
	wideCells = n
	return func() { wideCells = old }
}

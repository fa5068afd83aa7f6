package gru

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// magic starts every binary encoding of a Model.
const magic = "GRU1"

// headerLen is the length of the magic and the four uint64 config fields.
const headerLen = len(magic) + 4*8

// MarshalBinary encodes m as the magic "GRU1", the config fields Inputs,
// Hidden, Layers and Outputs as little-endian uint64, and then the
// parameters in their flat order as little-endian float64. It never fails.
func (m *Model) MarshalBinary() ([]byte, error) {
	buf := make([]byte, 0, headerLen+8*len(m.p.flat))
	buf = append(buf, magic...)
	for _, v := range []int{m.cfg.Inputs, m.cfg.Hidden, m.cfg.Layers, m.cfg.Outputs} {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(v))
	}
	for _, v := range m.p.flat {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
	}
	return buf, nil
}

// UnmarshalBinary replaces m, config and parameters, by the model encoded in
// data by MarshalBinary. It returns an error, leaving m unchanged, if data
// is truncated, too long, or not such an encoding.
func (m *Model) UnmarshalBinary(data []byte) error {
	if len(data) < headerLen || string(data[:len(magic)]) != magic {
		return errors.New("gru: not a binary GRU model")
	}
	var f [4]int
	for i := range f {
		v := binary.LittleEndian.Uint64(data[len(magic)+8*i:])
		// Each size is at most the parameter count, so a size beyond the
		// data cannot be valid; the check also keeps the ints in range.
		if v > uint64(len(data)) {
			return fmt.Errorf("gru: binary model: size %d exceeds the data", v)
		}
		f[i] = int(v)
	}
	cfg := Config{Inputs: f[0], Hidden: f[1], Layers: f[2], Outputs: f[3]}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("gru: binary model: %w", err)
	}
	body := data[headerLen:]
	if want := 8 * cfg.numParams(); len(body) != want {
		return fmt.Errorf("gru: binary model: %d bytes of parameters, want %d", len(body), want)
	}
	n := newModel(cfg)
	for i := range n.p.flat {
		n.p.flat[i] = math.Float64frombits(binary.LittleEndian.Uint64(body[8*i:]))
	}
	*m = *n
	return nil
}

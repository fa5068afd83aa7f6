package forecast

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/forecast-dev/forecast/gru"
)

// network computes forecasts: one GRU, or an ensemble of them.
type network interface {
	Predict(dst, x []float64, batch, steps int) []float64
}

// ensemble is several GRUs of one shape whose forecast is the mean of their
// outputs, summed in member order.
type ensemble []*gru.Model

// Predict writes the mean of the members' outputs into dst (see
// gru.Model.Predict). One member gives exactly that member's output.
func (e ensemble) Predict(dst, x []float64, batch, steps int) []float64 {
	out := e[0].Predict(dst, x, batch, steps)
	if len(e) == 1 {
		return out
	}
	buf := make([]float64, len(out))
	for _, m := range e[1:] {
		m.Predict(buf, x, batch, steps)
		for i, v := range buf {
			out[i] += v
		}
	}
	n := float64(len(e))
	for i := range out {
		out[i] /= n
	}
	return out
}

// ensembleMagic starts the encoding of several members; one member is
// encoded as gru.Model.MarshalBinary alone.
var ensembleMagic = []byte("ENS1")

// EncodeWeights encodes the members of a model for storage: a single GRU as
// its MarshalBinary, several as "ENS1", their count and each member's
// length-prefixed MarshalBinary, all little-endian. A model without a
// network (see Export.ClassicalOnly) has no bytes.
func EncodeWeights(members []*gru.Model) ([]byte, error) {
	switch len(members) {
	case 0:
		return []byte{}, nil
	case 1:
		return members[0].MarshalBinary()
	}
	var buf bytes.Buffer
	buf.Write(ensembleMagic)
	binary.Write(&buf, binary.LittleEndian, uint32(len(members)))
	for _, m := range members {
		b, err := m.MarshalBinary()
		if err != nil {
			return nil, err
		}
		binary.Write(&buf, binary.LittleEndian, uint64(len(b)))
		buf.Write(b)
	}
	return buf.Bytes(), nil
}

// DecodeWeights decodes what EncodeWeights wrote. The members must share one
// configuration.
func DecodeWeights(b []byte) ([]*gru.Model, error) {
	if !bytes.HasPrefix(b, ensembleMagic) {
		var m gru.Model
		if err := m.UnmarshalBinary(b); err != nil {
			return nil, err
		}
		return []*gru.Model{&m}, nil
	}
	r := bytes.NewReader(b[len(ensembleMagic):])
	var n uint32
	if err := binary.Read(r, binary.LittleEndian, &n); err != nil || n < 2 {
		return nil, errors.New("ensemble weights: bad member count")
	}
	members := make([]*gru.Model, 0, n)
	for i := uint32(0); i < n; i++ {
		var size uint64
		if err := binary.Read(r, binary.LittleEndian, &size); err != nil || size > uint64(r.Len()) {
			return nil, fmt.Errorf("ensemble weights: member %d is truncated", i+1)
		}
		mb := make([]byte, size)
		r.Read(mb)
		var m gru.Model
		if err := m.UnmarshalBinary(mb); err != nil {
			return nil, fmt.Errorf("ensemble weights: member %d: %w", i+1, err)
		}
		if i > 0 && m.Config() != members[0].Config() {
			return nil, fmt.Errorf("ensemble weights: member %d has another shape than member 1", i+1)
		}
		members = append(members, &m)
	}
	if r.Len() != 0 {
		return nil, errors.New("ensemble weights: trailing bytes")
	}
	return members, nil
}

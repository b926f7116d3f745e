package report

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

// romaniaCounties is Romania's 42 county boundaries (41 counties and Bucharest) as TopoJSON,
// object "romania.counties", each with the county's two-letter code as property id (MIT licence, from
// the react-romania project, boundary version 2017-09-27; the same file the national pages
// draw).
//
//go:embed geo/romania-counties.topo.json
var romaniaCounties []byte

// No maintained Go library decodes TopoJSON, so this is the small part of the format the
// map needs: quantized, delta-encoded arcs, their transform, and polygons and multipolygons
// made of arc indices (a negative index ~i is arc i reversed).
type topology struct {
	Type      string                `json:"type"`
	Arcs      [][][2]float64        `json:"arcs"`
	Transform *topoTransform        `json:"transform"`
	Objects   map[string]topoObject `json:"objects"`
}

type topoTransform struct {
	Scale     [2]float64 `json:"scale"`
	Translate [2]float64 `json:"translate"`
}

type topoObject struct {
	Type       string         `json:"type"`
	Geometries []topoGeometry `json:"geometries"`
}

type topoGeometry struct {
	Type       string          `json:"type"`
	ID         any             `json:"id"`
	Properties map[string]any  `json:"properties"`
	Arcs       json.RawMessage `json:"arcs"`
}

// region is one area of a map: its id and its rings of longitude/latitude points.
type region struct {
	ID    string
	Rings [][][2]float64
}

// decodeTopoJSON returns the polygons of one object of a topology, in degrees, each named by
// its property idProperty (its id when it has no such property).
func decodeTopoJSON(data []byte, object, idProperty string) ([]region, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("topojson: %w", err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("topojson: type %q is not Topology", t.Type)
	}
	obj, ok := t.Objects[object]
	if !ok {
		return nil, fmt.Errorf("topojson: no object %q", object)
	}
	// Absolute positions of every arc.
	arcs := make([][][2]float64, len(t.Arcs))
	for i, a := range t.Arcs {
		pts := make([][2]float64, len(a))
		var x, y float64
		for j, p := range a {
			if t.Transform != nil {
				x, y = x+p[0], y+p[1]
				pts[j] = [2]float64{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
			} else {
				pts[j] = p
			}
		}
		arcs[i] = pts
	}
	ring := func(indices []int) ([][2]float64, error) {
		var out [][2]float64
		for k, idx := range indices {
			reversed := idx < 0
			if reversed {
				idx = ^idx
			}
			if idx >= len(arcs) {
				return nil, fmt.Errorf("topojson: arc %d out of range", idx)
			}
			a := arcs[idx]
			pts := make([][2]float64, len(a))
			for j := range a {
				if reversed {
					pts[j] = a[len(a)-1-j]
				} else {
					pts[j] = a[j]
				}
			}
			if k > 0 && len(pts) > 0 {
				pts = pts[1:] // the first point repeats the last of the previous arc
			}
			out = append(out, pts...)
		}
		return out, nil
	}
	var regions []region
	for _, g := range obj.Geometries {
		r := region{ID: fmt.Sprint(g.ID)}
		if id, ok := g.Properties[idProperty]; ok {
			r.ID = fmt.Sprint(id)
		}
		var polygons [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return nil, fmt.Errorf("topojson: polygon %s: %w", r.ID, err)
			}
			polygons = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polygons); err != nil {
				return nil, fmt.Errorf("topojson: multipolygon %s: %w", r.ID, err)
			}
		default:
			continue
		}
		for _, p := range polygons {
			for _, indices := range p {
				rg, err := ring(indices)
				if err != nil {
					return nil, err
				}
				r.Rings = append(r.Rings, rg)
			}
		}
		regions = append(regions, r)
	}
	return regions, nil
}

var (
	countiesOnce    sync.Once
	countyRegions   []region
	countyRegionErr error
)

// counties decodes the embedded boundaries once.
func counties() ([]region, error) {
	countiesOnce.Do(func() {
		countyRegions, countyRegionErr = decodeTopoJSON(romaniaCounties, "romania.counties", "id")
	})
	return countyRegions, countyRegionErr
}

// CountyCodes lists the two-letter codes of the counties the maps draw.
func CountyCodes() ([]string, error) {
	regions, err := counties()
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(regions))
	for i, r := range regions {
		codes[i] = r.ID
	}
	return codes, nil
}

import { geoMercator, geoPath } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';

// Romania's boundaries, drawn once per map level. The page imports this module on demand, with
// the boundary files (static/geo/, TopoJSON keyed by SIRUTA code and county code), so that
// its own script stays small.

export type MapLevel = 'county' | 'municipality';

/** The boundary files and the object inside each. */
export const GEO_FILES: Readonly<Record<MapLevel, { readonly url: string; readonly object: string }>> = {
	county: { url: '/geo/romania-counties.topo.json', object: 'romania.counties' },
	municipality: { url: '/geo/romania-uats.topo.json', object: 'romania.atus' }
};

/** The drawing's own coordinates; the SVG scales to its box. */
export const MAP_WIDTH = 800;
export const MAP_HEIGHT = 560;

export interface Region {
	/** The key the API's rows are matched on: a SIRUTA code, or a county's two-letter code. */
	readonly key: string;
	/** The county's two-letter code (for a municipality, its county's). */
	readonly county: string;
	/** The name in the boundary file (the page shows the API's names). */
	readonly label: string;
	/** The SVG path. */
	readonly d: string;
	/** Its box in the drawing: [[left, top], [right, bottom]]. */
	readonly bounds: readonly [readonly [number, number], readonly [number, number]];
}

export interface MapShape {
	readonly regions: readonly Region[];
	/** County borders over municipalities, for orientation; "" on the county map. */
	readonly borders: string;
	/** The country's outline. */
	readonly outline: string;
}

interface RegionProperties {
	readonly id?: string | number;
	readonly countyId?: string;
	readonly name?: string;
	readonly defaultLabel?: string;
}

type Boundaries = Topology<{ [name: string]: GeometryCollection<RegionProperties> }>;

/** The key of a boundary: a SIRUTA code as a number's digits, a county code as it is. */
export function regionKey(level: MapLevel, properties: RegionProperties | null | undefined): string {
	const id = String(properties?.id ?? '').trim();
	if (level === 'municipality') return /^\d+$/.test(id) ? String(Number(id)) : '';
	return id.toUpperCase();
}

/** Projects a boundary file's object into SVG paths fitted to the drawing. */
export function shapeOf(topology: Boundaries, level: MapLevel): MapShape {
	const object = topology.objects[GEO_FILES[level].object];
	if (object === undefined) throw new Error(`boundary file without ${GEO_FILES[level].object}`);
	const collection = feature(topology, object) as FeatureCollection<Geometry, RegionProperties>;
	const projection = geoMercator().fitSize([MAP_WIDTH, MAP_HEIGHT], collection);
	const path = geoPath(projection).digits(1);
	const regions: Region[] = [];
	for (const f of collection.features as Feature<Geometry, RegionProperties>[]) {
		const key = regionKey(level, f.properties);
		const d = path(f) ?? '';
		if (key === '' || d === '') continue;
		const county = String(f.properties?.countyId ?? (level === 'county' ? key : '')).toUpperCase();
		regions.push({ key, county, label: String(f.properties?.name ?? f.properties?.defaultLabel ?? key), d, bounds: path.bounds(f) });
	}
	const borders =
		level === 'municipality'
			? (path(mesh(topology, object, (a, b) => a !== b && (a.properties as RegionProperties)?.countyId !== (b.properties as RegionProperties)?.countyId)) ?? '')
			: '';
	const outline = path(mesh(topology, object, (a, b) => a === b)) ?? '';
	return { regions, borders, outline };
}

/**
 * The SVG viewBox that shows the regions of one county (on either map), with a margin; the
 * whole country when `county` is null or unknown.
 */
export function viewBoxOf(shape: MapShape, county: string | null): string {
	const whole = `0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`;
	if (county === null) return whole;
	const inside = shape.regions.filter((r) => r.county === county.toUpperCase());
	if (inside.length === 0) return whole;
	const [x0, y0, x1, y1] = inside.reduce(
		([a, b, c, d], r) => [Math.min(a, r.bounds[0][0]), Math.min(b, r.bounds[0][1]), Math.max(c, r.bounds[1][0]), Math.max(d, r.bounds[1][1])],
		[Infinity, Infinity, -Infinity, -Infinity]
	);
	// Keep the drawing's proportions, so the map does not jump in height.
	const margin = 0.08 * Math.max(x1 - x0, y1 - y0);
	let [w, h] = [x1 - x0 + 2 * margin, y1 - y0 + 2 * margin];
	if (w / h > MAP_WIDTH / MAP_HEIGHT) h = (w * MAP_HEIGHT) / MAP_WIDTH;
	else w = (h * MAP_WIDTH) / MAP_HEIGHT;
	const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
	const round = (n: number) => Math.round(n * 10) / 10;
	return `${round(cx - w / 2)} ${round(cy - h / 2)} ${round(w)} ${round(h)}`;
}

const shapes = new Map<MapLevel, Promise<MapShape>>();

/** Fetches and draws a level's boundaries, once per page load. */
export function loadShape(level: MapLevel, fetcher: typeof fetch = fetch): Promise<MapShape> {
	let shape = shapes.get(level);
	if (shape === undefined) {
		shape = fetcher(GEO_FILES[level].url).then(async (response) => {
			if (!response.ok) throw new Error(`${GEO_FILES[level].url}: ${response.status}`);
			return shapeOf((await response.json()) as Boundaries, level);
		});
		// A failed fetch is tried again next time.
		shape.catch(() => shapes.delete(level));
		shapes.set(level, shape);
	}
	return shape;
}

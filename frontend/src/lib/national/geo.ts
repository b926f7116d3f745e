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
		regions.push({ key, county, label: String(f.properties?.name ?? f.properties?.defaultLabel ?? key), d });
	}
	const borders =
		level === 'municipality'
			? (path(mesh(topology, object, (a, b) => a !== b && (a.properties as RegionProperties)?.countyId !== (b.properties as RegionProperties)?.countyId)) ?? '')
			: '';
	const outline = path(mesh(topology, object, (a, b) => a === b)) ?? '';
	return { regions, borders, outline };
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

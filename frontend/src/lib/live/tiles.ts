// The look of answer options in a live room: each option has a colour AND a shape, so that a
// child who cannot tell the colours apart still finds their tile on the projector's chart.
// Phones, the projector and the results use the same tiles, in option order.

export type TileShape = 'triangle' | 'diamond' | 'circle' | 'square' | 'star' | 'hexagon';

export interface Tile {
	/** Background colour; white text on it meets WCAG AA (at least 4.5:1). */
	colour: string;
	shape: TileShape;
	/** An SVG path in a 24×24 viewBox. */
	path: string;
}

export const tiles: readonly Tile[] = [
	{ colour: '#b3132b', shape: 'triangle', path: 'M12 3 22 20H2Z' },
	{ colour: '#1259b3', shape: 'diamond', path: 'M12 2 22 12 12 22 2 12Z' },
	{ colour: '#7a5200', shape: 'circle', path: 'M12 2a10 10 0 1 0 0 20 10 10 0 1 0 0-20Z' },
	{ colour: '#1c6e0a', shape: 'square', path: 'M3 3h18v18H3Z' },
	{ colour: '#5d3596', shape: 'star', path: 'M12 2l2.9 6.6 7.1.6-5.4 4.7 1.6 7.1L12 17.3 5.8 21l1.6-7.1L2 9.2l7.1-.6Z' },
	{ colour: '#0b6267', shape: 'hexagon', path: 'M7 3h10l5 9-5 9H7l-5-9Z' }
];

/** The tile of the option at index i; options past the sixth reuse the tiles in order. */
export function tileAt(i: number): Tile {
	return tiles[((i % tiles.length) + tiles.length) % tiles.length]!;
}

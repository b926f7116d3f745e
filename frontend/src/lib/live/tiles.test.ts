import { describe, expect, it } from 'vitest';
import { tileAt, tiles } from './tiles';

function luminance(hex: string): number {
	const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
	const l = c.map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
	const [r = 0, g = 0, b = 0] = l;
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe('tiles', () => {
	it('give white text at least 4.5:1 on every colour', () => {
		for (const tile of tiles) {
			expect((1 + 0.05) / (luminance(tile.colour) + 0.05)).toBeGreaterThanOrEqual(4.5);
		}
	});
	it('never repeat a colour or a shape', () => {
		expect(new Set(tiles.map((t) => t.colour)).size).toBe(tiles.length);
		expect(new Set(tiles.map((t) => t.shape)).size).toBe(tiles.length);
	});
	it('wrap around past the last tile', () => {
		expect(tileAt(tiles.length)).toBe(tiles[0]);
		expect(tileAt(1)).toBe(tiles[1]);
	});
});

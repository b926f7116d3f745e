import type { LivePicture } from './protocol';

// The addresses of a picture's copies, for children's pages and the projector: kept apart
// from the adults' picture code so that a phone downloads only this.

/** The srcset of a picture: its narrower copies, and itself at its own width. */
export function pictureSrcset(p: LivePicture): string {
	return [...p.widths.map((w) => `${p.url}?w=${w} ${w}w`), `${p.url} ${p.width}w`].join(', ');
}

/** The smallest copy at least `want` pixels wide (the picture itself when none is). */
export function pictureSrc(p: LivePicture, want: number): string {
	const w = p.widths.find((w) => w >= want);
	return w === undefined ? p.url : `${p.url}?w=${w}`;
}

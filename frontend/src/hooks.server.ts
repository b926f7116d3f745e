import type { Handle } from '@sveltejs/kit';
import { preloadAfterContent } from '$lib/phone/preload';

// Runs only while pages are written out at build time (the app has no server of its own).
// /join shows its first screen from the HTML and needs its scripts only after that; the pages
// that need their scripts to show anything keep the preloads in the head.
export const handle: Handle = ({ event, resolve }) =>
	resolve(event, event.route.id === '/join' ? { transformPageChunk: ({ html }) => preloadAfterContent(html) } : undefined);

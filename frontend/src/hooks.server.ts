import type { Handle } from '@sveltejs/kit';
import { earlySelfPaced, earlySession } from '$lib/phone/early';
import { preloadAfterContent, startBeforePreloads } from '$lib/phone/preload';

// The inline scripts that start the data of a page written out as a shell (see $lib/phone/early).
const early: Readonly<Record<string, string>> = {
	'/session': earlySession.toString(),
	'/p/[key]': earlySelfPaced.toString()
};

// Runs only while pages are written out at build time (the app has no server of its own).
// /join shows its first screen from the HTML and needs its scripts only after that. /session
// and /p/[key] need data for theirs: their inline script asks for it first in the head, then
// preloads their scripts.
export const handle: Handle = ({ event, resolve }) => {
	const id = event.route.id ?? '';
	if (id === '/join') return resolve(event, { transformPageChunk: ({ html }) => preloadAfterContent(html) });
	const script = early[id];
	return resolve(event, script ? { transformPageChunk: ({ html }) => startBeforePreloads(html, script) } : undefined);
};

import type { Handle } from '@sveltejs/kit';
import { earlySelfPaced, earlySession } from '$lib/phone/early';
import { oneTitle, preloadAfterContent, startBeforePreloads } from '$lib/phone/preload';
import { withWords } from '$lib/phone/words';
import { en } from '$lib/i18n/en';
import { hu } from '$lib/i18n/hu';
import { ro } from '$lib/i18n/ro';

// The inline scripts that start the data of a page written out as a shell (see $lib/phone/early).
const early: Readonly<Record<string, string>> = {
	'/session': earlySession.toString(),
	'/p/[key]': earlySelfPaced.toString()
};

// Runs only while pages are written out at build time (the app has no server of its own).
// /join shows its first screen from the HTML and needs its scripts only after that. /session
// and /p/[key] need data for theirs: their inline script asks for it first in the head, then
// preloads their scripts. All three carry their first screen's words in English and Hungarian
// (see $lib/phone/words), which app.html's head script swaps in for a phone shown either.
const dictionaries = { ro, en, hu };

export const handle: Handle = ({ event, resolve }) => {
	const id = event.route.id ?? '';
	if (id === '/join') return resolve(event, { transformPageChunk: ({ html }) => withWords(oneTitle(preloadAfterContent(html)), dictionaries) });
	const script = early[id];
	return resolve(event, script ? { transformPageChunk: ({ html }) => withWords(oneTitle(startBeforePreloads(html, script)), dictionaries) } : undefined);
};

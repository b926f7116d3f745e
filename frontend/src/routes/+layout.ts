import { initLocale, LOCALE_PARAM } from '$lib/i18n';
import type { LayoutLoad } from './$types';

// A single-page app: the Go server answers every page path with index.html.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';

// Runs before the first render, so a page asked for in Hungarian never
// flashes in Romanian first.
export const load: LayoutLoad = async ({ url }) => {
	await initLocale(url.searchParams.get(LOCALE_PARAM));
};

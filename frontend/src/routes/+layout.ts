import { initLocale, LOCALE_PARAM } from '$lib/i18n';
import { isChildrensPage } from '$lib/phone/pages';
import type { LayoutLoad } from './$types';

// A single-page app: the Go server answers every page path with index.html.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';

// Runs before the first render, so a page asked for in Hungarian never
// flashes in Romanian first. On children's pages a phone set to Hungarian gets
// Hungarian without anyone choosing; adults' pages keep Romanian unless chosen.
export const load: LayoutLoad = async ({ url }) => {
	const device = isChildrensPage(url.pathname) ? navigator.languages ?? [navigator.language] : [];
	await initLocale(url.searchParams.get(LOCALE_PARAM), device);
};

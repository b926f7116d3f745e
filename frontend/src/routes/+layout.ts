import { browser } from '$app/environment';
import { initLocale, LOCALE_PARAM } from '$lib/i18n';
import { hasSiteChrome, isChildrensPage } from '$lib/phone/pages';
import type { LayoutLoad } from './$types';

// A single-page app: the Go server answers every page path with index.html, except the
// children's pages written out at build time (their +page.ts say so).
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';

// Runs before the first render, so a page asked for in Hungarian never
// flashes in Romanian first. On children's pages a phone set to Hungarian gets
// Hungarian without anyone choosing; adults' pages keep Romanian unless chosen.
// A page written out at build time is in Romanian; a phone that wants another language is
// shown it once the scripts have run (app.html hides the Romanian meanwhile).
// The site's header, menu and footer come as a separate file, fetched alongside the language
// for the pages that show them: a child in a session or on a self-paced link never loads them.
export const load: LayoutLoad = async ({ url, route }) => {
	const [chrome] = await Promise.all([
		hasSiteChrome(route.id) ? import('$lib/components/SiteChrome.svelte').then((module) => module.default) : null,
		browser ? initLocale(url.searchParams.get(LOCALE_PARAM), isChildrensPage(url.pathname) ? navigator.languages ?? [navigator.language] : []) : null
	]);
	return { chrome };
};

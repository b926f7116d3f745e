import SiteChrome from '$lib/components/SiteChrome.svelte';
import type { PageLoad } from './$types';

// Written out at build time (see svelte.config.js): the first screen a child sees comes in the HTML.
export const ssr = true;
export const prerender = true;

// The site's header, menu and footer, which this page shows. The root layout loads them in the
// browser only (its load does not run while pages are written out, as it is not server-rendered),
// so the page names them itself: they are written out with the form, and the scripts take over
// the same page rather than drawing a new one over it (which would lose a code typed early and
// the focus), and their file is in the HTML with the page's own.
export const load: PageLoad = () => ({ chrome: SiteChrome });

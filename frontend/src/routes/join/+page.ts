// Written out at build time (see svelte.config.js): the first screen a child sees comes in the HTML.
export const ssr = true;
export const prerender = true;

// The site's header, menu and footer, which this page shows: named here so that their file is
// in the HTML with the page's own, rather than fetched once those have run (the root layout
// loads it on demand, for the pages that show it).
export { default as _siteChrome } from '$lib/components/SiteChrome.svelte';

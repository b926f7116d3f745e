// Written out at build time (see svelte.config.js): the first screen a child sees comes in the HTML.
export const ssr = true;
export const prerender = true;

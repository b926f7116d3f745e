import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A single-page app: the Go server answers every non-API path with
		// index.html, and the client router takes it from there.
		// precompress writes NAME.br and NAME.gz beside each text file: the server sends them
		// as they are (internal/httpapi/spa.go), so no first visitor waits on a compression.
		adapter: adapter({ pages: 'dist', assets: 'dist', fallback: 'index.html', strict: true, precompress: true }),
		// Children's entry pages are the exception: written out at build time, so that a phone
		// on a slow network sees the join form from the HTML itself, and the other children's
		// pages come with every script they need named in their head (no round trip to find
		// the next one). /p/[key] is one page for every key: the server serves it for /p/*.
		prerender: { entries: ['/join', '/join/next', '/session', '/p/[key]'], crawl: false },
		// Their styles come inside the page: no round trip for a stylesheet before the first screen.
		inlineStyleThreshold: 16 * 1024,
		// The fallback page is served at any depth (/municipalities, /a/b/c), so
		// asset URLs must be absolute.
		paths: { relative: false }
	}
};

export default config;

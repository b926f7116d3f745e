import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A single-page app: the Go server answers every non-API path with
		// index.html, and the client router takes it from there.
		adapter: adapter({ pages: 'dist', assets: 'dist', fallback: 'index.html', strict: true }),
		// The fallback page is served at any depth (/municipalities, /a/b/c), so
		// asset URLs must be absolute.
		paths: { relative: false }
	}
};

export default config;

import { describe, expect, it } from 'vitest';
import { preloadAfterContent } from './preload';

describe('preloads after the content', () => {
	const page = [
		'<html><head><title>Voci</title>',
		'\t\t<link href="/_app/immutable/entry/start.a.js" rel="modulepreload">',
		'\t\t<link href="/_app/immutable/chunks/b.js" rel="modulepreload">',
		'<style>h1{}</style></head><body><h1>Intră</h1><script>start()</script></body></html>'
	].join('\n');

	it('leave the head and come last in the body, in their order', () => {
		const moved = preloadAfterContent(page);
		expect(moved.indexOf('<h1>')).toBeLessThan(moved.indexOf('start.a.js'));
		expect(moved.indexOf('start.a.js')).toBeLessThan(moved.indexOf('chunks/b.js'));
		expect(moved.indexOf('chunks/b.js')).toBeLessThan(moved.indexOf('</body>'));
		expect(moved.slice(0, moved.indexOf('</head>'))).not.toContain('modulepreload');
		expect(moved.match(/modulepreload/g)).toHaveLength(2);
	});

	it('leave a page without them, or a part of a page, as it is', () => {
		expect(preloadAfterContent('<p>x</p>')).toBe('<p>x</p>');
		expect(preloadAfterContent('<head><link href="/a.js" rel="modulepreload">')).toBe('<head><link href="/a.js" rel="modulepreload">');
	});
});

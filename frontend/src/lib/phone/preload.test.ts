import { describe, expect, it } from 'vitest';
import { oneTitle, preloadAfterContent, startBeforePreloads } from './preload';

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

describe('a start before the preloads', () => {
	const page = [
		'<html><head><title>Voci</title>',
		'\t\t<link href="/_app/immutable/entry/start.a.js" rel="modulepreload">',
		'\t\t<link href="/_app/immutable/chunks/b.js" rel="modulepreload">',
		'</head><body></body></html>'
	].join('\n');

	it('runs first, then preloads the scripts in their order, with no links left to find', () => {
		const moved = startBeforePreloads(page, 'function early(w) {}');
		expect(moved).not.toContain('rel="modulepreload"');
		const script = moved.slice(moved.indexOf('<script>'), moved.indexOf('</script>'));
		expect(script.indexOf('function early(w) {}')).toBeLessThan(script.indexOf('start.a.js'));
		expect(script.indexOf('start.a.js')).toBeLessThan(script.indexOf('chunks/b.js'));
		expect(moved.indexOf('<title>')).toBeLessThan(moved.indexOf('<script>'));
	});

	it('leaves a page without preloads as it is', () => {
		expect(startBeforePreloads('<p>x</p>', 'function early(w) {}')).toBe('<p>x</p>');
	});
});

describe('the title of a page written out', () => {
	it('is its own, once, when it has one', () => {
		const page = '<html><head><title>Voci</title><meta charset="utf-8"><title>Intră într-o sesiune · Voci</title></head><body></body></html>';
		expect(oneTitle(page).match(/<title>[^<]*<\/title>/g)).toEqual(['<title>Intră într-o sesiune · Voci</title>']);
	});
	it('is app.html’s when the page has none', () => {
		const page = '<html><head><title>Voci</title></head><body></body></html>';
		expect(oneTitle(page)).toBe(page);
	});
});

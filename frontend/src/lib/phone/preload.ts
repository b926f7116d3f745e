const preloads = /[ \t]*<link href="[^"]+" rel="modulepreload">\n?/g;

/**
 * Moves a page's script preloads from its head to the end of its body, for a page whose first
 * screen is in the HTML: on a slow network they would otherwise share the bandwidth with the
 * rest of the page, and that screen would show later.
 */
export function preloadAfterContent(html: string): string {
	const links = html.match(preloads);
	if (!links || !html.includes('</body>')) return html;
	return html.replace(preloads, '').replace('</body>', `${links.join('')}</body>`);
}

/**
 * For a page whose first screen needs data: runs `start` (which sends the request for it)
 * first in the head, and only then preloads the page's scripts, from the same inline script.
 * The request must not wait for one of the browser's six connections to this server to come
 * free; written as links, the preloads would be found by the browser before any script ran.
 */
export function startBeforePreloads(html: string, start: string): string {
	const links = html.match(preloads);
	const first = html.search(preloads);
	if (!links || first < 0) return html;
	const hrefs = links.map((link) => /href="([^"]+)"/.exec(link)?.[1] ?? '');
	const script =
		`<script>try{(${start})(window)}catch(e){}` +
		`${JSON.stringify(hrefs)}.forEach(function(h){var l=document.createElement('link');l.rel='modulepreload';l.href=h;document.head.appendChild(l)})</script>\n`;
	return html.slice(0, first) + script + html.slice(first).replace(preloads, '');
}

/**
 * A page written out with a title of its own keeps that one only: app.html's "Voci" comes
 * first in the head and would be the one the browser shows, and a page has one title.
 */
export function oneTitle(html: string): string {
	const [first, ...others] = html.match(/<title>[^<]*<\/title>/g) ?? [];
	return first !== undefined && others.length > 0 ? html.replace(first, '') : html;
}

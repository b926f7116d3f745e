import { describe, expect, it } from 'vitest';
import { slotted } from './early';

describe('a sentence with empty places for the inline script', () => {
	const translate = (params: Record<string, string>) => `Views reach ${params.body} <by> ${params.date} & more.`;

	it('turns each parameter into an empty element named after it', () => {
		expect(slotted(translate, ['body', 'date'])).toBe(
			'Views reach <span data-early="body"></span> &#60;by&#62; <span data-early="date"></span> &#38; more.'
		);
	});

	it('escapes the rest of the sentence', () => {
		expect(slotted(() => '<script>x</script>', [])).toBe('&#60;script&#62;x&#60;/script&#62;');
	});
});

import { describe, expect, it } from 'vitest';
import { toGroupFactsInput } from './api';

describe('toGroupFactsInput', () => {
	it('leaves out categories left empty and counts the rest', () => {
		expect(toGroupFactsInput('24', { roma: '6', disability: '', rural: ' 0 ' }, ['easy_read'])).toEqual({
			present: 24,
			counts: { roma: 6, rural: 0 },
			adaptations: ['easy_read']
		});
	});

	it('takes an empty number present as not counted', () => {
		expect(toGroupFactsInput('', {}, [])).toEqual({ present: 0, counts: {}, adaptations: [] });
	});

	it('names the first field that is not a whole number', () => {
		expect(toGroupFactsInput('2.5', {}, [])).toEqual({ invalid: 'present' });
		expect(toGroupFactsInput('10', { roma: '-1' }, [])).toEqual({ invalid: 'roma' });
		expect(toGroupFactsInput('10', { roma: 'six' }, [])).toEqual({ invalid: 'roma' });
	});
});

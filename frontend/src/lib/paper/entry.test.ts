import { describe, expect, it } from 'vitest';
import { chosenLabels, keepSitting, keepUnstored, loadSitting, loadUnstored, newFormKey, readAgeBand, readAnswer, readGender, typedFromStored, typedNumbers } from './entry';

const options = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `o${i + 1}`, label: `Option ${i + 1}` }));
const q = (kind: 'single' | 'multiple' | 'scale' | 'ranking' | 'short_text' | 'word_cloud', n = 3, maxChoices = 0) => ({ kind, options: options(n), maxChoices });

describe('typed option numbers', () => {
	it('reads one digit per option up to nine options, separators allowed', () => {
		expect(typedNumbers('312', 3)).toEqual([3, 1, 2]);
		expect(typedNumbers(' 3, 1 2 ', 3)).toEqual([3, 1, 2]);
		expect(typedNumbers('', 3)).toEqual([]);
		expect(typedNumbers('a', 3)).toBeNull();
	});
	it('needs separators past nine options', () => {
		expect(typedNumbers('10 2', 12)).toEqual([10, 2]);
	});
});

describe('reading a typed answer', () => {
	it('takes one option for a single choice and a scale', () => {
		expect(readAnswer(q('single'), '2')).toEqual({ ok: true, empty: false, choices: ['o2'] });
		expect(readAnswer(q('scale', 5), '5')).toEqual({ ok: true, empty: false, choices: ['o5'] });
		expect(readAnswer(q('single'), '12')).toEqual({ ok: false, problem: { kind: 'one', count: 3 } });
		expect(readAnswer(q('single'), '4')).toEqual({ ok: false, problem: { kind: 'option', count: 3 } });
		expect(readAnswer(q('single'), '0')).toEqual({ ok: false, problem: { kind: 'option', count: 3 } });
	});
	it('takes several options for multiple choice, within its limit', () => {
		expect(readAnswer(q('multiple'), '13')).toEqual({ ok: true, empty: false, choices: ['o1', 'o3'] });
		expect(readAnswer(q('multiple', 3, 2), '123')).toEqual({ ok: false, problem: { kind: 'tooMany', count: 2 } });
		expect(readAnswer(q('multiple'), '11')).toEqual({ ok: false, problem: { kind: 'twice', count: 3 } });
	});
	it('reads a ranking as the places written in the boxes, top to bottom', () => {
		// Option 1 got 2, option 2 got 3, option 3 got 1: the order is 3, 1, 2.
		expect(readAnswer(q('ranking'), '231')).toEqual({ ok: true, empty: false, choices: ['o3', 'o1', 'o2'] });
		expect(readAnswer(q('ranking'), '123')).toEqual({ ok: true, empty: false, choices: ['o1', 'o2', 'o3'] });
		for (const bad of ['12', '122', '1234', '124']) {
			expect(readAnswer(q('ranking'), bad)).toEqual({ ok: false, problem: { kind: 'ranking', count: 3 } });
		}
	});
	it('keeps text as typed, trimmed, within its length', () => {
		expect(readAnswer(q('short_text', 0), '  more trees ')).toEqual({ ok: true, empty: false, text: 'more trees' });
		expect(readAnswer(q('word_cloud', 0), 'x'.repeat(41))).toEqual({ ok: false, problem: { kind: 'tooLong', count: 40 } });
	});
	it('takes an empty field as a question left out', () => {
		expect(readAnswer(q('single'), ' ')).toEqual({ ok: true, empty: true });
		expect(readAnswer(q('short_text', 0), '')).toEqual({ ok: true, empty: true });
	});
	it('shows the chosen options by label, in order', () => {
		expect(chosenLabels(q('ranking'), ['o3', 'o1'])).toEqual(['Option 3', 'Option 1']);
	});
});

describe('profile codes', () => {
	it('reads age bands and genders by number, empty as not given', () => {
		expect(readAgeBand('3')).toBe('13_15');
		expect(readAgeBand('')).toBe('');
		expect(readAgeBand('5')).toBeNull();
		expect(readGender('2')).toBe('girl');
		expect(readGender('x')).toBeNull();
	});
	it('makes a key the API takes', () => {
		expect(newFormKey(() => '0b9f1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b')).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
	});
});

describe('a stored form, typed again', () => {
	const questions = [
		{ id: 's', ...q('single') },
		{ id: 'm', ...q('multiple') },
		{ id: 'r', ...q('ranking') },
		{ id: 'big', ...q('multiple', 12) },
		{ id: 't', ...q('short_text') },
		{ id: 'left', ...q('single') }
	];
	const typed = ['2', '31', '231', '10 2', 'more shade', ''];
	it('gives back what was typed, so that reading it again stores the same answers', () => {
		const answers = questions.flatMap((question, i) => {
			const r = readAnswer(question, typed[i] ?? '');
			if (!r.ok || r.empty) return [];
			return [r.choices ? { questionId: question.id, choices: r.choices } : { questionId: question.id, text: r.text }];
		});
		const back = typedFromStored(questions, { ageBand: '13_15', gender: 'girl', answers });
		expect(back.answers).toEqual({ s: '2', m: '31', r: '231', big: '10 2', t: 'more shade' });
		expect(readAgeBand(back.age)).toBe('13_15');
		expect(readGender(back.gender)).toBe('girl');
		expect(typedFromStored(questions, { ageBand: '', gender: '', answers: [] })).toEqual({ answers: {}, age: '', gender: '' });
	});
});

describe('the sitting', () => {
	const memory = () => {
		const m = new Map<string, string>();
		return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
	};
	it('is kept per consultation for the tab, with the highest number given', () => {
		const storage = memory();
		const first = loadSitting(storage, 'c1', () => 'abcd-1234-ef');
		expect(first).toEqual({ id: 'sitting-abcd-1234-ef', last: 0 });
		keepSitting(storage, 'c1', { ...first, last: 7 });
		expect(loadSitting(storage, 'c1', () => 'other-random')).toEqual({ id: 'sitting-abcd-1234-ef', last: 7 });
		expect(loadSitting(storage, 'c2', () => 'other-random').id).toBe('sitting-other-random');
	});
	it('starts anew when storage is refused or holds something else', () => {
		const refusing = {
			getItem: () => {
				throw new Error('denied');
			},
			setItem: () => {
				throw new Error('denied');
			}
		};
		expect(loadSitting(refusing, 'c1', () => 'fresh-one-1').id).toBe('sitting-fresh-one-1');
		expect(loadSitting(null, 'c1', () => 'fresh-one-2').last).toBe(0);
		const storage = memory();
		storage.setItem('voci.paper.sitting.c1', '{"id":"bad id","last":3}');
		expect(loadSitting(storage, 'c1', () => 'fresh-one-3').id).toBe('sitting-fresh-one-3');
	});
});

describe('forms the server does not hold', () => {
	it('are kept by key, replaced and forgotten', () => {
		const m = new Map<string, string>();
		const storage = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
		const typed = { answers: { q: '2' }, age: '', gender: '1' };
		keepUnstored(storage, 'c1', 'paper-a', { key: 'paper-a', n: 2, typed });
		keepUnstored(storage, 'c1', 'paper-b', { key: 'paper-b', n: 3, typed, failed: 'The database is busy.' });
		keepUnstored(storage, 'c1', 'paper-a', { key: 'paper-a', n: 2, typed: { ...typed, age: '3' } });
		expect(loadUnstored(storage, 'c1').map((f) => [f.key, f.typed.age, f.failed ?? ''])).toEqual([
			['paper-b', '', 'The database is busy.'],
			['paper-a', '3', '']
		]);
		keepUnstored(storage, 'c1', 'paper-b', null);
		expect(loadUnstored(storage, 'c1').map((f) => f.key)).toEqual(['paper-a']);
		expect(loadUnstored(storage, 'c2')).toEqual([]);
		m.set('voci.paper.unstored.c1', '[{"key":1}]');
		expect(loadUnstored(storage, 'c1')).toEqual([]);
	});
});

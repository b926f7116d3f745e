import { describe, expect, it } from 'vitest';
import type { ModerationData } from './protocol';
import { CONSOLE_SHORTCUTS, firstCleanText, isTyping, shortcutOf } from './shortcuts';

function key(k: string, target: unknown = null, extra: Partial<KeyboardEvent> = {}) {
	return { key: k, ctrlKey: false, altKey: false, metaKey: false, repeat: false, defaultPrevented: false, target: target as EventTarget | null, ...extra };
}

function element(tagName: string, props: Record<string, unknown> = {}): EventTarget {
	return { tagName: tagName.toUpperCase(), isContentEditable: false, getAttribute: () => null, ...props } as unknown as EventTarget;
}

function text(answerId: string, questionId: string, moderation: 'held' | 'pending', flags: string[] = []): ModerationData {
	return { answerId, questionId, text: answerId, moderation, flags, revision: 1 };
}

describe('shortcutOf', () => {
	it('maps the keys, and the clicker keys, to actions', () => {
		expect(shortcutOf(key('n'))).toBe('next');
		expect(shortcutOf(key('N'))).toBe('next');
		expect(shortcutOf(key('PageDown'))).toBe('next');
		expect(shortcutOf(key('PageUp'))).toBe('previous');
		expect(shortcutOf(key('p'))).toBe('previous');
		expect(shortcutOf(key('l'))).toBe('lock');
		expect(shortcutOf(key('r'))).toBe('reveal');
		expect(shortcutOf(key('a'))).toBe('approve');
		expect(shortcutOf(key('x'))).toBeNull();
		expect(shortcutOf(key('Enter'))).toBeNull();
	});

	it('leaves the browser its own keys, and ignores repeats', () => {
		expect(shortcutOf(key('r', null, { ctrlKey: true }))).toBeNull();
		expect(shortcutOf(key('r', null, { metaKey: true }))).toBeNull();
		expect(shortcutOf(key('n', null, { altKey: true }))).toBeNull();
		expect(shortcutOf(key('PageDown', null, { repeat: true }))).toBeNull();
		expect(shortcutOf(key('a', null, { defaultPrevented: true }))).toBeNull();
	});

	it('does nothing while the facilitator types in a field', () => {
		expect(shortcutOf(key('a', element('input')))).toBeNull();
		expect(shortcutOf(key('n', element('input', { type: 'number' })))).toBeNull();
		expect(shortcutOf(key('PageDown', element('textarea')))).toBeNull();
		expect(shortcutOf(key('n', element('select')))).toBeNull();
		expect(shortcutOf(key('l', element('div', { isContentEditable: true })))).toBeNull();
	});

	it('still works on a checkbox, a radio button or a button that has focus', () => {
		expect(shortcutOf(key('PageDown', element('input', { type: 'checkbox' })))).toBe('next');
		expect(shortcutOf(key('r', element('input', { type: 'radio' })))).toBe('reveal');
		expect(shortcutOf(key('l', element('button')))).toBe('lock');
	});

	it('lists every action once, with its keys for aria-keyshortcuts', () => {
		expect(CONSOLE_SHORTCUTS.map((s) => s.action)).toEqual(['next', 'previous', 'lock', 'reveal', 'approve']);
		for (const s of CONSOLE_SHORTCUTS) {
			for (const k of s.aria.split(' ')) expect(shortcutOf(key(k))).toBe(s.action);
		}
	});
});

describe('isTyping', () => {
	it('is false without an element', () => {
		expect(isTyping(null)).toBe(false);
		expect(isTyping({} as EventTarget)).toBe(false);
	});
});

describe('firstCleanText', () => {
	it('never picks a held or flagged text', () => {
		expect(firstCleanText([text('h', 'q1', 'held', ['phone'])])).toBeNull();
		expect(firstCleanText([text('f', 'q1', 'pending', ['phone'])])).toBeNull();
		expect(firstCleanText([text('h', 'q1', 'held', ['phone']), text('c', 'q1', 'pending')])?.answerId).toBe('c');
	});

	it('takes the question on screen first, then the queue order', () => {
		const queue = [text('old', 'q1', 'pending'), text('new1', 'q2', 'pending'), text('new2', 'q2', 'pending')];
		expect(firstCleanText(queue)?.answerId).toBe('old');
		expect(firstCleanText(queue, 'q2')?.answerId).toBe('new1');
		expect(firstCleanText([])).toBeNull();
	});
});

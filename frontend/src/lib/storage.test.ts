import { describe, expect, it } from 'vitest';
import { safeStorage } from './storage';

class MemoryStorage implements Storage {
	#items = new Map<string, string>();
	get length(): number {
		return this.#items.size;
	}
	clear(): void {
		this.#items.clear();
	}
	getItem(key: string): string | null {
		return this.#items.get(key) ?? null;
	}
	key(index: number): string | null {
		return [...this.#items.keys()][index] ?? null;
	}
	removeItem(key: string): void {
		this.#items.delete(key);
	}
	setItem(key: string, value: string): void {
		this.#items.set(key, value);
	}
}

describe('safeStorage', () => {
	it('reads and writes the underlying storage', () => {
		const backing = new MemoryStorage();
		const storage = safeStorage(() => backing);
		storage.set('voci.lang', 'hu');
		expect(backing.getItem('voci.lang')).toBe('hu');
		expect(storage.get('voci.lang')).toBe('hu');
		storage.remove('voci.lang');
		expect(storage.get('voci.lang')).toBeNull();
	});

	it('remembers in memory when storage is forbidden', () => {
		const storage = safeStorage(() => {
			throw new DOMException('denied', 'SecurityError');
		});
		expect(storage.get('voci.lang')).toBeNull();
		storage.set('voci.lang', 'en');
		expect(storage.get('voci.lang')).toBe('en');
		storage.remove('voci.lang');
		expect(storage.get('voci.lang')).toBeNull();
	});
});

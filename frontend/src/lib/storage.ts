/**
 * Web Storage that never throws. Storage is unavailable in some private modes
 * and when a school's browser policy blocks it; Voci must keep working then,
 * remembering values only until the tab is closed.
 */
export interface SafeStorage {
	get(key: string): string | null;
	set(key: string, value: string): void;
	remove(key: string): void;
}

export function safeStorage(pick: () => Storage): SafeStorage {
	const memory = new Map<string, string>();
	return {
		get(key) {
			try {
				return pick().getItem(key);
			} catch {
				return memory.get(key) ?? null;
			}
		},
		set(key, value) {
			memory.set(key, value);
			try {
				pick().setItem(key, value);
			} catch {
				// Forbidden or full: the in-memory copy will do.
			}
		},
		remove(key) {
			memory.delete(key);
			try {
				pick().removeItem(key);
			} catch {
				// As above.
			}
		}
	};
}

export const local = safeStorage(() => window.localStorage);
export const session = safeStorage(() => window.sessionStorage);

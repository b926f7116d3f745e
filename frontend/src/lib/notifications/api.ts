import { writable } from 'svelte/store';
import { getJSON, sendJSON, type ApiResult } from '$lib/api/client';
import type { Me } from '$lib/auth/types';

// The adult's notifications (GET /api/v1/me/notifications): what the reminder job told
// council members and coordinators. The bell in the header, the start page's card and the
// notifications page read them; `unread` is their shared count.

export const NOTIFICATION_KINDS = ['input_ready', 'recommendation_awaits_answer', 'feedback_due_soon', 'feedback_overdue'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface Notification {
	readonly id: string;
	readonly kind: NotificationKind;
	readonly municipality: number;
	readonly consultationId: string;
	readonly recommendationId: string;
	/** The consultation's (or recommendation's) title, written by adults. */
	readonly title: string;
	readonly dueAt: string | null;
	readonly createdAt: string;
	readonly readAt: string | null;
	/** The path of the page to act on. */
	readonly link: string;
	readonly mail: 'none' | 'pending' | 'sent' | 'failed';
}

export interface NotificationPage {
	readonly items: readonly Notification[];
	readonly total: number;
	readonly unread: number;
	readonly offset: number;
	readonly limit: number;
}

/** Notices per page of the notifications page. */
export const PAGE_SIZE = 20;

/** How many notifications the signed-in adult has not read: the bell's count. */
export const unread = writable(0);

/** Council members and coordinators are the adults the reminder job tells. */
export function mayBeNotified(me: Me | null | undefined): boolean {
	return (me?.roles ?? []).some((g) => g.role === 'council_member' || g.role === 'coordinator');
}

export async function loadNotifications(offset = 0, limit = PAGE_SIZE, unreadOnly = false): Promise<ApiResult<NotificationPage>> {
	const query = new URLSearchParams({ offset: String(offset), limit: String(limit) });
	if (unreadOnly) query.set('unread', 'true');
	const result = await getJSON<NotificationPage>(`/api/v1/me/notifications?${query}`);
	if (result.ok) unread.set(result.data.unread);
	return result;
}

export async function markRead(id: string): Promise<ApiResult<undefined>> {
	const result = await sendJSON('POST', `/api/v1/me/notifications/${encodeURIComponent(id)}/read`);
	if (result.ok) unread.update((n) => Math.max(0, n - 1));
	return result;
}

export async function markAllRead(): Promise<ApiResult<{ marked: number }>> {
	const result = await sendJSON<{ marked: number }>('POST', '/api/v1/me/notifications/read-all');
	if (result.ok) unread.set(0);
	return result;
}

/** Only paths of this site are followed: a notification's link never leads elsewhere. */
export function safeLink(n: Notification): string {
	return n.link.startsWith('/') && !n.link.startsWith('//') ? n.link : '/notifications';
}

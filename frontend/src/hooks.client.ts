import type { HandleClientError } from '@sveltejs/kit';

// An unknown address is expected (a mistyped link) and shown as the 404 page;
// anything else is a bug, logged for whoever opens the console.
export const handleError: HandleClientError = ({ error, status, message }) => {
	if (status !== 404) console.error(error);
	return { message };
};

// Merit's JSON API. Errors are RFC 9457 problem+json; they surface as ApiError with the server's own words.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export async function api(path, options = {}) {
  const init = { credentials: 'same-origin', headers: { Accept: 'application/json' }, ...options };
  if (options.json !== undefined) {
    init.method = init.method || 'POST';
    init.headers = { ...init.headers, 'Content-Type': 'application/json' };
    init.body = JSON.stringify(options.json);
    delete init.json;
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { title: 'Merit is unreachable', detail: 'Could not reach Merit: check your connection and reload.' });
  }
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await res.json() : await res.text();
  if (res.status === 401 && !path.startsWith('/api/auth/session')) {
    // The session ended (it expired, or was signed out elsewhere): the header reads it again instead of still
    // saying "Signed in as ...". The page stays as it is (a reason typed into a form is not lost).
    refreshSession(false, true);
  }
  if (!res.ok) throw new ApiError(res.status, typeof body === 'object' ? body : { detail: body });
  return body;
}

/**
 * Shows the wallet session in the header again (after a page signed in or out, or a call came back 401). The page is
 * drawn again when the session changed, or always with {@code redraw}; never with {@code headerOnly}.
 */
export function refreshSession(redraw = false, headerOnly = false) {
  window.dispatchEvent(new CustomEvent('merit:session', { detail: { redraw, headerOnly } }));
}

export const get = (path) => api(path);
export const post = (path, json) => api(path, json === undefined ? { method: 'POST' } : { json });
export const put = (path, json) => api(path, { method: 'PUT', json });
export const del = (path) => api(path, { method: 'DELETE' });

let site;
/** The DAO's name and token symbol (from /api/overview), read once per page load; {} while Merit cannot say. */
export function dao() {
  if (!site) site = get('/api/overview').catch(() => ({}));
  return site;
}

/**
 * How far the vault has approved pay ({@code GET /api/chain}'s paidUntil), when that is past {@code startsAt}: periods
 * are paid once and in order, so no payout can pay a period starting there any more. Null otherwise.
 */
export function paidPast(chain, startsAt) {
  return chain?.paidUntil && Date.parse(chain.paidUntil) > Date.parse(startsAt) ? chain.paidUntil : null;
}

import { describe, expect, it, vi } from 'vitest';
import {
  Api,
  ApiError,
  flvUrl,
  loginUrl,
  normalizePage,
  normalizeRecording,
  parseIsoDuration,
  readCookie,
  readProblem,
  safeNext,
  withQuery,
} from './api';

type Call = { url: string; init: RequestInit };

function json(status: number, body: unknown, contentType = 'application/json'): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

function client(responses: (Response | Error)[], cookies = 'JSESSIONID=abc; XSRF-TOKEN=tok%2Ben-1') {
  const calls: Call[] = [];
  const onUnauthorized = vi.fn();
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    if (next instanceof Error) throw next;
    return next;
  });
  const api = new Api({ fetch: fetch as unknown as typeof globalThis.fetch, cookies: () => cookies, onUnauthorized });
  const header = (i: number, name: string) => (calls[i].init.headers as Record<string, string>)[name];
  return { api, calls, onUnauthorized, header };
}

describe('CSRF', () => {
  it('sends the XSRF-TOKEN cookie back as X-XSRF-TOKEN on unsafe methods only', async () => {
    const { api, calls, header } = client([
      json(200, []),
      json(201, { key: { id: 1 }, secret: 's', obs: { serverUrl: 'rtmp://h/live', streamKey: 's' }, publishUrl: 'rtmp://h/live/s' }),
      json(200, {}),
      new Response(null, { status: 204 }),
      json(200, {}),
    ]);
    await api.streams();
    await api.createKey({ label: 'Cam' });
    await api.updateKey(1, { label: 'Cam', enabled: true, notBefore: null, notAfter: null, autoRecord: false, maxPublishers: 1 });
    await api.deleteKey(1);
    await api.kickStream('live', 'cam');
    expect(header(0, 'X-XSRF-TOKEN')).toBeUndefined();
    expect(calls[1].init.method).toBe('POST');
    expect(header(1, 'X-XSRF-TOKEN')).toBe('tok+en-1');
    expect(header(2, 'X-XSRF-TOKEN')).toBe('tok+en-1');
    expect(header(3, 'X-XSRF-TOKEN')).toBe('tok+en-1');
    expect(header(4, 'X-XSRF-TOKEN')).toBe('tok+en-1');
  });

  it('marks requests as XHR, sends JSON bodies and the session cookie', async () => {
    const { api, calls, header } = client([json(201, { id: 3, name: 'bot', token: 'slc_x', scopes: ['keys'] })]);
    const t = await api.createToken('bot', ['keys']);
    expect(t.token).toBe('slc_x');
    expect(calls[0].url).toBe('/api/tokens');
    expect(header(0, 'X-Requested-With')).toBe('XMLHttpRequest');
    expect(header(0, 'Content-Type')).toBe('application/json');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ name: 'bot', scopes: ['keys'] });
    expect(calls[0].init.credentials).toBe('same-origin');
  });

  it('explains a 403 on a write when the page has no CSRF token', async () => {
    const { api } = client([json(403, { status: 403, detail: 'Not allowed: this needs a scope the caller does not have.' }, 'application/problem+json')], 'JSESSIONID=abc');
    await expect(api.deleteKey(1)).rejects.toMatchObject({ status: 403, detail: 'The page lost its security token: reload it and try again.' });
  });
});

describe('problem details', () => {
  it('shows the detail and maps field errors', async () => {
    const { api } = client([json(400, {
      type: 'about:blank', title: 'Bad Request', status: 400,
      detail: 'Invalid request: label must not be blank; publicName must be 1 to 200 letters.',
      errors: [{ field: 'label', reason: 'must not be blank' }, { field: 'publicName', reason: 'must be 1 to 200 letters' }, { field: 'label', reason: 'size must be between 0 and 100' }],
    }, 'application/problem+json')]);
    const e = await api.createKey({ label: '' }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(400);
    expect(e.detail).toBe('Invalid request: label must not be blank; publicName must be 1 to 200 letters.');
    expect(e.fieldErrors).toEqual({ label: 'must not be blank; size must be between 0 and 100', publicName: 'must be 1 to 200 letters' });
  });

  it('falls back to the title, then to the status, for bodies that are not problems', async () => {
    expect((await readProblem(json(404, { title: 'Not Found', status: 404 }))).detail).toBe('Not found.');
    expect((await readProblem(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }))).detail)
      .toBe('The server is not reachable right now.');
    expect((await readProblem(new Response('', { status: 500, statusText: 'Server Error' }))).detail).toBe('The server answered 500 Server Error.');
    // Spring Boot's own error JSON
    expect((await readProblem(json(500, { status: 500, error: 'Internal Server Error', message: 'boom' }))).detail).toBe('boom');
  });

  it('turns a network failure into an error with status 0', async () => {
    const { api } = client([new TypeError('Failed to fetch')]);
    await expect(api.streams()).rejects.toMatchObject({ status: 0, detail: 'Cannot reach the Sluice server: check that it is running.' });
  });

  it('answers undefined for 204 and rejects a body that is not JSON', async () => {
    const { api } = client([new Response(null, { status: 204 }), new Response('<html>', { status: 200 })]);
    await expect(api.revokeToken(4)).resolves.toBeUndefined();
    await expect(api.tokens()).rejects.toMatchObject({ detail: 'The server sent something that is not JSON.' });
  });
});

describe('401', () => {
  it('goes to the sign-in page once and rejects', async () => {
    const problem = { status: 401, detail: 'Authentication required: a session, an API token (Bearer) or HTTP Basic.' };
    const { api, onUnauthorized } = client([json(401, problem), json(401, problem)]);
    await expect(api.streams()).rejects.toMatchObject({ status: 401 });
    await expect(api.keys()).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('by default sends the browser to the sign-in page with the way back', async () => {
    const assign = vi.fn();
    const original = window.location;
    Object.defineProperty(window, 'location', { configurable: true, value: { pathname: '/', search: '', hash: '#/keys', assign } });
    try {
      const api = new Api({ fetch: (async () => json(401, {})) as unknown as typeof fetch, cookies: () => '' });
      await expect(api.streams()).rejects.toBeInstanceOf(ApiError);
      expect(assign).toHaveBeenCalledWith('/login.html?expired&next=%2F%23%2Fkeys');
    } finally {
      Object.defineProperty(window, 'location', { configurable: true, value: original });
    }
  });
});

describe('paths', () => {
  it('encodes names and keeps the slashes of multi-segment applications', async () => {
    const { api, calls } = client([json(200, { stream: {}, publisher: null, players: [] }), json(200, {}), json(200, {}), json(200, {})]);
    await api.stream('live/studio', 'a b');
    await api.kickStream('live', 'cam', { players: true, banSeconds: 600, disableKey: true });
    await api.startRecording('live', 'cam');
    await api.keys({ label: 'x', page: 2, size: 50, enabled: undefined });
    expect(calls[0].url).toBe('/api/streams/live/studio/a%20b');
    expect(calls[1].url).toBe('/api/streams/live/cam?players=true&banSeconds=600&disableKey=true');
    expect(calls[1].init.method).toBe('DELETE');
    expect(calls[2].url).toBe('/api/streams/live/cam/recording');
    expect(calls[2].init.method).toBe('POST');
    expect(calls[3].url).toBe('/api/keys?label=x&page=2&size=50');
  });

  it('leaves out empty query values', () => {
    expect(withQuery('/x', { a: 1, b: undefined, c: null, d: '' })).toBe('/x?a=1');
    expect(withQuery('/x', {})).toBe('/x');
  });

  it('builds the HTTP-FLV URL', () => {
    expect(flvUrl('live', 'cam')).toBe('/live/cam.flv');
    expect(flvUrl('live/eu', 'my cam')).toBe('/live/eu/my%20cam.flv');
  });
});

describe('cookies and sign-in URLs', () => {
  it('reads one cookie', () => {
    expect(readCookie('XSRF-TOKEN', 'a=1; XSRF-TOKEN=abc%3D; b=2')).toBe('abc=');
    expect(readCookie('XSRF-TOKEN', 'a=1')).toBeNull();
    expect(readCookie('b', 'ab=1; b=2')).toBe('2');
  });

  it('keeps the way back, but only to this site', () => {
    expect(loginUrl({ pathname: '/', search: '', hash: '' })).toBe('/login.html?expired');
    expect(loginUrl({ pathname: '/', search: '', hash: '#/streams' })).toBe('/login.html?expired&next=%2F%23%2Fstreams');
    expect(safeNext('/#/keys')).toBe('/#/keys');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('/login.html?error')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});

describe('sign in and out', () => {
  const redirected = (url: string, status = 200) => {
    const r = new Response('<html></html>', { status });
    Object.defineProperty(r, 'url', { value: url });
    return r;
  };

  it('posts the form with the CSRF token and succeeds on the redirect home', async () => {
    const { api, calls, header } = client([redirected('http://h/')]);
    await api.signIn('admin', 'pw&=');
    expect(calls[0].url).toBe('/login');
    expect(calls[0].init.method).toBe('POST');
    expect(header(0, 'X-XSRF-TOKEN')).toBe('tok+en-1');
    const body = calls[0].init.body as URLSearchParams;
    expect(body.get('username')).toBe('admin');
    expect(body.get('password')).toBe('pw&=');
    expect(body.get('_csrf')).toBe('tok+en-1');
  });

  it('fails on the redirect to ?error, on 401 and with the throttle’s problem on 429', async () => {
    const { api } = client([
      redirected('http://h/login.html?error'),
      redirected('http://h/login', 401),
      json(429, { status: 429, detail: 'Too many failed sign-ins from this address; try again in 4 s.' }),
    ]);
    await expect(api.signIn('admin', 'bad')).rejects.toMatchObject({ status: 401, detail: 'Wrong user name or password.' });
    await expect(api.signIn('admin', 'bad')).rejects.toMatchObject({ status: 401 });
    await expect(api.signIn('admin', 'bad')).rejects.toMatchObject({ status: 429, detail: 'Too many failed sign-ins from this address; try again in 4 s.' });
  });

  it('signs out with a POST carrying the token', async () => {
    const { api, calls, header } = client([redirected('http://h/login.html?logout')]);
    await api.signOut();
    expect(calls[0].url).toBe('/logout');
    expect(calls[0].init.method).toBe('POST');
    expect(header(0, 'X-XSRF-TOKEN')).toBe('tok+en-1');
  });
});

describe('recordings are read defensively', () => {
  it('reads a page of sessions by their likely names', () => {
    const page = normalizePage({
      items: [{ id: 7, app: 'live', stream: 'cam', startedAt: '2025-01-01T00:00:00Z', endedAt: '2025-01-01T00:01:00Z', durationSeconds: 60, sizeBytes: 1234, status: 'complete', segmentCount: 2 }],
      page: 0, size: 20, totalItems: 1, totalPages: 1,
    }, normalizeRecording);
    expect(page.totalItems).toBe(1);
    expect(page.items[0]).toMatchObject({ id: '7', app: 'live', stream: 'cam', durationSeconds: 60, sizeBytes: 1234, status: 'COMPLETE', segmentCount: 2 });
  });

  it('reads Spring Data pages, ISO durations, app/stream in one and segments', () => {
    const page = normalizePage({
      content: [{ sessionId: 'abc', streamName: 'live/cam', start: '2025-01-01T00:00:00Z', duration: 'PT1M30.5S', state: 'RECORDING',
        segments: [{ index: 0, fileName: 'cam-0.flv', bytes: 10, durationMs: 2000 }, { index: 1, fileName: 'cam-1.flv', bytes: 5, url: '/dl/1' }] }],
      page: { number: 3, size: 10, totalElements: 31, totalPages: 4 },
    }, normalizeRecording);
    expect(page).toMatchObject({ page: 3, size: 10, totalItems: 31, totalPages: 4 });
    const r = page.items[0];
    expect(r).toMatchObject({ id: 'abc', app: 'live', stream: 'cam', durationSeconds: 90.5, status: 'RECORDING', sizeBytes: 15, segmentCount: 2 });
    expect(r.segments[0]).toMatchObject({ id: '0', name: 'cam-0.flv', sizeBytes: 10, durationSeconds: 2, complete: true, downloadUrl: '/api/recordings/abc/segments/0/file' });
    expect(r.segments[1].downloadUrl).toBe('/dl/1');
  });

  it('reads Sluice’s recording detail: the recording and its files', () => {
    const r = normalizeRecording({
      recording: { id: 12, app: 'live', stream: 'cam', keyLabel: 'Cam', publisherSessionId: 3, trigger: 'KEY', mode: 'ALL', status: 'RECORDING',
        reason: null, startedAt: '2025-01-01T00:00:00Z', endedAt: null, sizeBytes: 2048, durationSeconds: 12.5, segments: 2 },
      segments: [
        { index: 0, path: 'recordings/live/cam/2025/cam-0.flv', complete: true, sizeBytes: 1024, durationSeconds: 10, downloadUrl: '/api/recordings/12/segments/0/file' },
        { index: 1, path: 'recordings/live/cam/2025/cam-1.flv', complete: false, sizeBytes: 1024, durationSeconds: 2.5, downloadUrl: '/api/recordings/12/segments/1/file' },
      ],
    });
    expect(r).toMatchObject({ id: '12', app: 'live', stream: 'cam', trigger: 'KEY', status: 'RECORDING', sizeBytes: 2048, durationSeconds: 12.5, segmentCount: 2 });
    expect(r.segments.map((x) => [x.id, x.name, x.complete])).toEqual([['0', 'cam-0.flv', true], ['1', 'cam-1.flv', false]]);
    expect(r.segments[1].downloadUrl).toBe('/api/recordings/12/segments/1/file');
  });

  it('reads Sluice’s page of recordings, where segments is a count', () => {
    const page = normalizePage({ items: [{ id: 5, app: 'live', stream: 'cam', status: 'COMPLETED', sizeBytes: 9, durationSeconds: 3, segments: 1, trigger: 'API' }],
      page: 0, size: 20, totalItems: 1, totalPages: 1 }, normalizeRecording);
    expect(page.items[0]).toMatchObject({ id: '5', segmentCount: 1, segments: [], trigger: 'API', status: 'COMPLETED' });
  });

  it('reads a bare list', () => {
    expect(normalizePage([{ id: 1 }], normalizeRecording)).toMatchObject({ totalItems: 1, totalPages: 1 });
  });

  it('parses ISO-8601 durations', () => {
    expect(parseIsoDuration('PT0S')).toBe(0);
    expect(parseIsoDuration('PT1H2M3S')).toBe(3723);
    expect(parseIsoDuration('P1DT1S')).toBe(86401);
    expect(parseIsoDuration('bogus')).toBeNull();
  });
});

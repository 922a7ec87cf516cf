/**
 * The one typed client of Sluice's REST API that every screen uses.
 *
 * - The dashboard authenticates with its session cookie; every unsafe request (POST, PUT, PATCH, DELETE)
 *   sends Spring Security's CSRF token back: the readable XSRF-TOKEN cookie as the X-XSRF-TOKEN header.
 * - Errors are RFC 9457 problem details; they surface as {@link ApiError} with the problem's detail and
 *   its field errors.
 * - A 401 means the session is gone: the browser goes to the sign-in page, which comes back here after.
 */

// ---- what the API returns -------------------------------------------------------------------------

export interface FieldProblem {
  field: string;
  reason: string;
}

/** RFC 9457 problem detail, as Spring writes it (plus Sluice's field errors). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: FieldProblem[];
}

export interface StreamView {
  app: string;
  name: string;
  live: boolean;
  keyLabel: string | null;
  publisherSessionId: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  width: number;
  height: number;
  fps: number;
  /** bits per second */
  bitrateIn: number;
  /** bits per second, to all players */
  bitrateOut: number;
  bytesIn: number;
  uptimeSeconds: number;
  publishedAt: string | null;
  players: number;
}

export interface SessionView {
  id: number;
  address: string;
  role: string;
  app: string | null;
  stream: string | null;
  startedAt: string | null;
  bytesIn: number;
  bytesOut: number;
  bitrateIn: number;
  bitrateOut: number;
  encoder: string | null;
  tcUrl: string | null;
}

export interface StreamDetail {
  stream: StreamView;
  publisher: SessionView | null;
  players: SessionView[];
}

export interface KickOptions {
  /** also disconnect the stream's players */
  players?: boolean;
  /** refuse publishing to this name for this many seconds */
  banSeconds?: number;
  /** disable the stream key it was published with */
  disableKey?: boolean;
}

export interface KickResult {
  stream: string;
  publisherSessionId: number | null;
  playersKicked: number;
  bannedSeconds: number | null;
  keyDisabled: boolean;
}

export type KeyState = 'ACTIVE' | 'DISABLED' | 'NOT_YET_VALID' | 'EXPIRED';

export interface KeyView {
  id: number;
  label: string;
  app: string;
  publicName: string;
  secretPrefix: string;
  enabled: boolean;
  state: KeyState;
  notBefore: string | null;
  notAfter: string | null;
  autoRecord: boolean;
  maxPublishers: number;
  livePublishers: number;
  previousSecretValidUntil: string | null;
  createdAt: string;
  updatedAt: string | null;
  lastUsedAt: string | null;
  lastUsedAddress: string | null;
  /** Not (yet) in the API: rtmp://host[:port]/app. Used when present. */
  serverUrl?: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  totalItems: number;
  totalPages: number;
}

export interface CreateKeyRequest {
  label: string;
  app?: string;
  publicName?: string;
  enabled?: boolean;
  notBefore?: string | null;
  notAfter?: string | null;
  autoRecord?: boolean;
  maxPublishers?: number;
}

export interface UpdateKeyRequest {
  label: string;
  publicName?: string | null;
  enabled: boolean;
  notBefore: string | null;
  notAfter: string | null;
  autoRecord: boolean;
  maxPublishers: number;
}

export interface ObsSettings {
  serverUrl: string;
  streamKey: string;
}

/** A key with its secret: only in the answer to create and rotate. */
export interface KeyWithSecret {
  key: KeyView;
  secret: string;
  obs: ObsSettings;
  publishUrl: string;
}

export interface KeyQuery {
  label?: string;
  app?: string;
  enabled?: boolean;
  page?: number;
  size?: number;
}

export type ScopeName = 'streams:read' | 'streams:kick' | 'keys' | 'recordings' | 'admin';

export interface TokenView {
  id: number;
  name: string;
  prefix: string;
  scopes: ScopeName[];
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

/** A new API token: the only time the token is shown. */
export interface CreatedToken {
  id: number;
  name: string;
  token: string;
  scopes: ScopeName[];
}

export interface HookView {
  hook: string;
  gate: boolean;
  url: string;
  format: 'JSON' | 'NGINX';
  timeoutMs: number;
  failurePolicy: 'DENY' | 'ALLOW' | null;
  signed: boolean;
  retries: number | null;
  backoffMs: number | null;
}

export interface Delivery {
  eventId: string;
  event: string;
  hook: string;
  url: string;
  status: number | null;
  latencyMs: number;
  error: string | null;
  attempt: number;
  time: string;
  outcome: string;
}

/** A recording: one recorded publish of a stream, in one or more FLV files (segments). */
export interface Recording {
  id: string;
  app: string;
  stream: string;
  keyLabel: string | null;
  /** KEY (auto-record), CONFIG or API */
  trigger: string | null;
  /** ALL, VIDEO, AUDIO or KEYFRAMES */
  mode: string | null;
  /** RECORDING, COMPLETED, INTERRUPTED or FAILED */
  status: string;
  /** why it FAILED or was INTERRUPTED */
  reason: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  sizeBytes: number | null;
  segmentCount: number | null;
  /** only in the answer for one recording */
  segments: RecordingSegment[];
}

export interface RecordingSegment {
  id: string;
  name: string;
  /** false while being written: it cannot be downloaded yet */
  complete: boolean;
  startedAt: string | null;
  durationSeconds: number | null;
  sizeBytes: number | null;
  /** where to GET the file (supports Range) */
  downloadUrl: string;
}

export interface RecordingQuery {
  page?: number;
  size?: number;
  app?: string;
  stream?: string;
  status?: string;
}

// ---- errors ---------------------------------------------------------------------------------------

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  /** What to tell the user. */
  get detail(): string {
    return this.message;
  }

  /** Field errors by field name (several reasons for one field are joined). */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      if (!e || typeof e.field !== 'string') continue;
      out[e.field] = out[e.field] ? `${out[e.field]}; ${e.reason}` : e.reason;
    }
    return out;
  }
}

/** Turns any failed response into a {@link Problem}, whether or not its body is a problem document. */
export async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = {
    status: response.status,
    title: response.statusText || `HTTP ${response.status}`,
    detail: defaultDetail(response.status, response.statusText),
  };
  let text = '';
  try {
    text = await response.text();
  } catch {
    return fallback;
  }
  if (!text) return fallback;
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const p = body as Record<string, unknown>;
      const problem: Problem = {
        type: str(p.type),
        title: str(p.title) ?? fallback.title,
        status: typeof p.status === 'number' ? p.status : response.status,
        // Spring's default error JSON has "message" and "error" instead
        detail: str(p.detail) ?? str(p.message) ?? str(p.error) ?? fallback.detail,
        instance: str(p.instance),
      };
      if (Array.isArray(p.errors)) {
        problem.errors = p.errors
          .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
          .map((e) => ({ field: String(e.field ?? ''), reason: String(e.reason ?? e.message ?? 'is invalid') }));
      }
      return problem;
    }
  } catch {
    // not JSON: an HTML error page from a proxy, for example
  }
  return fallback;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function defaultDetail(status: number, statusText: string): string {
  switch (status) {
    case 401:
      return 'You are signed out.';
    case 403:
      return 'Not allowed.';
    case 404:
      return 'Not found.';
    case 429:
      return 'Too many requests: wait a moment and try again.';
    case 502:
    case 503:
    case 504:
      return 'The server is not reachable right now.';
    default:
      return `The server answered ${status}${statusText ? ' ' + statusText : ''}.`;
  }
}

// ---- cookies and sign-in redirects ----------------------------------------------------------------

/** One cookie's value from a document.cookie string. */
export function readCookie(name: string, cookies: string = typeof document === 'undefined' ? '' : document.cookie): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return null;
}

export const CSRF_COOKIE = 'XSRF-TOKEN';
export const CSRF_HEADER = 'X-XSRF-TOKEN';
export const LOGIN_PAGE = '/login.html';

/** The sign-in page's address that comes back to {@code here} (path, query and hash) afterwards. */
export function loginUrl(here: { pathname: string; search: string; hash: string }, reason = 'expired'): string {
  const back = here.pathname + here.search + here.hash;
  const next = back && back !== '/' && !back.startsWith(LOGIN_PAGE) ? `&next=${encodeURIComponent(back)}` : '';
  return `${LOGIN_PAGE}?${reason}${next}`;
}

/** Only a local path may be a sign-in's destination (never another site: //evil.example or a scheme). */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith(LOGIN_PAGE)) {
    return '/';
  }
  return next;
}

// ---- the client -----------------------------------------------------------------------------------

export interface ApiOptions {
  fetch?: typeof fetch;
  /** document.cookie, for the CSRF token */
  cookies?: () => string;
  /** what to do on 401; by default the browser goes to the sign-in page */
  onUnauthorized?: () => void;
}

type Query = Record<string, string | number | boolean | null | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

const seg = (s: string) => encodeURIComponent(s);
/** An application may hold '/' (e.g. live/studio): each of its segments is encoded, the slashes stay. */
const appPath = (app: string) => app.split('/').map(seg).join('/');

export class Api {
  private readonly fetchImpl: typeof fetch;
  private readonly cookies: () => string;
  private readonly onUnauthorized: () => void;
  private redirecting = false;

  constructor(options: ApiOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.cookies = options.cookies ?? (() => document.cookie);
    this.onUnauthorized = options.onUnauthorized ?? (() => window.location.assign(loginUrl(window.location)));
  }

  /** The CSRF token the server last set, or null. */
  csrfToken(): string | null {
    return readCookie(CSRF_COOKIE, this.cookies());
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json, application/problem+json',
      // tells Spring Security this is no page navigation (no saved request, no sign-in redirect)
      'X-Requested-With': 'XMLHttpRequest',
    };
    const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    if (UNSAFE.has(method)) {
      const token = this.csrfToken();
      if (token) headers[CSRF_HEADER] = token;
    }
    let response: Response;
    try {
      response = await this.fetchImpl(withQuery(path, options.query), init);
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError(0, { title: 'Network error', detail: 'Cannot reach the Sluice server: check that it is running.' });
    }
    if (response.status === 401) {
      const problem = await readProblem(response);
      if (!this.redirecting) {
        this.redirecting = true;
        this.onUnauthorized();
      }
      throw new ApiError(401, problem);
    }
    if (!response.ok) {
      const problem = await readProblem(response);
      if (response.status === 403 && UNSAFE.has(method) && !this.csrfToken()) {
        problem.detail = 'The page lost its security token: reload it and try again.';
      }
      throw new ApiError(response.status, problem);
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(response.status, { title: 'Bad response', detail: 'The server sent something that is not JSON.' });
    }
  }

  private get<T>(path: string, query?: Query, signal?: AbortSignal) {
    return this.request<T>('GET', path, { query, signal });
  }

  // live streams and sessions

  streams(signal?: AbortSignal): Promise<StreamView[]> {
    return this.get('/api/streams', undefined, signal);
  }

  stream(app: string, name: string, signal?: AbortSignal): Promise<StreamDetail> {
    return this.get(`/api/streams/${appPath(app)}/${seg(name)}`, undefined, signal);
  }

  sessions(): Promise<SessionView[]> {
    return this.get('/api/sessions');
  }

  kickStream(app: string, name: string, options: KickOptions = {}): Promise<KickResult> {
    return this.request('DELETE', `/api/streams/${appPath(app)}/${seg(name)}`, {
      query: {
        players: options.players ? true : undefined,
        banSeconds: options.banSeconds && options.banSeconds > 0 ? Math.round(options.banSeconds) : undefined,
        disableKey: options.disableKey ? true : undefined,
      },
    });
  }

  kickSession(id: number): Promise<void> {
    return this.request('DELETE', `/api/sessions/${id}`);
  }

  /** Starts recording a live stream (404: not live; 409: already being recorded). */
  async startRecording(app: string, name: string): Promise<Recording> {
    return normalizeRecording(await this.request<unknown>('POST', `/api/streams/${appPath(app)}/${seg(name)}/recording`));
  }

  /** Stops recording a stream and returns the finished recording (404: not being recorded). */
  async stopRecording(app: string, name: string): Promise<Recording> {
    return normalizeRecording(await this.request<unknown>('DELETE', `/api/streams/${appPath(app)}/${seg(name)}/recording`));
  }

  // stream keys

  keys(query: KeyQuery = {}): Promise<Page<KeyView>> {
    return this.get('/api/keys', { ...query });
  }

  key(id: number): Promise<KeyView> {
    return this.get(`/api/keys/${id}`);
  }

  createKey(request: CreateKeyRequest): Promise<KeyWithSecret> {
    return this.request('POST', '/api/keys', { body: request });
  }

  updateKey(id: number, request: UpdateKeyRequest): Promise<KeyView> {
    return this.request('PUT', `/api/keys/${id}`, { body: request });
  }

  setKeyEnabled(id: number, enabled: boolean): Promise<KeyView> {
    return this.request('POST', `/api/keys/${id}/${enabled ? 'enable' : 'disable'}`);
  }

  rotateKey(id: number, graceSeconds = 0): Promise<KeyWithSecret> {
    return this.request('POST', `/api/keys/${id}/rotate`, { body: { graceSeconds } });
  }

  deleteKey(id: number): Promise<void> {
    return this.request('DELETE', `/api/keys/${id}`);
  }

  // API tokens

  tokens(): Promise<TokenView[]> {
    return this.get('/api/tokens');
  }

  createToken(name: string, scopes: ScopeName[]): Promise<CreatedToken> {
    return this.request('POST', '/api/tokens', { body: { name, scopes } });
  }

  revokeToken(id: number): Promise<void> {
    return this.request('DELETE', `/api/tokens/${id}`);
  }

  // callbacks

  webhooks(): Promise<HookView[]> {
    return this.get('/api/webhooks');
  }

  deliveries(limit = 100): Promise<Delivery[]> {
    return this.get('/api/webhooks/deliveries', { limit });
  }

  // recordings (read defensively: see normalizeRecording)

  async recordings(query: RecordingQuery = {}): Promise<Page<Recording>> {
    const raw = await this.get<unknown>('/api/recordings', { page: query.page ?? 0, size: query.size ?? 20, app: query.app, stream: query.stream, status: query.status });
    return normalizePage(raw, normalizeRecording);
  }

  async recording(id: string): Promise<Recording> {
    return normalizeRecording(await this.get<unknown>(`/api/recordings/${seg(id)}`));
  }

  deleteRecording(id: string): Promise<void> {
    return this.request('DELETE', `/api/recordings/${seg(id)}`);
  }

  // signing in and out (form login, not JSON)

  /**
   * Signs in with Spring Security's form login. Resolves when signed in; rejects with an ApiError
   * (401 for a wrong name or password, 429 when throttled).
   */
  async signIn(username: string, password: string): Promise<void> {
    const body = new URLSearchParams({ username, password });
    const token = this.csrfToken();
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Requested-With': 'XMLHttpRequest' };
    if (token) {
      headers[CSRF_HEADER] = token;
      body.set('_csrf', token);
    }
    let response: Response;
    try {
      response = await this.fetchImpl('/login', { method: 'POST', headers, body, credentials: 'same-origin', redirect: 'follow' });
    } catch {
      throw new ApiError(0, { title: 'Network error', detail: 'Cannot reach the Sluice server: check that it is running.' });
    }
    if (response.status === 429 || response.status >= 500) throw new ApiError(response.status, await readProblem(response));
    if (response.status === 403) {
      throw new ApiError(403, { status: 403, title: 'Forbidden', detail: 'The sign-in page expired: reload it and try again.' });
    }
    // Spring redirects to the failure URL (…?error) or answers 401; success redirects elsewhere
    const failed = response.status === 401 || /[?&]error(=|&|$)/.test(new URL(response.url || '/', 'http://x').search);
    if (failed) {
      throw new ApiError(401, { status: 401, title: 'Unauthorized', detail: 'Wrong user name or password.' });
    }
    if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  }

  /** Ends the session (POST /logout with the CSRF token). */
  async signOut(): Promise<void> {
    const token = this.csrfToken();
    const headers: Record<string, string> = { 'X-Requested-With': 'XMLHttpRequest' };
    if (token) headers[CSRF_HEADER] = token;
    try {
      await this.fetchImpl('/logout', { method: 'POST', headers, credentials: 'same-origin', redirect: 'follow' });
    } catch {
      // signed out or not, the sign-in page comes next
    }
  }
}

// ---- recordings: the API is new, so its answers are read by several names -------------------------

type Obj = Record<string, unknown>;

function pick(o: Obj, ...names: string[]): unknown {
  for (const n of names) if (o[n] !== undefined && o[n] !== null) return o[n];
  return undefined;
}

const asStr = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
const asNum = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);

/** A duration as seconds: a number of seconds, milliseconds (by name) or an ISO-8601 duration (PT1M2.5S). */
function seconds(o: Obj): number | null {
  const s = asNum(pick(o, 'durationSeconds', 'seconds'));
  if (s !== null) return s;
  const ms = asNum(pick(o, 'durationMs', 'durationMillis'));
  if (ms !== null) return ms / 1000;
  const d = pick(o, 'duration');
  if (typeof d === 'number') return d;
  if (typeof d === 'string') return parseIsoDuration(d);
  return null;
}

export function parseIsoDuration(text: string): number | null {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m) return null;
  const [, d, h, min, s] = m.map((x) => (x === undefined ? 0 : Number(x))) as number[];
  return d * 86400 + h * 3600 + min * 60 + s;
}

export function normalizePage<T>(raw: unknown, item: (x: unknown) => T): Page<T> {
  if (Array.isArray(raw)) return { items: raw.map(item), page: 0, size: raw.length, totalItems: raw.length, totalPages: 1 };
  const o = (raw ?? {}) as Obj;
  const list = pick(o, 'items', 'content', 'sessions', 'recordings');
  const items = Array.isArray(list) ? list.map(item) : [];
  const pageInfo = (typeof o.page === 'object' && o.page !== null ? o.page : {}) as Obj; // Spring Data's PagedModel
  const page = asNum(typeof o.page === 'number' ? o.page : pick(pageInfo, 'number')) ?? asNum(o.number) ?? 0;
  const size = asNum(typeof o.size === 'number' ? o.size : pick(pageInfo, 'size')) ?? items.length;
  const totalItems = asNum(pick(o, 'totalItems', 'totalElements')) ?? asNum(pick(pageInfo, 'totalElements')) ?? items.length;
  const totalPages = asNum(o.totalPages) ?? asNum(pick(pageInfo, 'totalPages')) ?? 1;
  return { items, page, size, totalItems, totalPages };
}

/**
 * A recording from the API: a summary ({id, app, stream, ..., segments: 3}) or one recording's detail
 * ({recording: {...}, segments: [...]}). Other likely names are read too.
 */
export function normalizeRecording(raw: unknown): Recording {
  let o = (raw ?? {}) as Obj;
  let segs: unknown = pick(o, 'segments', 'files');
  if (o.recording && typeof o.recording === 'object') {
    o = o.recording as Obj;
    if (!Array.isArray(segs)) segs = pick(o, 'segments', 'files');
  }
  const id = asStr(pick(o, 'id', 'sessionId')) ?? '';
  const segments = Array.isArray(segs) ? segs.map((s, i) => normalizeSegment(s, id, i)) : [];
  const size = asNum(pick(o, 'sizeBytes', 'bytes', 'size', 'totalBytes'));
  let stream = asStr(pick(o, 'stream', 'name', 'streamName')) ?? '';
  let app = asStr(o.app) ?? '';
  if (!app && stream.includes('/')) {
    app = stream.slice(0, stream.lastIndexOf('/'));
    stream = stream.slice(stream.lastIndexOf('/') + 1);
  }
  const countField = pick(o, 'segmentCount', 'segmentsCount');
  const listed = pick(o, 'segments');
  return {
    id,
    app,
    stream,
    keyLabel: asStr(pick(o, 'keyLabel', 'label')),
    trigger: asStr(pick(o, 'trigger', 'triggerSource')),
    mode: asStr(pick(o, 'mode', 'recordMode')),
    status: (asStr(pick(o, 'status', 'state')) ?? 'UNKNOWN').toUpperCase(),
    reason: asStr(o.reason),
    startedAt: asStr(pick(o, 'startedAt', 'start', 'startTime', 'createdAt')),
    endedAt: asStr(pick(o, 'endedAt', 'end', 'endTime', 'stoppedAt')),
    durationSeconds: seconds(o),
    sizeBytes: size ?? (segments.length ? segments.reduce((n, s) => n + (s.sizeBytes ?? 0), 0) : null),
    segmentCount: asNum(countField) ?? asNum(listed) ?? (segments.length ? segments.length : Array.isArray(listed) ? 0 : null),
    segments,
  };
}

function normalizeSegment(raw: unknown, recordingId: string, index: number): RecordingSegment {
  const o = (raw ?? {}) as Obj;
  const id = asStr(pick(o, 'index', 'id', 'seq', 'segment', 'number')) ?? String(index);
  const url = asStr(pick(o, 'downloadUrl', 'url', 'href', 'download'))
    ?? `/api/recordings/${seg(recordingId)}/segments/${seg(id)}/file`;
  const path = asStr(pick(o, 'name', 'fileName', 'filename', 'file', 'path'));
  return {
    id,
    name: path ? path.slice(path.lastIndexOf('/') + 1) : `segment ${index + 1}`,
    complete: o.complete === undefined ? true : o.complete === true,
    startedAt: asStr(pick(o, 'startedAt', 'start', 'startTime')),
    durationSeconds: seconds(o),
    sizeBytes: asNum(pick(o, 'sizeBytes', 'bytes', 'size')),
    downloadUrl: url,
  };
}

/** Where the browser plays a live stream over HTTP-FLV: GET /{app}/{name}.flv on the same origin (session cookie). */
export function flvUrl(app: string, name: string): string {
  return `/${appPath(app)}/${seg(name)}.flv`;
}

/** The dashboard's client. */
export const api = new Api();

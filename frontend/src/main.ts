/** The dashboard: a shell with navigation and one screen at a time, chosen by the URL's hash. */
import './style.css';
import { api, LOGIN_PAGE } from './api';
import { h, icon, ICONS, replace } from './dom';
import { monitor } from './live';
import { badge } from './ui';
import { renderOverview } from './views/overview';
import { renderStreams } from './views/streams';
import { renderKeys } from './views/keys';
import { renderRecordings } from './views/recordings';
import { renderCallbacks } from './views/callbacks';
import { renderTokens } from './views/tokens';

/** A screen draws into its element and returns what stops it (timers, players). */
export type Screen = (root: HTMLElement, params: string[]) => (() => void) | void;

interface Route {
  path: string;
  title: string;
  icon: string;
  screen: Screen;
}

const ROUTES: Route[] = [
  { path: 'overview', title: 'Overview', icon: ICONS.overview, screen: renderOverview },
  { path: 'streams', title: 'Streams', icon: ICONS.streams, screen: renderStreams },
  { path: 'keys', title: 'Stream keys', icon: ICONS.keys, screen: renderKeys },
  { path: 'recordings', title: 'Recordings', icon: ICONS.recordings, screen: renderRecordings },
  { path: 'callbacks', title: 'Callbacks', icon: ICONS.callbacks, screen: renderCallbacks },
  { path: 'tokens', title: 'API tokens', icon: ICONS.tokens, screen: renderTokens },
];

function parseHash(hash: string): { route: Route; params: string[] } {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  const route = ROUTES.find((r) => r.path === parts[0]) ?? ROUTES[0];
  return { route, params: route.path === parts[0] ? parts.slice(1) : [] };
}

function start() {
  const app = document.getElementById('app')!;
  const view = h('main', { class: 'view', id: 'view', tabindex: '-1' });
  const liveCount = badge('0', 'live');
  liveCount.hidden = true;
  const links = ROUTES.map((r) =>
    h('a', { href: `#/${r.path}`, class: 'nav-link', 'data-route': r.path },
      icon(r.icon), h('span', null, r.title), r.path === 'streams' ? liveCount : null));
  const signOut = h('button', { type: 'button', class: 'nav-link sign-out', 'data-action': 'sign-out' }, icon(ICONS.signOut), h('span', null, 'Sign out'));
  signOut.addEventListener('click', async () => {
    signOut.disabled = true;
    monitor.stop();
    await api.signOut();
    window.location.assign(`${LOGIN_PAGE}?logout`);
  });
  const sidebar = h('nav', { class: 'sidebar', 'aria-label': 'Main' },
    h('a', { class: 'brand', href: '#/overview' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), h('span', null, 'Sluice')),
    h('div', { class: 'nav-links' }, links),
    h('div', { class: 'nav-foot' }, signOut));
  replace(app, h('div', { class: 'shell' }, sidebar, view));

  // the number of live streams next to "Streams", wherever one is
  monitor.subscribe((s) => {
    const live = s.streams.filter((x) => x.live).length;
    liveCount.textContent = String(live);
    liveCount.hidden = live === 0;
  });

  let stop: (() => void) | void;
  let current = '';
  const show = () => {
    const { route, params } = parseHash(window.location.hash);
    const key = `${route.path}/${params.join('/')}`;
    if (key === current) return;
    const sameScreen = current.split('/')[0] === route.path;
    current = key;
    if (typeof stop === 'function') stop();
    for (const l of links) l.classList.toggle('active', l.dataset.route === route.path);
    for (const l of links) l.toggleAttribute('aria-current', l.dataset.route === route.path);
    document.title = `${route.title} · Sluice`;
    const root = h('div', { class: 'screen', 'data-screen': route.path });
    replace(view, root);
    stop = route.screen(root, params);
    if (!sameScreen) view.focus({ preventScroll: true });
  };
  window.addEventListener('hashchange', show);
  show();
}

start();

/** A tiny hyperscript: h('button', { class: 'btn', onclick: go }, 'Go'). No framework, no virtual DOM. */

export type Child = Node | string | number | null | undefined | false | Child[];

export type Attrs = {
  [name: string]: unknown;
  class?: string;
  style?: string;
  dataset?: Record<string, string>;
};

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'open', 'indeterminate', 'muted', 'autoplay', 'playsInline', 'controls']);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false && !PROPERTIES.has(name)) continue;
      if (name === 'class') el.className = String(value);
      else if (name === 'dataset') Object.assign(el.dataset, value as Record<string, string>);
      else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value as EventListener);
      else if (PROPERTIES.has(name)) (el as unknown as Record<string, unknown>)[name] = value;
      else el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** An SVG icon from a path list (24×24 view box, stroked). */
export function icon(paths: string, label?: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  if (label) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
  } else {
    svg.setAttribute('aria-hidden', 'true');
  }
  for (const d of paths.split('|')) {
    const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    p.setAttribute('d', d);
    svg.appendChild(p);
  }
  return svg;
}

export const ICONS = {
  overview: 'M3 12h4l3-8 4 16 3-8h4',
  streams: 'M2 7h15v10H2z|M17 10l5-3v10l-5-3',
  keys: 'M15 7a4 4 0 1 1-3.9 5H3v3h3v-3|M18 10h.01',
  recordings: 'M12 12m-8 0a8 8 0 1 0 16 0a8 8 0 1 0-16 0|M12 12m-3 0a3 3 0 1 0 6 0a3 3 0 1 0-6 0',
  callbacks: 'M4 12a8 8 0 0 1 14-5.3L20 9|M20 4v5h-5|M20 12a8 8 0 0 1-14 5.3L4 15|M4 20v-5h5',
  tokens: 'M5 11h14v10H5z|M8 11V7a4 4 0 0 1 8 0v4',
  signOut: 'M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4|M16 17l5-5-5-5|M21 12H9',
  copy: 'M9 9h11v11H9z|M5 15H4V4h11v1',
  check: 'M5 12l5 5L20 7',
  play: 'M7 4l13 8-13 8z',
  stop: 'M6 6h12v12H6z',
  record: 'M12 12m-6 0a6 6 0 1 0 12 0a6 6 0 1 0-12 0',
  trash: 'M4 7h16|M10 11v6|M14 11v6|M6 7l1 13h10l1-13|M9 7V4h6v3',
  kick: 'M18 6L6 18|M6 6l12 12',
  refresh: 'M21 12a9 9 0 1 1-3-6.7L21 8|M21 3v5h-5',
  download: 'M12 3v12|M7 10l5 5 5-5|M5 21h14',
  plus: 'M12 5v14|M5 12h14',
  menu: 'M4 6h16|M4 12h16|M4 18h16',
} as const;

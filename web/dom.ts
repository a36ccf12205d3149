/**
 * Tiny DOM helpers. Every piece of user text goes in through `textContent` (the `text`
 * argument or string children), never through innerHTML, so nothing a user types can
 * become markup.
 */
export type Child = Node | string | null | undefined | false;

export interface Attrs {
  [name: string]: string | number | boolean | null | undefined | EventListener;
}

/** Creates an element; `on*` attrs become listeners, booleans toggle attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") {
      node.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "className") {
      node.className = String(value);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** The element with this id; throws early when the page and the code disagree. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} missing from index.html`);
  return node as T;
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/**
 * Renders a search snippet whose matches sit between \u0002 and \u0003 as text with
 * <mark> elements, built node by node (the snippet is user text).
 */
export function highlighted(snippet: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let inside = false;
  let buffer = "";
  const flush = () => {
    if (!buffer) return;
    fragment.appendChild(inside ? el("mark", {}, buffer) : document.createTextNode(buffer));
    buffer = "";
  };
  for (const char of snippet) {
    if (char === "\u0002" || char === "\u0003") {
      flush();
      inside = char === "\u0002";
    } else {
      buffer += char;
    }
  }
  flush();
  return fragment;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString([], { dateStyle: "short", timeStyle: "short" });
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

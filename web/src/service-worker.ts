/**
 * The patrol app's service worker (registered by the patrol page only, scope /patrol): keeps the
 * app shell so /patrol opens with no network, e.g. after a reboot in a dead spot. It caches code,
 * styles, fonts and static files, never /api or socket.io: what the page sends waits in its own
 * outbox (localStorage) and goes once the connection is back, exactly as without a worker.
 */
/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const CACHE = `lianfang-patrol-${version}`;
/** The single-page app's one HTML page: the server answers every page path with it. */
const SHELL = '/index.html';
/** How long a navigation waits for the network before the cached shell answers (a weak signal hangs rather than fails). */
const NAVIGATION_TIMEOUT_MS = 4000;

/**
 * Installed at once: the code and styles of every page (about 2 MB; the page's own chunks can't be
 * told apart by name) and the static files. Not the ~200 font subsets (the page reports the few it
 * used, below) nor the map's WebGL worker, which the patrol page never loads.
 */
const PRECACHE = [SHELL, ...build.filter((path) => !/\.woff2?$/.test(path) && !path.includes('maplibre-gl-worker')), ...files];
const CACHED = new Set(PRECACHE);

/** A message from the page (installable.ts): the same-origin assets it has loaded, so the worker keeps those fonts too. */
interface CacheUrlsMessage {
  type: 'cache-urls';
  urls: string[];
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // cache: 'reload' so a half-updated HTTP cache can't mix versions.
      await cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'reload' })));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE && key.startsWith('lianfang-patrol-')) await caches.delete(key);
      // The page that registered the worker is served by it from now on, without a reload.
      await sw.clients.claim();
    })(),
  );
});

/** Only hashed build files and static files: never /api, socket.io, or anything that changes under one name. */
function cacheable(url: URL): boolean {
  return url.origin === sw.location.origin && (url.pathname.startsWith('/_app/immutable/') || CACHED.has(url.pathname));
}

sw.addEventListener('message', (event) => {
  const data = event.data as CacheUrlsMessage | undefined;
  if (data?.type !== 'cache-urls' || !Array.isArray(data.urls)) return;
  const urls = data.urls.map((u) => new URL(u, sw.location.origin)).filter(cacheable);
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const url of urls) {
        if (await cache.match(url.pathname)) continue;
        await cache.add(url.pathname).catch(() => {});
      }
    })(),
  );
});

async function fromNetworkOrShell(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const network = fetch(request);
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), NAVIGATION_TIMEOUT_MS));
    const response = await Promise.race([network, timeout]);
    if (response.ok) return response;
    return (await cache.match(SHELL)) ?? response;
  } catch {
    const shell = await cache.match(SHELL);
    if (shell) return shell;
    throw new Error('offline and the patrol page is not cached');
  }
}

async function cacheFirst(request: Request, url: URL): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(url.pathname);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(url.pathname, response.clone()).catch(() => {});
  return response;
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  // The patrol page (the device link's fragment never reaches the worker or the server).
  if (request.mode === 'navigate' && url.pathname.startsWith('/patrol')) {
    event.respondWith(fromNetworkOrShell(request));
    return;
  }
  if (cacheable(url)) event.respondWith(cacheFirst(request, url));
});

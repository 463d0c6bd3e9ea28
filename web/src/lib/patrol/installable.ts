/**
 * The patrol page as an installable app: registers the service worker (src/service-worker.ts,
 * scope /patrol) that keeps the app shell for opening with no network, and tells it which
 * fonts and chunks this page has loaded so those are kept too. Service workers need a secure
 * context (HTTPS, or localhost): over plain HTTP on a LAN address this does nothing and the page
 * works as before, online only.
 */
import { dev } from '$app/environment';

/** Same-origin build files this page has fetched (fonts are picked by the text shown, so only the page knows). */
function loadedAssets(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((url) => url.startsWith(`${location.origin}/_app/immutable/`));
}

export async function registerPatrolWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('/service-worker.js', { scope: '/patrol', type: dev ? 'module' : 'classic' });
    const registration = await navigator.serviceWorker.ready;
    await document.fonts.ready;
    registration.active?.postMessage({ type: 'cache-urls', urls: loadedAssets() });
  } catch {
    // No worker (private mode, storage full): the page still works online.
  }
}

/**
 * The API's own documentation: an OpenAPI document generated from the routes' schemas and a
 * browsable page, for signed-in users, served entirely by our server under our CSP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { description?: string; responses?: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }> }>>;
}

describe('GET /api/docs', () => {
  let t: TestApp;
  let leader: SignedIn;
  beforeAll(async () => {
    t = await startTestApp();
    leader = await signIn(t, 'leader');
  });
  afterAll(async () => t?.stop());

  it('gives a signed-in user the OpenAPI document with every API route, its schemas and who may call it', async () => {
    const res = await as(leader)(`${t.url}/api/docs/json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as OpenApiDocument;
    expect(doc.openapi).toMatch(/^3\./);
    const list = doc.paths['/api/incidents']?.get;
    expect(list?.description).toContain('Who may call: admin, dispatcher, coordinator, leader');
    expect(Object.keys(list?.responses?.['200']?.content?.['application/json']?.schema?.properties ?? {})).toEqual(['incidents', 'at']);
    expect(doc.paths['/api/incidents/{id}/dispatch']?.post).toBeDefined();
    expect(doc.paths['/api/alerts/{id}']?.get?.responses?.['200']?.content?.['application/json']?.schema?.properties).toHaveProperty('step');
    expect(doc.paths['/api/public/help']?.post?.description).toContain('anyone');
    // The page's own routes and the web app's files are not part of the API.
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/') && p !== '/osmand')).toEqual([]);
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/docs'))).toEqual([]);
  });

  it('shows the browsable page with Swagger UI served by this server, under its own CSP', async () => {
    const page = await as(leader)(`${t.url}/api/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    // Every script and stylesheet is a file of ours: no inline script, nothing from another origin.
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(3);
    expect(assets.filter((a) => /^(https?:)?\/\//.test(a))).toEqual([]);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    for (const asset of assets) {
      const res = await as(leader)(new URL(asset, `${t.url}/api/docs/`).href);
      expect(res.status, asset).toBe(200);
      await res.arrayBuffer();
    }
    const init = await (await as(leader)(`${t.url}/api/docs/static/swagger-initializer.js`)).text();
    expect(init).toContain("resolveUrl('./json')");
    expect(init).toContain('validatorUrl: null');
  });

  it('refuses the page and the document to anyone not signed in (401)', async () => {
    for (const path of ['/api/docs/', '/api/docs/json', '/api/docs/static/swagger-ui-bundle.js']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status, path).toBe(401);
      await res.arrayBuffer();
    }
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';

export const DOCS_PATH = '/docs';
export const DOCS_ASSETS_PATH = '/docs/assets';
export const OPENAPI_PATH = '/openapi.json';

// The page works offline: every asset comes from the installed swagger-ui-dist, and the browser is
// told by CSP to load nothing from anywhere else. validatorUrl null stops Swagger UI calling its online validator.
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '${OPENAPI_PATH}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Capture Gateway API</title>
  <link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${DOCS_ASSETS_PATH}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_ASSETS_PATH}/docs-init.js"></script>
</body>
</html>
`;

export interface DocsAsset {
  contentType: string;
  body: Buffer;
}

const DIST_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const cache = new Map<string, DocsAsset>();

/** One of the few files the page needs, by name; undefined for anything else (no path walking). */
export function docsAsset(name: string): DocsAsset | undefined {
  if (name === 'docs-init.js') return { contentType: 'text/javascript; charset=utf-8', body: Buffer.from(INIT_SCRIPT) };
  const contentType = Object.hasOwn(DIST_FILES, name) ? DIST_FILES[name] : undefined;
  if (!contentType) return undefined;
  let asset = cache.get(name);
  if (!asset) {
    asset = { contentType, body: readFileSync(path.join(getAbsoluteFSPath(), name)) };
    cache.set(name, asset);
  }
  return asset;
}

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const OPS_PATH = '/ops';
export const OPS_ASSETS_PATH = '/ops/assets';

/** A file the page may load: its content type and where it is read from. */
interface AssetSource {
  contentType: string;
  path: () => string;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
// The installed packages' own ESM and CSS files, found through their package entry points: no
// CDN, no build step, and exactly the pinned versions in package-lock.json.
const inPackage = (specifier: string, file: string) => () => join(dirname(require.resolve(specifier)), file);
const ownFile = (file: string) => () => join(__dirname, 'page', file);

// The allowlist: a name not here is 404, so no path ever reaches the file system from a URL.
const ASSETS: Record<string, AssetSource> = {
  'ops.js': { contentType: JS, path: ownFile('ops.js') },
  'ops.css': { contentType: CSS, path: ownFile('ops.css') },
  'preact.mjs': { contentType: JS, path: inPackage('preact', 'preact.mjs') },
  'hooks.mjs': { contentType: JS, path: inPackage('preact/hooks', 'hooks.mjs') },
  'htm.mjs': { contentType: JS, path: inPackage('htm', 'htm.mjs') },
  'uPlot.esm.js': { contentType: JS, path: inPackage('uplot', 'uPlot.esm.js') },
  'uPlot.min.css': { contentType: CSS, path: inPackage('uplot', 'uPlot.min.css') },
};

// Preact's hooks import "preact" by its bare name: the import map names each module's file.
const IMPORT_MAP = JSON.stringify({
  imports: {
    preact: `${OPS_ASSETS_PATH}/preact.mjs`,
    'preact/hooks': `${OPS_ASSETS_PATH}/hooks.mjs`,
    htm: `${OPS_ASSETS_PATH}/htm.mjs`,
    uplot: `${OPS_ASSETS_PATH}/uPlot.esm.js`,
  },
});
const IMPORT_MAP_HASH = createHash('sha256').update(IMPORT_MAP).digest('base64');

// Only this origin, and no inline script but the import map (allowed by its hash). uPlot and Preact
// set styles through the CSSOM, which style-src does not restrict.
export const OPS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src 'self' 'sha256-${IMPORT_MAP_HASH}'`,
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The shell: no data in it. Everything shown comes from API calls made with the operator's key. */
export const OPS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>Capture Gateway operations</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${OPS_ASSETS_PATH}/uPlot.min.css">
  <link rel="stylesheet" href="${OPS_ASSETS_PATH}/ops.css">
  <script type="importmap">${IMPORT_MAP}</script>
  <script type="module" src="${OPS_ASSETS_PATH}/ops.js"></script>
</head>
<body>
  <div id="app"><noscript>The operations page needs JavaScript.</noscript></div>
</body>
</html>
`;

export interface OpsAsset {
  contentType: string;
  body: Buffer;
}

const cache = new Map<string, OpsAsset>();

/** One of the page's files by name; undefined for any other name. */
export function opsAsset(name: string): OpsAsset | undefined {
  const source = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!source) return undefined;
  let asset = cache.get(name);
  if (!asset) {
    asset = { contentType: source.contentType, body: readFileSync(source.path()) };
    cache.set(name, asset);
  }
  return asset;
}

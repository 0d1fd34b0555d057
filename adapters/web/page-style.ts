import { createHash } from 'node:crypto';

/** The pages' one stylesheet: readable on a phone (wide tables scroll in their box), dark text on white. */
export const PAGE_CSS = [
  'body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}',
  'main{max-width:60rem;margin:0 auto;padding:1rem}',
  'h1{font-size:1.4rem;word-break:break-all}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1rem}',
  'dl{display:grid;grid-template-columns:fit-content(50%) 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}',
  'pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f4f4;border:1px solid #ddd;padding:.5rem;font-size:.9rem}',
  '.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.9rem}caption{text-align:left;font-weight:600;padding:.25rem 0}',
  'th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}thead th{background:#eee}',
  'figure{margin:1rem 0}figure svg{max-width:100%;height:auto}',
].join('');

/** The stylesheet's hash, so the Content-Security-Policy allows this inline style and no other. */
export const PAGE_CSS_HASH = `'sha256-${createHash('sha256').update(PAGE_CSS).digest('base64')}'`;

/** Headers every page response carries, refusals included: no scripts, no third parties, not indexed, no referrer. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src ${PAGE_CSS_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'x-robots-tag': 'noindex, nofollow',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

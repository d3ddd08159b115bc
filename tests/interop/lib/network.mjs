// The one door to the network for `verify-live`.
//
// Both peers' libraries fetch through the global `fetch` (their HTTP clients
// are built on `ky`), so it is replaced here, before any library makes a
// request, by a guard that:
//  - applies the `--rewrite` prefixes (https://127.0.0.1:PORT to the plain
//    http the test issuer listens on: did:web always means https);
//  - lets through requests to loopback hosts only, fetched live;
//  - answers requests for a known JSON-LD context or 1EdTech JSON schema from
//    the bundled copies (a verifier whose loader cannot be given contexts,
//    DCC's, asks the network for those it lacks);
//  - refuses everything else.
// Every request is logged, so the output says what each peer asked for.
import {contexts, schemas} from './contexts.mjs';

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * Parses `--rewrite FROM=TO` values into prefix pairs.
 *
 * @param {string[]} values - The raw `FROM=TO` arguments.
 * @returns {{from: string, to: string}[]} The rewrites.
 */
export function parseRewrites(values) {
  return values.map(value => {
    const at = value.indexOf('=');
    if(at <= 0 || at === value.length - 1) {
      throw new Error(`--rewrite wants FROM=TO, got "${value}"`);
    }
    return {from: value.slice(0, at), to: value.slice(at + 1)};
  });
}

function rewrite(url, rewrites) {
  const rule = rewrites.find(({from}) => url.startsWith(from));
  return rule ? rule.to + url.slice(rule.from.length) : url;
}

function isLoopback(url) {
  try {
    const {protocol, hostname} = new URL(url);
    return (protocol === 'http:' || protocol === 'https:') &&
      LOOPBACK_HOSTS.test(hostname);
  } catch {
    return false;
  }
}

function requestUrl(input) {
  if(typeof input === 'string') {
    return input;
  }
  return input instanceof URL ? input.href : input.url;
}

/** What the guard can answer without a network: a context or a schema. */
function bundledDocument(url) {
  if(contexts.has(url)) {
    return {kind: 'context', document: contexts.get(url)};
  }
  if(schemas.has(url)) {
    return {kind: 'schema', document: schemas.get(url)};
  }
  return null;
}

/**
 * Replaces the global `fetch` with the guard.
 *
 * @param {{from: string, to: string}[]} rewrites - URL prefix rewrites.
 * @returns {() => object} A function that starts a new log (one per badge
 *   verified) and returns it. A log is live: `fetched` (live requests with
 *   their status), `servedFromBundle` (contexts and schemas asked of the
 *   network and answered locally) and `refused` (URLs the guard would not
 *   fetch).
 */
export function installNetworkGuard(rewrites) {
  const platformFetch = globalThis.fetch;
  let log;
  const newLog = () => {
    log = {fetched: [], servedFromBundle: [], refused: []};
    return log;
  };
  newLog();

  globalThis.fetch = async function guardedFetch(input, init) {
    const url = requestUrl(input);
    const target = rewrite(url, rewrites);
    if(isLoopback(target)) {
      const entry = {url, ...(target !== url && {as: target})};
      log.fetched.push(entry);
      const request = typeof input === 'object' && !(input instanceof URL) ?
        new Request(target, input) : target;
      const started = performance.now();
      try {
        const response = await platformFetch(request, init);
        entry.status = response.status;
        entry.contentType = response.headers.get('content-type');
        return response;
      } catch(error) {
        entry.error = String(error.cause?.message ?? error.message);
        throw error;
      } finally {
        entry.ms = Math.round(performance.now() - started);
      }
    }
    const bundled = bundledDocument(url);
    if(bundled) {
      log.servedFromBundle.push({url, kind: bundled.kind});
      return new Response(JSON.stringify(bundled.document), {
        status: 200, headers: {'content-type': 'application/ld+json'},
      });
    }
    if(!log.refused.includes(url)) {
      log.refused.push(url);
    }
    throw new Error(`peer refuses to fetch ${url}: not on loopback, ` +
      'not a bundled context or schema');
  };
  return newLog;
}

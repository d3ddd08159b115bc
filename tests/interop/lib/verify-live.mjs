// `verify-live <dcc|db> [--rewrite FROM=TO ...] <badge>...`: verifies
// badges with a real third-party verifier, resolving each issuer's DID
// document and status list live over HTTP. Options may come before or after
// the files. The files are verified one after another in one process, so
// the libraries are loaded once; each verification starts afresh (its own
// resolver, loader and network log), so nothing we keep outlives a file.
// (DCC's document loader keeps a module-wide did:web cache of at most 5 s:
// between files of one run, which are checked at the same moment, that is
// harmless; a new run starts empty.)
//
// Prints one JSON line per file, in order:
//   {"file": path, "peer": "dcc"|"db", "verified": bool,
//    "revoked": bool|null, "error": string|null, "details": {...}}
// and returns the exit code: 0 all verified (so not revoked), 2 any could
// not run (bad arguments, unreadable badge, a format the peer does not
// support), else 1.
import {readBadge} from './extract.mjs';
import {installNetworkGuard, parseRewrites} from './network.mjs';
import {errorMessages} from './errors.mjs';

const PEERS = {
  db: async () => (await import('./live-db.mjs')).verifyWithDb,
  dcc: async () => (await import('./live-dcc.mjs')).verifyWithDcc,
};

const USAGE = 'verify-live <dcc|db> [--rewrite FROM=TO ...] ' +
  '<badge.json|.jwt|.png|.svg>...';

function parseArguments(args) {
  const [peer, ...rest] = args;
  const files = [];
  const rewrites = [];
  for(let i = 0; i < rest.length; i++) {
    if(rest[i] === '--rewrite') {
      if(rest[i + 1] === undefined) {
        throw new Error(`--rewrite wants FROM=TO; usage: ${USAGE}`);
      }
      rewrites.push(rest[++i]);
    } else if(rest[i].startsWith('--')) {
      throw new Error(`unexpected argument "${rest[i]}"; usage: ${USAGE}`);
    } else {
      files.push(rest[i]);
    }
  }
  if(!PEERS[peer] || files.length === 0) {
    throw new Error(`usage: ${USAGE}`);
  }
  return {peer, files, rewrites: parseRewrites(rewrites)};
}

function print(line) {
  console.log(JSON.stringify(line));
}

/** The line of a badge that could not be verified at all. */
function couldNotRun({file, peer, error, started}) {
  print({
    file, peer: peer ?? null, verified: false, revoked: null,
    error: `could not run: ${errorMessages(error).join('; ')}`,
    details: {elapsedMs: Math.round(performance.now() - started)},
  });
  return 2;
}

/**
 * Runs the command.
 *
 * @param {string[]} args - The arguments after `verify-live`.
 * @returns {Promise<number>} The exit code.
 */
export async function verifyLive(args) {
  let options;
  try {
    options = parseArguments(args);
  } catch(error) {
    return couldNotRun({
      file: null, peer: args[0], error, started: performance.now(),
    });
  }
  const {peer, files} = options;
  // Before any library makes a request, so none can fetch around it.
  const newNetworkLog = installNetworkGuard(options.rewrites);
  let code = 0;
  for(const file of files) {
    code = Math.max(code, await verifyFile({file, peer, newNetworkLog}));
  }
  return code;
}

/** Verifies one badge, prints its line and returns its exit code. */
async function verifyFile({file, peer, newNetworkLog}) {
  const started = performance.now();
  try {
    const network = newNetworkLog();
    const badge = readBadge(file);
    const verify = await PEERS[peer]();
    const {unsupported, details, ...result} = await verify(badge);
    print({
      file, peer, ...result,
      details: {
        container: badge.container, format: badge.format,
        ...(badge.notes.length && {notes: badge.notes}),
        ...(unsupported && {unsupported}),
        ...details, network,
        elapsedMs: Math.round(performance.now() - started),
      },
    });
    if(unsupported) {
      return 2;
    }
    return result.verified && result.revoked !== true ? 0 : 1;
  } catch(error) {
    return couldNotRun({file, peer, error, started});
  }
}

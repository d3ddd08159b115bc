// Live verification with the Digital Credentials Consortium's
// @digitalcredentials/verifier-core, the engine of VerifierPlus and the
// Learner Credential Wallet, used unchanged.
//
// verifier-core takes no document loader: it builds its own
// (@digitalcredentials/security-document-loader, with fetchRemoteContexts),
// resolves did:web with @digitalcredentials/did-method-web and loads status
// lists over HTTP, all through the global fetch. lib/network.mjs guards that
// fetch (did:web rewrite, loopback only, contexts it lacks answered from the
// bundle). Its "known issuer registries" step gets an empty registry list:
// nothing to fetch, and its answer (registered_issuer: false) is reported
// but does not count in the verdict, as VerifierPlus shows it as a warning.
import {errorMessages} from './errors.mjs';

const KNOWN_DID_REGISTRIES = [];

/**
 * Verifies a badge read by `readBadge`.
 *
 * @param {object} badge - `{format, credential}` or `{format, jwt}`.
 * @returns {Promise<{verified: boolean, revoked: boolean|null,
 *   error: string|null, details: object, unsupported?: string}>} The verdict.
 */
export async function verifyWithDcc(badge) {
  if(badge.format === 'jwt') {
    return {
      verified: false, revoked: null, unsupported: 'VC-JWT',
      error: 'verifier-core does not verify VC-JWT (it verifies JSON-LD ' +
        'credentials with Data Integrity / Ed25519Signature2020 proofs only)',
      details: {},
    };
  }
  const {verifyCredential} = await import('@digitalcredentials/verifier-core');
  const result = await withConsoleOnStderr(() => verifyCredential({
    credential: badge.credential, knownDIDRegistries: KNOWN_DID_REGISTRIES,
  }));
  return judge(result);
}

/** DCC's libraries log to stdout; our stdout carries one JSON line only. */
async function withConsoleOnStderr(run) {
  const {log, info} = console;
  console.log = console.info = (...args) => console.error(...args);
  try {
    return await run();
  } finally {
    Object.assign(console, {log, info});
  }
}

/**
 * Reads verifier-core's result: either fatal `errors` (bad signature,
 * unresolvable DID, JSON-LD error...) or a `log` of steps, each `valid` or
 * carrying an `error` when it could not be decided.
 */
function judge(result) {
  const details = {
    log: result.log ?? null,
    additionalInformation: result.additionalInformation ?? null,
    errors: result.errors?.map(cleanError) ?? null,
    knownDIDRegistries: KNOWN_DID_REGISTRIES,
  };
  if(result.errors?.length) {
    return {
      verified: false, revoked: null,
      error: result.errors.map(e => `${e.name}: ${plain(e.message)}`)
        .join('; '),
      details,
    };
  }
  const step = id => result.log?.find(entry => entry.id === id);
  const signature = step('valid_signature');
  const expiration = step('expiration');
  const revocation = step('revocation_status');
  const revoked = revocation?.valid === false ? true :
    revocation?.valid === true ? false : null;
  const problems = [];
  if(signature?.valid !== true) {
    problems.push('valid_signature is not true');
  }
  if(expiration?.valid === false) {
    problems.push('expired');
  }
  if(revocation?.error) {
    problems.push(`revocation_status: ${revocation.error.name}: ` +
      plain(revocation.error.message));
  }
  if(revoked) {
    problems.push('revoked');
  }
  // Other status purposes get a step of their own, e.g. suspension_status.
  for(const entry of result.log ?? []) {
    if(entry.id.endsWith('_status') && entry.id !== 'revocation_status' &&
      entry.valid !== true) {
      problems.push(`${entry.id} is not valid`);
    }
  }
  if(!revocation && hasStatus(result.credential)) {
    problems.push('the credential has a credentialStatus but ' +
      'verifier-core reported no revocation_status step');
  }
  return {
    verified: problems.length === 0, revoked,
    error: problems.length ? problems.join('; ') : null,
    details,
  };
}

function hasStatus(credential) {
  return Boolean(credential?.credentialStatus);
}

function plain(message) {
  return typeof message === 'string' ? message : JSON.stringify(message);
}

/** An error of the result without its stack trace. */
function cleanError({name, message, stackTrace}) {
  return {
    name, message: plain(message),
    ...(stackTrace && {causes: errorMessages(stackTrace)}),
  };
}

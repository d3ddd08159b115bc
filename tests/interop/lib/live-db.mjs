// Live verification with Digital Bazaar's stack.
//
// - Data Integrity: @digitalbazaar/vc with DataIntegrityProof and the
//   eddsa-rdfc-2022 cryptosuite.
// - VC-JWT (which @digitalbazaar/vc does not do): `jose`, the key found by
//   resolving the JWS `kid` with the same did:web resolver.
// - Status, for both: @digitalbazaar/vc-bitstring-status-list, which also
//   verifies the status list credential's own proof with the same suite and
//   loader, and that its issuer is the credential's.
//
// DIDs are resolved by @digitalbazaar/did-io + did-method-web, over the
// guarded global fetch (lib/network.mjs); contexts come from the bundle only.
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {CachedResolver} from '@digitalbazaar/did-io';
import * as didWeb from '@digitalbazaar/did-method-web';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as jose from 'jose';

import {contexts} from './contexts.mjs';
import {loadDidKey} from './did-key.mjs';
import {errorMessages} from './errors.mjs';

const JWT_ALGORITHMS = ['EdDSA', 'RS256'];
// What @digitalbazaar/vc allows for validFrom / validUntil, in seconds.
const CLOCK_SKEW = 300;

/**
 * Verifies a badge read by `readBadge`.
 *
 * @param {object} badge - `{format, credential}` or `{format, jwt}`.
 * @returns {Promise<{verified: boolean, revoked: boolean|null,
 *   error: string|null, details: object}>} The verdict.
 */
export async function verifyWithDb(badge) {
  // Sets, so the output lists each load once.
  const loads = {contexts: new Set(), dids: new Set(), documents: new Set(),
    refused: new Set()};
  const resolver = new CachedResolver();
  resolver.use(didWeb.driver());
  const result = badge.format === 'jwt' ?
    await verifyJwt(badge.jwt, {resolver, loads}) :
    await verifyDataIntegrity(badge.credential, {resolver, loads});
  result.details.loads = Object.fromEntries(
    Object.entries(loads).map(([kind, urls]) => [kind, [...urls]]));
  return result;
}

/**
 * The document loader: bundled contexts, DIDs resolved live, and the status
 * list credentials the credential names, fetched live. Anything else is
 * refused, and every load is recorded in `loads`.
 */
function createDocumentLoader({credential, resolver, loads}) {
  const statusLists = new Set(statusEntries(credential)
    .map(entry => entry.statusListCredential));
  return async url => {
    if(contexts.has(url)) {
      loads.contexts.add(url);
      return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
    }
    if(url.startsWith('did:web:')) {
      loads.dids.add(url);
      const document = await resolver.get({url});
      return {contextUrl: null, documentUrl: url, document};
    }
    if(url.startsWith('did:key:')) {
      loads.dids.add(url);
      return loadDidKey(url);
    }
    if(statusLists.has(url)) {
      loads.documents.add(url);
      return {contextUrl: null, documentUrl: url, document: await getJson(url)};
    }
    loads.refused.add(url);
    throw new Error(`peer refuses to load ${url}: not a bundled context, ` +
      'a DID or the status list of the credential');
  };
}

async function getJson(url) {
  const response = await fetch(url, {headers: {
    accept: 'application/vc+ld+json, application/ld+json, application/json',
  }});
  if(!response.ok) {
    throw new Error(`GET ${url} answered HTTP ${response.status}`);
  }
  return response.json();
}

function statusEntries(credential) {
  const status = credential?.credentialStatus;
  return status ? [status].flat() : [];
}

const suite = () => new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

/** The status check: the credential's bitstring status list entries. */
async function checkBitstringStatus({credential, documentLoader}) {
  const result = await checkStatus({
    credential, documentLoader, suite: suite(),
    verifyBitstringStatusListCredential: true,
    verifyMatchingIssuers: true,
  });
  return summariseStatus(result);
}

/**
 * `checkStatus` answers `verified: true` when the check could run, whatever
 * the bits say: each entry's `status` is the bit (true = set).
 */
function summariseStatus(result) {
  const entries = (result.results ?? []).map(r => ({
    statusPurpose: r.credentialStatus?.statusPurpose,
    statusListCredential: r.credentialStatus?.statusListCredential,
    statusListIndex: r.credentialStatus?.statusListIndex,
    bitSet: r.status,
  }));
  const set = purpose => entries.some(e => e.statusPurpose === purpose &&
    e.bitSet === true);
  const checked = result.verified === true;
  return {
    checked,
    revoked: checked ? set('revocation') : null,
    suspended: checked ? set('suspension') : null,
    entries,
    ...(result.error && {error: errorMessages(result.error).join('; ')}),
  };
}

async function verifyDataIntegrity(credential, {resolver, loads}) {
  const documentLoader = createDocumentLoader({credential, resolver, loads});
  let status = null;
  const result = await vc.verifyCredential({
    credential, suite: suite(), documentLoader,
    checkStatus: async options => {
      status = await checkBitstringStatus(options);
      return {verified: status.checked, error: status.error};
    },
  });
  const proofs = (result.results ?? []).map(r => ({
    verified: r.verified,
    verificationMethod: r.proof?.verificationMethod,
    ...(r.error && {error: errorMessages(r.error).join('; ')}),
  }));
  const errors = result.error ? errorMessages(result.error) : [];
  if(status?.error) {
    errors.push(`status: ${status.error}`);
  }
  return verdict({
    signatureAndStatusRan: result.verified, status, errors,
    details: {checks: {proofs, status}},
  });
}

/** The overall verdict: verified only if nothing failed and not revoked. */
function verdict({signatureAndStatusRan, status, errors, details}) {
  const revoked = status?.revoked ?? null;
  const suspended = status?.suspended === true;
  if(revoked) {
    errors.push('revoked');
  }
  if(suspended) {
    errors.push('suspended');
  }
  const verified = signatureAndStatusRan === true && !revoked && !suspended &&
    errors.length === 0;
  return {
    verified, revoked,
    error: errors.length ? errors.join('; ') : null,
    details,
  };
}

async function verifyJwt(jwt, {resolver, loads}) {
  const checks = {};
  const errors = [];
  let credential;
  try {
    const header = jose.decodeProtectedHeader(jwt);
    checks.header = header;
    const key = await resolveJwtKey(header, {resolver, loads, checks});
    const {payload} = await jose.jwtVerify(jwt, key, {
      algorithms: JWT_ALGORITHMS, clockTolerance: CLOCK_SKEW,
    });
    checks.signature = true;
    // OB 3.0 §8.2: the credential's properties are the JWT claims; a VC 1.1
    // style `vc` claim is accepted too.
    credential = payload.vc ?? payload;
    checks.claims = checkJwtClaims({payload, credential, kid: header.kid});
    errors.push(...checks.claims.errors);
    vc._checkCredential({credential, maxClockSkew: CLOCK_SKEW});
    checks.dataModel = true;
  } catch(error) {
    errors.push(...errorMessages(error));
  }
  let status = null;
  if(errors.length === 0 && statusEntries(credential).length > 0) {
    const documentLoader = createDocumentLoader({credential, resolver, loads});
    status = await checkBitstringStatus({credential, documentLoader});
    checks.status = status;
    if(status.error) {
      errors.push(`status: ${status.error}`);
    }
  }
  return verdict({
    signatureAndStatusRan: errors.length === 0, status, errors,
    details: {checks},
  });
}

/**
 * The public key named by the JWS `kid`, a DID URL resolved live; the
 * method must be an `assertionMethod` of its DID document.
 */
async function resolveJwtKey(header, {resolver, loads, checks}) {
  const {kid, alg} = header;
  if(!JWT_ALGORITHMS.includes(alg)) {
    throw new Error(`unsupported JWS alg "${alg}"`);
  }
  if(typeof kid !== 'string' || !kid.startsWith('did:') || !kid.includes('#')) {
    throw new Error(`the JWS kid must be a DID URL with a fragment, got ${kid}`);
  }
  const did = kid.split('#')[0];
  loads.dids.add(kid).add(did);
  const method = await resolver.get({url: kid});
  const didDocument = await resolver.get({did});
  const authorised = [didDocument.assertionMethod ?? []].flat()
    .some(m => m === kid || m?.id === kid);
  if(!authorised) {
    throw new Error(`${kid} is not an assertionMethod of ${did}`);
  }
  if(method.controller !== did) {
    throw new Error(`${kid} is controlled by ${method.controller}, not ${did}`);
  }
  checks.verificationMethod = {id: method.id, type: method.type};
  const jwk = await publicJwk(method);
  return jose.importJWK(jwk, alg);
}

/** A verification method's public key as a JWK. */
async function publicJwk(method) {
  if(method.publicKeyJwk) {
    return method.publicKeyJwk;
  }
  if(method.type === 'Multikey' && method.publicKeyMultibase) {
    const keyPair = await Ed25519Multikey.from(method);
    return Ed25519Multikey.toJwk({keyPair});
  }
  throw new Error(`verification method ${method.id} (${method.type}) has ` +
    'neither publicKeyJwk nor an Ed25519 publicKeyMultibase');
}

/** OB 3.0 §8.2.4.1: the registered claims must mirror the credential. */
function checkJwtClaims({payload, credential, kid}) {
  const errors = [];
  const issuer = typeof credential.issuer === 'object' ?
    credential.issuer?.id : credential.issuer;
  const subject = [credential.credentialSubject].flat()[0];
  const expect = (claim, actual, wanted) => {
    if(actual !== wanted) {
      errors.push(`${claim} is ${JSON.stringify(actual)}, wants ` +
        JSON.stringify(wanted));
    }
  };
  expect('iss', payload.iss, issuer);
  expect('kid DID', kid.split('#')[0], issuer);
  if(credential.id !== undefined || payload.jti !== undefined) {
    expect('jti', payload.jti, credential.id);
  }
  if(subject?.id !== undefined || payload.sub !== undefined) {
    expect('sub', payload.sub, subject?.id);
  }
  const seconds = date => date === undefined ? undefined :
    Math.floor(Date.parse(date) / 1000);
  if(credential.validFrom !== undefined || payload.nbf !== undefined) {
    expect('nbf', payload.nbf, seconds(credential.validFrom));
  }
  if(credential.validUntil !== undefined || payload.exp !== undefined) {
    expect('exp', payload.exp, seconds(credential.validUntil));
  }
  return {
    iss: payload.iss, jti: payload.jti, sub: payload.sub, nbf: payload.nbf,
    exp: payload.exp, errors,
  };
}

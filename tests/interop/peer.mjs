// A peer implementation for our interoperability tests: Digital Bazaar's JS
// stack (the reference for Data Integrity) and `jose` for VC-JWT.
//
// The offline commands never touch the network: every JSON-LD context comes
// from an npm context package or, for Open Badges (no npm package exists),
// from the project's own bundled copy in schemas/data/contexts.
//
// `verify-live` checks a badge with a third-party verifier, DCC's
// verifier-core or Digital Bazaar's stack, resolving the issuer's DID
// document and status list live over HTTP (see lib/verify-live.mjs).
// `validate-schema` checks credentials against a JSON Schema with Ajv (see
// lib/validate-schema.mjs).
//
// Usage (prints JSON on stdout; exit 0 = verified/signed/valid, 1 = not
// verified/invalid, 2 = could not run):
//   node peer.mjs verify-di  <credential.json>
//   node peer.mjs verify-jwt <token-file> <public-jwk.json>
//   node peer.mjs sign-di    <unsigned.json> <seed-hex>
//   node peer.mjs sign-jwt   <unsigned.json> <seed-hex>
//   node peer.mjs verify-live <dcc|db> [--rewrite FROM=TO ...]
//                             <badge.json|.jwt|.png|.svg>...
//   node peer.mjs validate-schema <schema.json> <credential.json|.jwt>...
import {readFileSync} from 'node:fs';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as jose from 'jose';

import {contexts} from './lib/contexts.mjs';
import {loadDidKey} from './lib/did-key.mjs';

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(url.startsWith('did:key:')) {
    return loadDidKey(url);
  }
  throw new Error(`peer refuses to load unknown document ${url}`);
}

function keyPairFromSeed(seedHex) {
  const seed = Uint8Array.from(Buffer.from(seedHex, 'hex'));
  return Ed25519Multikey.generate({seed});
}

async function signDi(unsigned, seedHex) {
  const keyPair = await keyPairFromSeed(seedHex);
  const did = `did:key:${keyPair.publicKeyMultibase}`;
  keyPair.controller = did;
  keyPair.id = `${did}#${keyPair.publicKeyMultibase}`;
  unsigned.issuer = typeof unsigned.issuer === 'object' ?
    {...unsigned.issuer, id: did} : did;
  const suite = new DataIntegrityProof({
    signer: keyPair.signer(), cryptosuite: eddsaRdfc2022,
  });
  return vc.issue({credential: unsigned, suite, documentLoader});
}

async function verifyDi(credential) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const result = await vc.verifyCredential({
    credential, suite, documentLoader,
    // Status lists are checked by our verifier, not by this peer.
    checkStatus: async () => ({verified: true}),
  });
  const error = result.error ? String(result.error.errors?.[0]?.message ??
    result.error.message ?? result.error) : null;
  return {verified: result.verified, error};
}

async function signJwt(unsigned, seedHex) {
  const keyPair = await keyPairFromSeed(seedHex);
  const did = `did:key:${keyPair.publicKeyMultibase}`;
  unsigned.issuer = typeof unsigned.issuer === 'object' ?
    {...unsigned.issuer, id: did} : did;
  // The multikey library keeps seed || public key as the secret; a JWK's
  // `d` is the 32-byte seed alone.
  const jwk = await Ed25519Multikey.toJwk({keyPair});
  jwk.d = Buffer.from(seedHex, 'hex').toString('base64url');
  const key = await jose.importJWK({...jwk, alg: 'EdDSA'}, 'EdDSA');
  const claims = {...unsigned, iss: did};
  if(unsigned.id) {
    claims.jti = unsigned.id;
  }
  const subject = Array.isArray(unsigned.credentialSubject) ?
    unsigned.credentialSubject[0] : unsigned.credentialSubject;
  if(subject?.id) {
    claims.sub = subject.id;
  }
  if(unsigned.validFrom) {
    claims.nbf = Math.floor(Date.parse(unsigned.validFrom) / 1000);
  }
  if(unsigned.validUntil) {
    claims.exp = Math.floor(Date.parse(unsigned.validUntil) / 1000);
  }
  return new jose.CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({
      alg: 'EdDSA', typ: 'JWT', kid: `${did}#${keyPair.publicKeyMultibase}`,
    })
    .sign(key);
}

async function verifyJwt(token, jwk) {
  try {
    const key = await jose.importJWK(jwk, jwk.kty === 'RSA' ? 'RS256' :
      'EdDSA');
    const {payload, protectedHeader} = await jose.compactVerify(token, key, {
      algorithms: ['RS256', 'EdDSA', 'ES256'],
    });
    const claims = JSON.parse(new TextDecoder().decode(payload));
    const credential = claims.vc ?? claims;
    const issuer = typeof credential.issuer === 'object' ?
      credential.issuer.id : credential.issuer;
    if(claims.iss !== issuer) {
      return {verified: false, error: 'iss does not match the issuer'};
    }
    if(credential.id && claims.jti !== credential.id) {
      return {verified: false, error: 'jti does not match the credential id'};
    }
    return {verified: true, error: null, alg: protectedHeader.alg};
  } catch(e) {
    return {verified: false, error: String(e.message ?? e)};
  }
}

const readJson = path => JSON.parse(readFileSync(path, 'utf8'));

async function main([command, ...args]) {
  switch(command) {
    case 'verify-di': {
      const result = await verifyDi(readJson(args[0]));
      console.log(JSON.stringify(result));
      return result.verified ? 0 : 1;
    }
    case 'verify-jwt': {
      const token = readFileSync(args[0], 'utf8').trim();
      const result = await verifyJwt(token, readJson(args[1]));
      console.log(JSON.stringify(result));
      return result.verified ? 0 : 1;
    }
    case 'sign-di':
      console.log(JSON.stringify(await signDi(readJson(args[0]), args[1])));
      return 0;
    case 'sign-jwt':
      console.log(await signJwt(readJson(args[0]), args[1]));
      return 0;
    case 'verify-live': {
      // Loaded on demand: it brings DCC's whole stack with it.
      const {verifyLive} = await import('./lib/verify-live.mjs');
      return verifyLive(args);
    }
    case 'validate-schema': {
      const {validateSchema} = await import('./lib/validate-schema.mjs');
      return validateSchema(args);
    }
    default:
      console.error(`unknown command ${command}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(code => process.exit(code), error => {
  console.error(error?.stack ?? String(error));
  process.exit(2);
});

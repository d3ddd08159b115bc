// did:key (Ed25519 multikey) resolution: computed from the DID itself, so
// it needs no network.
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

/**
 * The DID document of a did:key, or its verification method when `url`
 * has a fragment.
 *
 * @param {string} url - A did:key DID or DID URL.
 * @returns {Promise<object>} The document loader's result.
 */
export async function loadDidKey(url) {
  const [did, fragment] = url.split('#');
  const multibase = did.slice('did:key:'.length);
  const key = await Ed25519Multikey.from({
    '@context': 'https://w3id.org/security/multikey/v1',
    type: 'Multikey', controller: did, id: `${did}#${multibase}`,
    publicKeyMultibase: multibase,
  });
  const method = await key.export({publicKey: true, includeContext: true});
  if(fragment) {
    return {contextUrl: null, documentUrl: url, document: method};
  }
  const document = {
    '@context': ['https://www.w3.org/ns/did/v1',
      'https://w3id.org/security/multikey/v1'],
    id: did, verificationMethod: [method],
    assertionMethod: [method.id], authentication: [method.id],
  };
  return {contextUrl: null, documentUrl: url, document};
}

// The JSON-LD contexts and JSON schemas the peer knows without a network.
//
// Contexts come from npm context packages or, for Open Badges (no Digital
// Bazaar package exists), from the project's own bundled copies in
// schemas/data/contexts. Nothing here is ever fetched.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {contexts as credentialsContexts} from
  '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import * as bitstringStatusListContext from
  '@digitalbazaar/vc-bitstring-status-list-context';

const here = dirname(fileURLToPath(import.meta.url));
const schemasData = join(here, '..', '..', '..', 'schemas', 'data');

const readJson = path => JSON.parse(readFileSync(path, 'utf8'));

/** Bundled copies, by the URL they are published at. */
const bundledContexts = {
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json':
    'ob-v3p0-context-3.0.3.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json':
    'ob-v3p0-context-3.0.2.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json':
    'ob-v3p0-context-3.0.1.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json':
    'ob-v3p0-extensions.json',
};

/** The 1EdTech JSON schemas, by the URL credentials name them with. */
const bundledSchemas = {
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json':
    'ob_v3p0_achievementcredential.schema.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json':
    'ob_v3p0_endorsementcredential.schema.json',
};

/** Every context the peer knows, by URL. */
export const contexts = new Map([
  ...credentialsContexts,
  ...dataIntegrityContext.contexts,
  ...multikeyContext.contexts,
  ...bitstringStatusListContext.contexts,
]);
for(const [url, file] of Object.entries(bundledContexts)) {
  contexts.set(url, readJson(join(schemasData, 'contexts', file)));
}

/** Every JSON schema the peer knows, by URL. */
export const schemas = new Map(Object.entries(bundledSchemas).map(
  ([url, file]) => [url, readJson(join(schemasData, 'schemas', file))]));

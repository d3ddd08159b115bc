// `validate-schema <schema.json> <file>...`: validates credentials against a
// JSON Schema with Ajv, a validator independent of our Rust code.
//
// The 1EdTech OB 3.0 schemas declare draft 2019-09, hence Ajv's 2019 build
// (its `items` as an array plus `additionalItems` is 2019-09, not 2020-12).
// Formats (date-time, date...) are validated, by ajv-formats. Nothing is
// fetched: a `$ref` to another schema can only be answered by the schemas
// of schemas/data/schemas, registered under their `$id`.
//
// A .json file is validated as is. A .jwt file is a compact JWS: its
// payload is validated without the JWT registered claims, or its `vc`
// claim when it wraps the credential in one.
//
// Prints one JSON line per file:
//   {"file": path, "valid": bool, "errors": [{instancePath, message}...]}
// and returns the exit code: 0 all valid, 1 any invalid, 2 could not run.
import {readFileSync, readdirSync} from 'node:fs';
import {dirname, extname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
const SCHEMAS_DIR = join(here, '..', '..', '..', 'schemas', 'data', 'schemas');
const JWT_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'];
const DRAFT_2019_09 = /^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/;
const USAGE = 'validate-schema <schema.json> <file.json|.jwt>...';

const readJson = path => JSON.parse(readFileSync(path, 'utf8'));

/** An Ajv validation function for the schema at `path`. */
function compile(path) {
  const schema = readJson(path);
  if(schema.$schema !== undefined && !DRAFT_2019_09.test(schema.$schema)) {
    throw new Error(`${path} declares ${schema.$schema}, not draft 2019-09`);
  }
  // Strict mode stays on (an unknown keyword or format is an error, not
  // silently skipped) but for one lint the 1EdTech schemas trip: `@context`
  // is a 2-item tuple `items` with `minItems` 2 and open `additionalItems`.
  const ajv = new Ajv2019({
    strict: true, strictTuples: false, allErrors: true, validateFormats: true,
  });
  addFormats(ajv);
  // The bundled schemas a `$ref` may name, by `$id` (never fetched).
  for(const name of readdirSync(SCHEMAS_DIR)) {
    const other = name.endsWith('.json') && readJson(join(SCHEMAS_DIR, name));
    if(other?.$id && other.$id !== schema.$id) {
      ajv.addSchema(other);
    }
  }
  return ajv.compile(schema);
}

/** What to validate in `path`: the JSON document, or a JWT's credential. */
function instanceOf(path) {
  const text = readFileSync(path, 'utf8').trim();
  if(extname(path).toLowerCase() !== '.jwt') {
    return JSON.parse(text);
  }
  const parts = text.split('.');
  if(parts.length !== 3) {
    throw new Error('not a compact JWS (wants three dot-separated parts)');
  }
  const payload = JSON.parse(
    Buffer.from(parts[1], 'base64url').toString('utf8'));
  if(payload.vc !== undefined) {
    return payload.vc;
  }
  for(const claim of JWT_CLAIMS) {
    delete payload[claim];
  }
  return payload;
}

/**
 * Runs the command.
 *
 * @param {string[]} args - The arguments after `validate-schema`.
 * @returns {number} The exit code.
 */
export function validateSchema(args) {
  const [schemaPath, ...files] = args;
  if(!schemaPath || files.length === 0) {
    console.error(`usage: ${USAGE}`);
    return 2;
  }
  const validate = compile(schemaPath);
  let code = 0;
  for(const file of files) {
    try {
      const valid = validate(instanceOf(file));
      const errors = (validate.errors ?? []).map(({instancePath, message}) =>
        ({instancePath, message}));
      console.log(JSON.stringify({file, valid, errors}));
      if(!valid) {
        code = Math.max(code, 1);
      }
    } catch(error) {
      // An unreadable file: the check could not run on it.
      console.log(JSON.stringify({file, valid: false, errors: [
        {instancePath: '', message: `could not run: ${error.message}`}]}));
      code = 2;
    }
  }
  return code;
}

// Reads a badge file and takes the credential out of it, independently of
// our Rust code: a credential as JSON (Data Integrity) or as a compact JWS
// (VC-JWT), either alone or baked into a PNG or an SVG
// (https://www.imsglobal.org/spec/ob/v3p0/#baking).
import {readFileSync} from 'node:fs';
import {extname} from 'node:path';
import {inflateSync} from 'node:zlib';

import extractChunks from 'png-chunks-extract';
import {DOMParser} from '@xmldom/xmldom';

const PNG_KEYWORD = 'openbadgecredential';
const SVG_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Reads the badge at `path`.
 *
 * @param {string} path - A .json, .jwt, .png or .svg file.
 * @returns {{container: string, format: 'di'|'jwt', credential?: object,
 *   jwt?: string, notes: string[]}} What the file holds.
 */
export function readBadge(path) {
  const bytes = readFileSync(path);
  const container = extname(path).slice(1).toLowerCase();
  const notes = [];
  let text;
  switch(container) {
    case 'json':
    case 'jwt':
      text = bytes.toString('utf8');
      break;
    case 'png':
      text = textFromPng(bytes);
      break;
    case 'svg':
      text = textFromSvg(bytes.toString('utf8'), notes);
      break;
    default:
      throw new Error(`unknown badge file type ".${container}"`);
  }
  return {container, notes, ...parseCredentialText(text)};
}

/** A JSON credential (Data Integrity) or a compact JWS (VC-JWT). */
function parseCredentialText(text) {
  const trimmed = text.trim();
  if(trimmed.startsWith('{')) {
    return {format: 'di', credential: JSON.parse(trimmed)};
  }
  if(COMPACT_JWS.test(trimmed)) {
    return {format: 'jwt', jwt: trimmed};
  }
  throw new Error('the badge holds neither a JSON credential nor a compact ' +
    'JWS');
}

/** The text of the single `openbadgecredential` iTXt chunk. */
function textFromPng(bytes) {
  // png-chunks-extract checks the signature and every chunk's CRC.
  const texts = extractChunks(bytes)
    .filter(chunk => chunk.name === 'iTXt')
    .map(chunk => decodeItxt(Buffer.from(chunk.data)))
    .filter(itxt => itxt.keyword === PNG_KEYWORD)
    .map(itxt => itxt.text);
  if(texts.length !== 1) {
    throw new Error(`the PNG has ${texts.length} iTXt chunks with keyword ` +
      `"${PNG_KEYWORD}", wants exactly one`);
  }
  return texts[0];
}

/**
 * Decodes an iTXt chunk body (PNG spec 11.3.4.5): keyword NUL, compression
 * flag, compression method, language tag NUL, translated keyword NUL, text.
 */
function decodeItxt(data) {
  const keywordEnd = data.indexOf(0);
  const compressed = data[keywordEnd + 1] === 1;
  const languageEnd = data.indexOf(0, keywordEnd + 3);
  const translatedEnd = data.indexOf(0, languageEnd + 1);
  if(keywordEnd < 0 || languageEnd < 0 || translatedEnd < 0) {
    throw new Error('malformed iTXt chunk');
  }
  const body = data.subarray(translatedEnd + 1);
  return {
    keyword: data.subarray(0, keywordEnd).toString('latin1'),
    text: (compressed ? inflateSync(body) : body).toString('utf8'),
  };
}

/**
 * The credential of the single `<openbadges:credential>` element: its
 * `verify` attribute (a JWT) or its text / CDATA (a JSON credential).
 */
function textFromSvg(source, notes) {
  const document = new DOMParser().parseFromString(source, 'image/svg+xml');
  let elements = [...document.getElementsByTagNameNS(SVG_NAMESPACE,
    'credential')];
  if(elements.length === 0) {
    // Same element under another namespace URI: accepted, but said.
    elements = [...document.getElementsByTagName('openbadges:credential')];
    if(elements.length > 0) {
      notes.push('openbadges:credential is not in namespace ' +
        `${SVG_NAMESPACE} but in ${elements[0].namespaceURI}`);
    }
  }
  if(elements.length !== 1) {
    throw new Error(`the SVG has ${elements.length} openbadges:credential ` +
      'elements, wants exactly one');
  }
  const [element] = elements;
  if(element.parentNode !== document.documentElement) {
    notes.push('openbadges:credential is not a child of the svg root');
  }
  const verify = element.getAttribute('verify');
  return verify ? verify : element.textContent;
}

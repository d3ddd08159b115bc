// Turning the libraries' nested errors into short readable messages.

/**
 * The messages of an error and of the errors it wraps (`errors`, `cause`),
 * depth first, without duplicates.
 *
 * @param {unknown} error - An Error, a string or anything thrown.
 * @returns {string[]} The messages.
 */
export function errorMessages(error) {
  const messages = [];
  const visit = (e, depth) => {
    if(!e || depth > 5) {
      return;
    }
    if(typeof e !== 'object') {
      messages.push(String(e));
      return;
    }
    const nested = [...(Array.isArray(e.errors) ? e.errors : []),
      ...(e.cause ? [e.cause] : [])];
    // A wrapper without a message of its own says nothing its parts don't.
    if(e.message && !(nested.length && e.name === 'VerificationError')) {
      messages.push(typeof e.message === 'string' ? e.message :
        JSON.stringify(e.message));
    }
    nested.forEach(inner => visit(inner, depth + 1));
  };
  visit(error, 0);
  return [...new Set(messages)];
}

/**
 * The shape of our row ids (uuid columns): anything else in a URL or a queue message names no
 * row, and answering that early keeps malformed text away from a uuid parameter (a 500 otherwise).
 */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

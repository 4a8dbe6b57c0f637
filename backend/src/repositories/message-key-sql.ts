/**
 * The exactly-once key of a message id, as SQL over a text expression: the id's MD5 as a uuid, a fixed 16 bytes
 * however long senders make their ids (why 128 bits are enough: the compact_event_storage migration).
 */
export const messageKeyOf = (messageId: string): string => `md5(${messageId})::uuid`;

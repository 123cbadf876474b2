/**
 * `archway/archive`: MFC CArchive's wire format as a pure codec — bytes in, values out. Knows nothing
 * of sockets. Start with `TypeRegistry` (message-type files) or the primitives of `ArchiveWriter` /
 * `ArchiveReader`.
 */
export { ArchwayError, defineError, isArchwayError } from './archway-error.js';
export type { ArchiveCause, ArchwayErrorClass, ErrorDetails } from './archway-error.js';
export {
  ERR_ARCHIVE_DECODE, ERR_ARCHIVE_LIMIT, ERR_TYPE_EXISTS, ERR_TYPE_FILE, ERR_UNKNOWN_TYPE, ERR_VALIDATION,
} from './errors.js';
export { ArchiveReader } from './archive-reader.js';
export { ArchiveWriter } from './archive-writer.js';
export { LoadState, StoreState } from './archive-state.js';
export { ChunkQueue } from './chunk-queue.js';
export { codePage, codePageExists, type CodePage } from './code-page.js';
export { readCount, writeCount } from './count.js';
export { DEFAULT_LIMITS, resolveLimits, type Limits } from './limits.js';
export { LoadBuffer, type DecodeResult } from './load-buffer.js';
export { MessageCodec, type MessageSink, type MessageSource, type ReadOptions } from './message-codec.js';
export { NeedMore, isNeedMore } from './need-more.js';
export { PRIMITIVES, COLLECTIONS, GEOMETRY, REFUSED } from './primitive-table.js';
export { DEFAULT_PROFILE, MFC_VERSIONS, profileFlags, type Profile, type ProfileFlags } from './profile.js';
export { readStringHeader, writeStringLength } from './string-length.js';
export {
  TypeDeclSchema, TypeExprSchema, TypeFileSchema, parseTypeFile, readTypeFileText,
  type TypeDecl, type TypeExpr, type TypeFile,
} from './type-file.js';
export { TypeRegistry, type TypeFileInfo, type WireOptions } from './type-registry.js';
export type { Plan, StructPlan } from './type-plan.js';
export { fromBase64, toBase64 } from './base64.js';
export { Utf8Text, plainText } from './utf8-text.js';
export { hasLongString, jsonChunks } from './json-chunks.js';
export { typeSchemas, exampleOf, type TypeSchemas } from './type-schema.js';

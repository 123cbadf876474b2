/**
 * `archway/archive`: MFC CArchive's wire format as a pure codec — bytes in, values out. Knows nothing
 * of sockets. Start with `TypeRegistry` (message-type files) or the primitives of `ArchiveWriter` /
 * `ArchiveReader`. Its parts, lower layers first: `wire/` (bytes, counts, lengths), `values/` (the
 * MFC value types and their two JSON forms), `objects/` (CObject class tags and the index map),
 * `types/` (the type-file grammar, its resolution to plans, the registry and `MessageCodec`),
 * `compile/` (plans to generated encoders and decoders), `schema/` (plans to JSON Schemas and
 * examples), `stream/` (incremental decoding of received bytes), `json/` (large JSON strings).
 */
export { ArchwayError, isArchwayError, type ArchiveCause, type ErrorDetails } from '../core/index.js';
export { OPERATION_NAME, type Operation, type OperationDecl } from './types/operations.js';
export {
  ERR_UNKNOWN_OPERATION, ERR_ARCHIVE_DECODE, ERR_ARCHIVE_LIMIT, ERR_TYPE_EXISTS, ERR_TYPE_FILE, ERR_UNKNOWN_TYPE, ERR_VALIDATION,
} from './errors.js';
export { ArchiveReader } from './wire/archive-reader.js';
export { ArchiveWriter } from './wire/archive-writer.js';
export { LoadState, StoreState } from './objects/archive-state.js';
export { ChunkQueue } from './stream/chunk-queue.js';
export { codePage, codePageExists, type CodePage } from './values/code-page.js';
export { readCount, writeCount } from './wire/count.js';
export { DEFAULT_LIMITS, MAX_EMPTY_ELEMENTS, resolveLimits, type Limits } from './values/limits.js';
export { LoadBuffer, type DecodeResult } from './stream/load-buffer.js';
export {
  MessageCodec, decodeAll, encodeAll, type EncodeItem, type MessageSink, type MessageSource, type ReadOptions,
} from './types/message-codec.js';
export { NeedMore, isNeedMore } from './wire/need-more.js';
export { PRIMITIVES, COLLECTIONS, GEOMETRY, REFUSED } from './values/primitive-table.js';
export { JSON_FORMS, type JsonForm, type SchemaFlavor } from './values/json-form.js';
export { DEFAULT_PROFILE, MFC_VERSIONS, profileFlags, type Profile, type ProfileFlags } from './values/profile.js';
export { readStringHeader, writeStringLength } from './wire/string-length.js';
export {
  ConditionSchema, ProfileSchema, TypeDeclSchema, TypeExprSchema, TypeFileSchema, parseTypeFile, readTypeFileText,
  type ConditionDecl, type FieldDecl, type TypeDecl, type TypeExpr, type TypeFile,
} from './types/type-file.js';
export { TypeRegistry, type TypeFileInfo, type WireOptions } from './types/type-registry.js';
export type { FieldPlan, Plan, StructPlan } from './types/type-plan.js';
export { fromBase64, toBase64 } from './wire/base64.js';
export { Utf8Text, plainText } from './json/utf8-text.js';
export { hasLongString, jsonChunks } from './json/json-chunks.js';
export { definitionName, typeSchemas, type TypeSchemas } from './schema/type-schema.js';
export { exampleOf, exampleOption, MAX_EXAMPLE_VALUES } from './schema/type-example.js';

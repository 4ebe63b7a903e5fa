/**
 * io-pipelines for Node: everything from the universal entry plus Node-only helpers.
 *
 * @module
 */
export * from './index.js';
export { toNodeReadable, toNodeWritable, toNodeDuplex, type NodeReadableOptions, type NodeWritableOptions, type NodeDuplexOptions } from './node/streams.js';
export { namedPipePath, type NamedPipePathOptions } from './node/named-pipe-path.js';

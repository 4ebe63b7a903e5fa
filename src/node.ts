/**
 * io-pipelines for Node: everything from the universal entry plus Node-only helpers.
 *
 * @module
 */
export * from './index.js';
export { namedPipePath, type NamedPipePathOptions } from './node/named-pipe-path.js';

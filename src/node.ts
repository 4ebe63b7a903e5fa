/**
 * io-pipelines for Node: everything from the universal entry plus Node-only helpers.
 *
 * @module
 */
export * from './index.js';

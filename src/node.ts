/**
 * io-pipelines for Node: everything from the universal entry plus Node-only helpers.
 *
 * @module
 */
export * from './index.js';
export { toNodeReadable, toNodeWritable, toNodeDuplex, type NodeReadableOptions, type NodeWritableOptions, type NodeDuplexOptions } from './node/streams.js';
export { namedPipePath, type NamedPipePathOptions } from './node/named-pipe-path.js';
export { NamedPipeServer, type NamedPipeServerOptions, type AcceptOptions, type CloseOptions } from './node/named-pipe-server.js';
export { NamedPipeConnection, type NamedPipeConnectionOptions } from './node/named-pipe-connection.js';
export { connectNamedPipe, type ConnectNamedPipeOptions } from './node/named-pipe-client.js';
export { openFifo, type OpenFifoReaderOptions, type OpenFifoWriterOptions } from './node/fifo.js';
export { openFile, type OpenFileOptions } from './node/file.js';

// The CommonJS view of the package (the `require` condition and its .d.cts types), for node16.
import pipelines = require('io-pipelines');
import pipelinesNode = require('io-pipelines/node');

export function commonJs(): number {
  const pipe = new pipelines.Pipe();
  const sequence: pipelines.ReadOnlySequence = pipelines.ReadOnlySequence.from(new Uint8Array([1]));
  const same: typeof pipelines.Pipe = pipelinesNode.Pipe;
  void same;
  return sequence.length + (pipe.reader instanceof pipelines.PipeReader ? 1 : 0);
}

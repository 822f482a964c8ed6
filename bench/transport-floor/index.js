// The transport floor for the policy pack's throughput: a bare @grpc/grpc-js server on the
// Analyzer service's paths (/pulumirpc.Analyzer/Analyze, /AnalyzeStack and the handshake's
// GetAnalyzerInfo, Configure, ConfigureStack), with identity (de)serializers, that answers every
// call at once with an empty message (zero bytes: a valid empty AnalyzerInfo, Empty, AnalyzeResponse).
// No protobuf decoding, no @pulumi/policy, no policy: what the same client and the same gRPC stack
// cost by themselves. It starts like a pack (prints its port on its first stdout line), so
// bench/pack-load.ts drives it with the plan's own Analyzer client, beside bench/noop-pack
// (@pulumi/policy with one policy that does nothing) and the project's pack.
"use strict";
const grpc = require("@grpc/grpc-js");

const EMPTY = Buffer.alloc(0);
const identity = (bytes) => bytes;
const METHODS = ["Analyze", "AnalyzeStack", "Remediate", "GetAnalyzerInfo", "GetPluginInfo", "Configure", "ConfigureStack"];

const service = {};
const handlers = {};
for (const method of METHODS) {
    service[method] = {
        path: `/pulumirpc.Analyzer/${method}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
    };
    handlers[method] = (_call, callback) => callback(null, EMPTY);
}

// The same limit @pulumi/policy's server sets (AnalyzeStack carries every resource at once).
const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
server.addService(service, handlers);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
        process.stderr.write(`bench/transport-floor: ${err.message}\n`);
        process.exit(1);
    }
    process.stdout.write(`${port}\n`);
});

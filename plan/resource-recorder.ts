/**
 * Records every resource the program registers under Pulumi's mock runtime. The `Mocks` interface
 * only sees a resource's type, name and inputs; the plan also needs its parent, dependencies and
 * provider (to draw the tree and to give the policy pack what the engine would), so this wraps the
 * mock monitor's `registerResource` and `registerResourceOutputs` and reads the full requests.
 */
import type {
    RegisterResourceOutputsRequest,
    RegisterResourceRequest,
    RegisterResourceResponse,
} from "@pulumi/pulumi/proto/resource_pb";
import type { RecordedResource } from "./recorded-resource";
import { decodeWireObject } from "./wire-values";

type Callback<T> = (error: Error | null, response?: T) => void;

/** The two monitor calls the recorder listens to (the mock monitor in @pulumi/pulumi/runtime/mocks.js). */
export interface RecordableMonitor {
    registerResource(request: RegisterResourceRequest, callback: Callback<RegisterResourceResponse>): unknown;
    registerResourceOutputs(request: RegisterResourceOutputsRequest, callback: Callback<unknown>): unknown;
}

export const STACK_TYPE = "pulumi:pulumi:Stack";

export class ResourceRecorder {
    /** In registration order; a slot stays empty until the monitor has answered. */
    private readonly slots: (RecordedResource | undefined)[] = [];
    private stackOutputs: Record<string, unknown> = {};

    /** Starts listening; must run after `setMocks` and before the program registers anything. */
    attach(monitor: RecordableMonitor): void {
        const registerResource = monitor.registerResource.bind(monitor);
        const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
        monitor.registerResource = (request, callback) => {
            const slot = this.slots.length;
            this.slots.push(undefined);
            return registerResource(request, (error, response) => {
                if (!error && response) {
                    this.slots[slot] = recordedFrom(request, response);
                }
                callback(error, response);
            });
        };
        monitor.registerResourceOutputs = (request, callback) => {
            const recorded = this.slots.find((r) => r?.urn === request.getUrn());
            if (recorded?.type === STACK_TYPE) {
                // Stack outputs are what `pulumi up` prints, so secrets stay hidden.
                this.stackOutputs = decodeWireObject(request.getOutputs()?.toJavaScript(), "mask");
            } else if (recorded) {
                recorded.outputs = { ...recorded.outputs, ...decodeWireObject(request.getOutputs()?.toJavaScript(), "unwrap") };
            }
            return registerResourceOutputs(request, callback);
        };
    }

    resources(): RecordedResource[] {
        return this.slots.filter((r): r is RecordedResource => r !== undefined);
    }

    outputs(): Record<string, unknown> {
        return this.stackOutputs;
    }
}

function recordedFrom(request: RegisterResourceRequest, response: RegisterResourceResponse): RecordedResource {
    const recorded: RecordedResource = {
        urn: response.getUrn(),
        type: request.getType(),
        name: request.getName(),
        custom: request.getCustom(),
        dependencies: [...new Set(request.getDependenciesList())],
        inputs: decodeWireObject(request.getObject()?.toJavaScript(), "unwrap"),
        outputs: decodeWireObject(response.getObject()?.toJavaScript(), "unwrap"),
    };
    if (request.getParent()) {
        recorded.parent = request.getParent();
    }
    if (request.getProvider()) {
        // A provider reference is `<urn>::<id>`; URNs contain `::` themselves, so cut at the last one.
        const reference = request.getProvider();
        recorded.provider = reference.slice(0, reference.lastIndexOf("::"));
    }
    if (response.getId()) {
        recorded.id = response.getId();
    }
    return recorded;
}

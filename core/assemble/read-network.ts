/**
 * The network facts the controller's subnet discovery depends on, read from a stack: its subnets
 * (zone, role tags, and whether a route table with an internet-gateway route serves them) and the
 * load balancers users ask the controller for (an `alb` Ingress, an NLB Service). A subnet whose
 * routing the stack does not show is left out of the picture entirely rather than guessed private,
 * because a wrong guess would fail a good stack.
 */
import type { LoadBalancerRequest, SubnetFacts } from "../snapshot";
import type { GenericResource } from "./generic-resource";
import { PropertyReader } from "./property-reader";

export const NETWORK_TYPES = Object.freeze({
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    service: "kubernetes:core/v1:Service",
});

export interface NetworkIndex {
    /** Subnets whose routing is known, with the URN of the resource that carries each. */
    subnets: { facts: SubnetFacts; urn: string; vpcId?: string }[];
    /** Distinct load balancer requests, each with the URN of the Ingress or Service asking. */
    loadBalancers: { request: LoadBalancerRequest; urn: string }[];
    readers: PropertyReader[];
}

/** Collects the network facts of a stack in one pass over its resources. */
export function readNetwork(resources: readonly GenericResource[]): NetworkIndex {
    const readers: PropertyReader[] = [];
    const read = (r: GenericResource) => {
        const reader = new PropertyReader(r);
        readers.push(reader);
        return reader;
    };
    const subnets: { urn: string; id?: string; az?: string; vpcId?: string; tags: Record<string, string> }[] = [];
    const gateways = new Set<string>();
    const igwTables = new Set<string>();
    const tables: { urn: string; id?: string; reader: PropertyReader }[] = [];
    const routes: { tableKeys: string[]; gatewayKeys: string[] }[] = [];
    const associations: { subnetKeys: string[]; tableKeys: string[] }[] = [];
    const loadBalancers: NetworkIndex["loadBalancers"] = [];

    for (const r of resources) {
        switch (r.type) {
            case NETWORK_TYPES.subnet: {
                const reader = read(r);
                const tags = reader.get("tags") ?? reader.get("tagsAll");
                subnets.push({
                    urn: r.urn, id: reader.string("id"), az: reader.string("availabilityZone"), vpcId: reader.string("vpcId"),
                    tags: stringMap(tags),
                });
                break;
            }
            case NETWORK_TYPES.internetGateway: {
                gateways.add(r.urn);
                const id = read(r).string("id");
                if (id) gateways.add(id);
                break;
            }
            case NETWORK_TYPES.routeTable: {
                const reader = read(r);
                tables.push({ urn: r.urn, id: reader.string("id"), reader });
                break;
            }
            case NETWORK_TYPES.route: {
                const reader = read(r);
                routes.push({
                    tableKeys: keys(reader.string("routeTableId"), r.dependencies),
                    gatewayKeys: keys(reader.string("gatewayId"), r.dependencies),
                });
                break;
            }
            case NETWORK_TYPES.routeTableAssociation: {
                const reader = read(r);
                associations.push({ subnetKeys: keys(reader.string("subnetId"), r.dependencies), tableKeys: keys(reader.string("routeTableId"), r.dependencies) });
                break;
            }
            case NETWORK_TYPES.ingress:
            case NETWORK_TYPES.service: {
                const request = loadBalancerRequest(read(r), r.type);
                if (request && !loadBalancers.some((lb) => lb.request.kind === request.kind && lb.request.scheme === request.scheme)) {
                    loadBalancers.push({ request, urn: r.urn });
                }
                break;
            }
        }
    }

    const isGateway = (key: string) => gateways.has(key) || key.startsWith("igw-");
    for (const table of tables) {
        const inline = table.reader.get("routes");
        if (Array.isArray(inline) && inline.some((route) => typeof route?.gatewayId === "string" && isGateway(route.gatewayId))) {
            igwTables.add(table.urn);
            if (table.id) igwTables.add(table.id);
        }
    }
    for (const route of routes) {
        if (route.gatewayKeys.some(isGateway)) route.tableKeys.forEach((k) => igwTables.add(k));
    }
    const knownTables = new Set(tables.flatMap((t) => [t.urn, ...(t.id ? [t.id] : [])]));

    const out: NetworkIndex["subnets"] = [];
    for (const subnet of subnets) {
        const subnetKeys = [subnet.urn, ...(subnet.id ? [subnet.id] : [])];
        const served = associations.filter((a) => a.subnetKeys.some((k) => subnetKeys.includes(k)));
        const tableKeys = served.flatMap((a) => a.tableKeys);
        // Routing known only when the subnet is associated with a table the stack defines.
        if (!tableKeys.some((k) => knownTables.has(k))) continue;
        const facts: SubnetFacts = { id: subnet.id ?? subnet.urn, public: tableKeys.some((k) => igwTables.has(k)), tags: subnet.tags };
        if (subnet.az) facts.az = subnet.az;
        out.push({ facts, urn: subnet.urn, ...(subnet.vpcId ? { vpcId: subnet.vpcId } : {}) });
    }
    return { subnets: out, loadBalancers, readers };
}

/** An `alb` Ingress asks for an ALB; a Service of type LoadBalancer handled by the controller, for an NLB. */
function loadBalancerRequest(reader: PropertyReader, type: string): LoadBalancerRequest | undefined {
    const annotations = stringMap(reader.get("metadata", "annotations"));
    if (type === NETWORK_TYPES.ingress) {
        const className = reader.string("spec", "ingressClassName") ?? annotations["kubernetes.io/ingress.class"];
        if (className !== "alb") return undefined;
        const scheme = annotations["alb.ingress.kubernetes.io/scheme"];
        return { kind: "ALB", ...(scheme ? { scheme } : {}) };
    }
    if (reader.string("spec", "type") !== "LoadBalancer") return undefined;
    const byController = reader.string("spec", "loadBalancerClass") === "service.k8s.aws/nlb"
        || ["external", "nlb-ip"].includes(annotations["service.beta.kubernetes.io/aws-load-balancer-type"] ?? "");
    if (!byController) return undefined;
    const scheme = annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"];
    return { kind: "NLB", ...(scheme ? { scheme } : {}) };
}

function keys(value: string | undefined, dependencies: readonly string[] | undefined): string[] {
    return [...(value ? [value] : []), ...(dependencies ?? [])];
}

function stringMap(value: unknown): Record<string, string> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

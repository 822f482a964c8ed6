/**
 * The pack as the Pulumi CLI starts it: `pulumi preview --policy-pack policy-pack` has its policy
 * plugin run @pulumi/pulumi's `run-policy-pack` host on the pack directory, which loads the package's
 * `main` (the compiled pack) and expects the port on stdout. This starts the pack that way and asks
 * it, over the Analyzer protocol, which policies it serves.
 */
import * as assert from "assert";
import * as childProcess from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { POLICIES } from "../../policy-pack/policies";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const HOST = path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");

describe("the pack under Pulumi's own policy host (run-policy-pack)", function () {
    this.timeout(60_000);

    it("prints its port and serves every policy with its enforcement level", async () => {
        // The engine address is the host's first argument; the pack never calls back, so any will do.
        const child = childProcess.spawn(process.execPath, [HOST, "127.0.0.1:1", "."], { cwd: path.join(REPO_ROOT, "policy-pack"), stdio: ["ignore", "pipe", "pipe"] });
        try {
            const port = await new Promise<number>((resolve, reject) => {
                let out = "";
                let err = "";
                child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
                    out += chunk;
                    if (out.includes("\n")) resolve(Number(out.split("\n")[0]));
                });
                child.stderr.setEncoding("utf8").on("data", (chunk: string) => { err += chunk; });
                child.once("exit", (code) => reject(new Error(`run-policy-pack exited ${code}: ${err}`)));
            });
            const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
            const info = await new Promise<analyzerpb.AnalyzerInfo>((resolve, reject) =>
                client.getAnalyzerInfo(new emptyproto.Empty(), (e, r) => (e ? reject(e) : resolve(r))));
            client.close();
            const levels = { [analyzerpb.EnforcementLevel.ADVISORY]: "advisory", [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory" } as Record<number, string>;
            assert.deepStrictEqual(
                { name: info.getName(), version: info.getVersion(), policies: info.getPoliciesList().map((p) => [p.getName(), levels[p.getEnforcementlevel()]]) },
                { name: "eks-irsa-lbc", version: "0.1.0", policies: POLICIES.map((p) => [p.name, p.enforcementLevel]) },
            );
            for (const p of info.getPoliciesList()) assert.match(p.getDescription(), /^Checks that /, p.getName());
        } finally {
            child.kill("SIGTERM");
        }
    });
});

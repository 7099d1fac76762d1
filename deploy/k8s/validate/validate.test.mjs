// Tests of validate.mjs: the manifests as committed pass, and each broken copy of them fails with the expected
// message. Run: npm test --prefix deploy/k8s/validate   (after npm ci --prefix deploy/k8s/validate)
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const k8sDir = path.resolve(here, "..");
const validator = path.join(here, "validate.mjs");

function run(dir, ...extra) {
  const r = spawnSync(process.execPath, [validator, ...extra, "--dir", dir], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A copy of deploy/k8s (YAML files only) with `edit(files)` applied; files maps name -> text. */
function mutated(edit) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lanes-k8s-"));
  const files = {};
  for (const f of fs.readdirSync(k8sDir).filter((f) => f.endsWith(".yaml")))
    files[f] = fs.readFileSync(path.join(k8sDir, f), "utf8");
  edit(files);
  for (const [f, text] of Object.entries(files)) if (text !== undefined) fs.writeFileSync(path.join(dir, f), text);
  return dir;
}

/** Replace exactly one occurrence (fails the test when the anchor text is gone, so mutations never go stale). */
function replaceOnce(text, from, to) {
  const i = text.indexOf(from);
  assert.ok(i >= 0, `mutation anchor not found: ${from}`);
  assert.equal(text.indexOf(from, i + 1), -1, `mutation anchor not unique: ${from}`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

test("the committed manifests pass and gateway.json is written", () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lanes-k8s-out-")), "gateway.json");
  const r = run(k8sDir, out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /OK: .* valid against kubernetes-models/);
  assert.equal(r.out.trim().split("\n").length, 1, "one summary line");
  const config = JSON.parse(fs.readFileSync(out, "utf8"));
  assert.equal(config.Admin.Urls, "http://0.0.0.0:9901");
});

const mutations = [
  ["replicas as a string", "deployment.yaml", "  replicas: 3\n", '  replicas: "3"\n', /spec\/replicas must be integer/],
  [
    "wrong field type (boolean as string)",
    "deployment.yaml",
    "        runAsNonRoot: true\n        # The aspnet",
    '        runAsNonRoot: "yes"\n        # The aspnet',
    /securityContext\/runAsNonRoot must be boolean/,
  ],
  [
    "wrong field type (object where a list belongs)",
    "service.yaml",
    "  ports:\n    - name: http\n      port: 80\n      targetPort: http\n      protocol: TCP\n",
    "  ports:\n    name: http\n    port: 80\n",
    /spec\/ports must be array/,
  ],
  ["missing container image", "deployment.yaml", "          image: lanes-gateway:0.1.0\n", "", /image is missing/],
  [
    "missing required field (container name)",
    "deployment.yaml",
    "        - name: gateway\n          image:",
    "        - image:",
    /containers\/0 must have required property name/,
  ],
  [
    "unknown field (typo)",
    "deployment.yaml",
    "  revisionHistoryLimit: 5\n",
    "  revisionHistoryLimt: 5\n",
    /spec\/revisionHistoryLimt is not a field/,
  ],
  [
    "unknown field deep in a container",
    "deployment.yaml",
    "          imagePullPolicy: IfNotPresent\n          # The image's CMD",
    "          imagePulPolicy: IfNotPresent\n          # The image's CMD",
    /imagePulPolicy is not a field/,
  ],
  [
    "grace period too short",
    "deployment.yaml",
    "terminationGracePeriodSeconds: 40",
    "terminationGracePeriodSeconds: 30",
    /terminationGracePeriodSeconds 30 < preStop sleep 5 \+ Lifecycle.DrainDelaySeconds 5 \+ Lifecycle.ShutdownTimeoutSeconds 20 \+ 5 = 35/,
  ],
  [
    "ShutdownTimeoutSeconds raised by a container argument (it overrides the file)",
    "deployment.yaml",
    'args: ["--config", "/etc/lanes-gateway/gateway.json"]',
    'args: ["--config", "/etc/lanes-gateway/gateway.json", "--Lifecycle:ShutdownTimeoutSeconds", "45"]',
    /< preStop sleep 5 \+ Lifecycle.DrainDelaySeconds 5 \+ Lifecycle.ShutdownTimeoutSeconds 45 \+ 5 = 60/,
  ],
  [
    "DrainDelaySeconds raised by a container argument in another case, with =",
    "deployment.yaml",
    'args: ["--config", "/etc/lanes-gateway/gateway.json"]',
    'args: ["--config", "/etc/lanes-gateway/gateway.json", "--lifecycle:drainDelaySeconds=30"]',
    /< preStop sleep 5 \+ Lifecycle.DrainDelaySeconds 30 \+ Lifecycle.ShutdownTimeoutSeconds 20 \+ 5 = 60/,
  ],
  [
    "ShutdownTimeoutSeconds raised in the ConfigMap only",
    "configmap.yaml",
    '"ShutdownTimeoutSeconds": 20',
    '"ShutdownTimeoutSeconds": 45',
    /< preStop sleep 5 \+ Lifecycle.DrainDelaySeconds 5 \+ Lifecycle.ShutdownTimeoutSeconds 45 \+ 5 = 60/,
  ],
  [
    "preStop removed",
    "deployment.yaml",
    '          lifecycle:\n            preStop:\n              exec:\n                command: ["sleep", "5"]\n',
    "",
    /lifecycle.preStop .* is missing/,
  ],
  [
    "readiness probe on the public port",
    "deployment.yaml",
    "              path: /healthz/ready\n              port: 9901",
    "              path: /healthz/ready\n              port: 8080",
    /readinessProbe must call port 9901/,
  ],
  [
    "liveness probe on the readiness path",
    "deployment.yaml",
    "          livenessProbe:\n            httpGet:\n              path: /healthz/live",
    "          livenessProbe:\n            httpGet:\n              path: /healthz/ready",
    /livenessProbe must call \/healthz\/live/,
  ],
  [
    "admin listener on loopback",
    "configmap.yaml",
    '"Admin": { "Urls": "http://0.0.0.0:9901" }',
    '"Admin": { "Urls": "http://127.0.0.1:9901" }',
    /Admin.Urls \(http:\/\/127.0.0.1:9901\) must bind 0.0.0.0:9901/,
  ],
  [
    "public listener on loopback in the file (it overrides ASPNETCORE_URLS)",
    "configmap.yaml",
    '"Admin": { "Urls": "http://0.0.0.0:9901" }',
    '"Admin": { "Urls": "http://0.0.0.0:9901" }, "Urls": "http://127.0.0.1:8080"',
    /Urls \(http:\/\/127.0.0.1:8080\) must bind 0.0.0.0:8080/,
  ],
  [
    "destination names a Service that exists nowhere",
    "configmap.yaml",
    "http://orders-gray.lanes-demo",
    "http://orders-grey.lanes-demo",
    /names Service lanes-demo\/orders-grey, which none of the manifests checked defines \(did you mean lanes-demo\/orders-gray\?\)\. Services there in lanes-demo: lanes-demo\/orders-base, lanes-demo\/orders-gray, lanes-demo\/payments-base, lanes-demo\/payments-gray\. .*--manifests PATH/,
  ],
  [
    "destination names a Service in a namespace defined nowhere",
    "configmap.yaml",
    "http://orders-gray.lanes-demo.svc.cluster.local",
    "http://orders-gray.shop.svc.cluster.local",
    /names Service shop\/orders-gray, which none of the manifests checked defines/,
  ],
  [
    "destination by short name, but no such Service in the gateway's namespace",
    "configmap.yaml",
    "http://orders-gray.lanes-demo.svc.cluster.local:8080/",
    "http://orders-gray:8080/",
    /names Service lanes-gateway\/orders-gray, which none of the manifests checked defines/,
  ],
  [
    "gray destination pointing at the baseline Service",
    "configmap.yaml",
    "http://orders-gray.lanes-demo",
    "http://orders-base.lanes-demo",
    /is in lane gray but Service lanes-demo\/orders-base selects Deployment\/orders-base, which runs --lane base/,
  ],
  [
    "destination on a port the Service lacks",
    "configmap.yaml",
    "orders-base.lanes-demo.svc.cluster.local:8080",
    "orders-base.lanes-demo.svc.cluster.local:9090",
    /port 9090 is not a port of Service lanes-demo\/orders-base/,
  ],
  [
    "gateway.json not JSON",
    "configmap.yaml",
    '      "Logging": { "Format": "json" }\n',
    '      "Logging": { "Format": "json" },\n',
    /is not valid JSON/,
  ],
  [
    "config mounted with subPath",
    "deployment.yaml",
    "              mountPath: /etc/lanes-gateway\n",
    "              mountPath: /etc/lanes-gateway/gateway.json\n              subPath: gateway.json\n",
    /not with subPath/,
  ],
  [
    "read-only root file system off",
    "deployment.yaml",
    '            readOnlyRootFilesystem: true\n            runAsNonRoot: true\n            capabilities:\n              drop: ["ALL"]\n            seccompProfile:\n              type: RuntimeDefault\n          volumeMounts:',
    '            readOnlyRootFilesystem: false\n            runAsNonRoot: true\n            capabilities:\n              drop: ["ALL"]\n            seccompProfile:\n              type: RuntimeDefault\n          volumeMounts:',
    /readOnlyRootFilesystem must be true/,
  ],
  [
    "Service targetPort names no container port",
    "service.yaml",
    "      targetPort: admin\n",
    "      targetPort: admn\n",
    /targetPort admn is not a container port/,
  ],
  [
    "selector does not match the pod labels",
    "pdb.yaml",
    "      app.kubernetes.io/component: gateway\n",
    "      app.kubernetes.io/component: gatewy\n",
    /matches no pod template/,
  ],
  ["object without a namespace", "hpa.yaml", "  namespace: lanes-gateway\n", "", /metadata.namespace is missing/],
  ["kustomization misses a file", "kustomization.yaml", "  - pdb.yaml\n", "", /resources does not list pdb.yaml/],
  [
    "kustomization lists a missing file",
    "kustomization.yaml",
    "  - pdb.yaml\n",
    "  - pdb.yaml\n  - ingress.yaml\n",
    /resources lists ingress.yaml, which is not a YAML file here/,
  ],
  [
    "unknown kind",
    "service.yaml",
    "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: lanes-gateway-metrics",
    "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: lanes-gateway\n  namespace: lanes-gateway\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: lanes-gateway-metrics",
    /unknown apiVersion\/kind monitoring.coreos.com\/v1\/ServiceMonitor/,
  ],
  [
    "duplicate YAML key",
    "hpa.yaml",
    "  minReplicas: 3\n",
    "  minReplicas: 3\n  minReplicas: 4\n",
    /YAML: .*(unique|Map keys)/i,
  ],
  [
    "image not covered by the kustomization",
    "example-app.yaml",
    "    spec:\n      terminationGracePeriodSeconds: 10\n      automountServiceAccountToken: false\n      enableServiceLinks: false\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 1654\n        runAsGroup: 1654\n        seccompProfile:\n          type: RuntimeDefault\n      containers:\n        - name: orders\n          image: lanes-gateway:0.1.0\n          imagePullPolicy: IfNotPresent\n          # = dotnet Gateway.Host.dll echo ... (the image's ENTRYPOINT)\n          args:\n            - echo\n            - --service\n            - orders\n            - --lane\n            - base",
    "    spec:\n      terminationGracePeriodSeconds: 10\n      automountServiceAccountToken: false\n      enableServiceLinks: false\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 1654\n        runAsGroup: 1654\n        seccompProfile:\n          type: RuntimeDefault\n      containers:\n        - name: orders\n          image: orders:1.0\n          imagePullPolicy: IfNotPresent\n          # = dotnet Gateway.Host.dll echo ... (the image's ENTRYPOINT)\n          args:\n            - echo\n            - --service\n            - orders\n            - --lane\n            - base",
    /image orders:1.0 is not covered by the kustomization's images/,
  ],
];

for (const [name, file, from, to, expected] of mutations) {
  test(`fails: ${name}`, (t) => {
    const dir = mutated((files) => {
      files[file] = replaceOnce(files[file], from, to);
    });
    const r = run(dir);
    assert.equal(r.code, 1, `expected exit 1, got ${r.code}\n${r.out}${r.err}`);
    assert.match(r.err, expected);
    t.diagnostic(
      r.err
        .split("\n")
        .find((l) => expected.test(l))
        ?.trim() ?? "",
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

test("fails: a stray YAML file the kustomization does not list", () => {
  const dir = mutated((files) => {
    files["extra.yaml"] =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: lanes-gateway\ndata: {}\n";
  });
  const r = run(dir);
  assert.equal(r.code, 1);
  assert.match(r.err, /resources does not list extra.yaml/);
  fs.rmSync(dir, { recursive: true, force: true });
});

// ---- the user's own manifests and config (deploy/k8s/README.md: "Replace the example app") -----------------------

const BASE = "http://orders-base.lanes-demo.svc.cluster.local:8080/";
const GRAY = "http://orders-gray.lanes-demo.svc.cluster.local:8080/";

/** The example app turned into the user's own: namespace shop, their image, no echo arguments. */
function ownApp(example) {
  return example
    .replaceAll("lanes-demo", "shop")
    .replaceAll("image: lanes-gateway:0.1.0", "image: registry.example.com/shop/orders:1.4")
    .replace(/ *# = dotnet Gateway\.Host\.dll echo[^\n]*\n *args:\n( *- [^\n]*\n)+/g, "");
}

/** A folder outside deploy/k8s with one YAML file, as `kubectl get services -A -o yaml` writes them. */
function servicesElsewhere(services) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lanes-k8s-own-"));
  const items = services
    .map(
      ([ns, name, port]) =>
        `  - apiVersion: v1\n    kind: Service\n    metadata:\n      name: ${name}\n      namespace: ${ns}\n` +
        `    spec:\n      selector:\n        app: ${name}\n      ports:\n        - port: ${port}\n`,
    )
    .join("");
  fs.writeFileSync(path.join(dir, "services.yaml"), `apiVersion: v1\nkind: List\nitems:\n${items}`);
  return dir;
}

test("passes: the example app removed and the user's own Services added, as the README says", () => {
  const dir = mutated((files) => {
    files["orders.yaml"] = ownApp(files["example-app.yaml"]);
    files["example-app.yaml"] = undefined;
    let k = replaceOnce(files["kustomization.yaml"], "  - example-app.yaml\n", "  - orders.yaml\n");
    k = replaceOnce(k, "images:\n", 'images:\n  - name: registry.example.com/shop/orders\n    newTag: "1.4"\n');
    files["kustomization.yaml"] = k;
    let c = replaceOnce(files["configmap.yaml"], BASE, "http://orders-base.shop.svc.cluster.local:8080/");
    c = replaceOnce(c, GRAY, "http://orders-gray.shop:8080/");
    files["configmap.yaml"] = c;
  });
  const r = run(dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /2 destinations: 2 to Services of the manifests, 0 plain addresses/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("fails: the example app removed but the config still sends to it", () => {
  const dir = mutated((files) => {
    files["example-app.yaml"] = undefined;
    files["kustomization.yaml"] = replaceOnce(files["kustomization.yaml"], "  - example-app.yaml\n", "");
  });
  const r = run(dir);
  assert.equal(r.code, 1);
  assert.match(
    r.err,
    /orders-base: Address .* names Service lanes-demo\/orders-base, which none of the manifests checked defines\. Services there: lanes-gateway\//,
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

test("passes: Services in other namespaces and the gateway's own, defined in the user's manifests (--manifests)", () => {
  const own = servicesElsewhere([
    ["payments", "payments", 8080],
    ["lanes-gateway", "catalog", 80],
  ]);
  const dir = mutated((files) => {
    let c = replaceOnce(files["configmap.yaml"], BASE, "http://payments.payments:8080/");
    c = replaceOnce(c, GRAY, "http://catalog/");
    files["configmap.yaml"] = c;
  });
  const r = run(dir, "--manifests", own);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /2 destinations: 2 to Services of the manifests, 0 plain addresses/);

  const without = run(dir);
  assert.equal(without.code, 1);
  assert.match(without.err, /names Service lanes-gateway\/catalog, which none of the manifests checked defines/);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(own, { recursive: true, force: true });
});

test("fails: a Service of the user's manifests on a port it does not have", () => {
  const own = servicesElsewhere([["payments", "payments", 8080]]);
  const dir = mutated((files) => {
    files["configmap.yaml"] = replaceOnce(files["configmap.yaml"], BASE, "http://payments.payments.svc:9090/");
  });
  const r = run(dir, "--manifests", path.join(own, "services.yaml"));
  assert.equal(r.code, 1);
  assert.match(r.err, /Address port 9090 is not a port of Service payments\/payments \(its ports: 8080\)/);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(own, { recursive: true, force: true });
});

for (const [name, address] of [
  ["a plain IP address", "http://10.0.12.7:8080/"],
  ["a two-label host whose second label is no namespace of the manifests", "http://orders.partner:8080/"],
  ["an IPv6 address", "http://[fd00::12:7]:8080/"],
  ["an external host", "https://orders.partner.example.com/"],
]) {
  test(`passes with a note: ${name}`, () => {
    const dir = mutated((files) => {
      files["configmap.yaml"] = replaceOnce(files["configmap.yaml"], GRAY, address);
    });
    const r = run(dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /2 destinations: 1 to Services of the manifests, 1 plain addresses/);
    assert.ok(
      r.out.includes(`note: gateway.json cluster orders destination orders-gray: ${address} is a plain address`),
      r.out,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

test("refuses a folder as GATEWAY_JSON_OUT and leaves it alone", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "lanes-k8s-out-"));
  fs.writeFileSync(path.join(folder, "keep.txt"), "mine");

  const r = run(k8sDir, folder);

  assert.equal(r.code, 2, `expected exit 2, got ${r.code}\n${r.out}${r.err}`);
  assert.match(r.err, /exists and is not a file \(did you mean --dir\?\)/);
  assert.equal(fs.readFileSync(path.join(folder, "keep.txt"), "utf8"), "mine");
});

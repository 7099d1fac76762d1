#!/usr/bin/env node
// Offline validation of the Lanes Gateway Kubernetes manifests (deploy/k8s/*.yaml).
//
//   npm ci --prefix deploy/k8s/validate
//   node deploy/k8s/validate/validate.mjs [GATEWAY_JSON_OUT] [--dir DIR] [--manifests PATH]...
//
// 1. Every YAML document is checked against the Kubernetes OpenAPI schema of its apiVersion/kind, as compiled by
//    the kubernetes-models package (types, enums, required fields, formats), plus unknown fields: a field the
//    schema does not define (a typo such as `replica:`) is an error, as with kubectl's strict field validation.
//    A kind kubernetes-models does not know is an error; the Kustomization must list exactly the *.yaml files.
// 2. Consistency rules the schema cannot express: namespaces, selectors, ports, pod hardening, and for the
//    gateway: terminationGracePeriodSeconds >= preStop sleep + Lifecycle.DrainDelaySeconds +
//    Lifecycle.ShutdownTimeoutSeconds + 5 (from the container's args, else the ConfigMap's gateway.json, else its
//    env, as the gateway reads them), probes on port 9901 at
//    /healthz/ready and /healthz/live, Admin.Urls binding 0.0.0.0:9901, and every destination Address of the
//    gateway config that is a Service name naming a Service the manifests define (DIR's, and those of --manifests:
//    a file or folder of the user's own, e.g. `kubectl get services -A -o yaml`), on one of its ports and, for the
//    image's echo backend, in the right lane (destinations.mjs). Plain addresses (IPs, external hosts) get a note.
// 3. The ConfigMap's gateway.json is written to GATEWAY_JSON_OUT when given, for
//    `dotnet run --project src/Gateway.Host -- validate GATEWAY_JSON_OUT`.
//
// Exit 0 with one summary line when everything holds; exit 1 listing every problem; exit 2 on bad usage or a
// missing `npm ci`.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkDestinations } from "./destinations.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

// ---- command line ---------------------------------------------------------------------------------------------
let outFile = null;
let dir = path.resolve(here, "..");
const extraPaths = [];
{
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--dir") {
      if (i + 1 >= args.length) usage("--dir needs a directory");
      dir = path.resolve(args[++i]);
    } else if (a === "--manifests") {
      if (i + 1 >= args.length) usage("--manifests needs a file or directory");
      extraPaths.push(path.resolve(args[++i]));
    } else if (a === "-h" || a === "--help") {
      usage(null, 0);
    } else if (a.startsWith("-")) {
      usage(`unknown option ${a}`);
    } else if (outFile === null) {
      outFile = path.resolve(a);
    } else {
      usage(`unexpected argument ${a}`);
    }
  }
}

function usage(message, code = 2) {
  if (message) console.error(`validate.mjs: ${message}`);
  console.error(
    "usage: node validate.mjs [GATEWAY_JSON_OUT] [--dir DIR] [--manifests PATH]...\n" +
      "  DIR: the gateway's manifests (default deploy/k8s); PATH: a YAML file or folder defining Services the\n" +
      "  gateway config's destinations name (only read for those; repeatable)",
  );
  process.exit(code);
}

let YAML;
try {
  YAML = await import("yaml");
  await import("kubernetes-models/v1");
} catch (e) {
  console.error(
    `validate.mjs: cannot load the validator's packages (${e.message}); run: npm ci --prefix ${path.relative(process.cwd(), here) || "."}`,
  );
  process.exit(2);
}
// Never leave an older gateway.json behind for a later step to check by mistake; but only ever remove a file, so a
// folder given here by mistake (deploy/k8s instead of --dir deploy/k8s) is refused, not touched.
if (outFile) {
  const existing = fs.lstatSync(outFile, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) usage(`GATEWAY_JSON_OUT '${outFile}' exists and is not a file (did you mean --dir?)`);
  fs.rmSync(outFile, { force: true });
}
const modelsVersion = JSON.parse(
  fs.readFileSync(path.join(here, "node_modules", "kubernetes-models", "package.json"), "utf8"),
).version;

// ---- constants ------------------------------------------------------------------------------------------------
const GATEWAY_IMAGE = "lanes-gateway";
const ADMIN_PORT = 9901;
const PUBLIC_PORT = 8080;
const READY_PATH = "/healthz/ready";
const LIVE_PATH = "/healthz/live";
const DEFAULT_CONFIG_PATH = "/etc/lanes-gateway/gateway.json"; // the image's CMD
const DEFAULT_DRAIN_DELAY = 5; // Lifecycle:DrainDelaySeconds default
const DEFAULT_SHUTDOWN_TIMEOUT = 20; // Lifecycle:ShutdownTimeoutSeconds default
const GRACE_MARGIN = 5;
const K8S_DEFAULT_GRACE = 30;
const KUSTOMIZATION_FILE = "kustomization.yaml";
const CLUSTER_SCOPED = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "PriorityClass",
  "StorageClass",
  "PersistentVolume",
  "CustomResourceDefinition",
  "IngressClass",
  "RuntimeClass",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "APIService",
]);
const POD_TEMPLATE_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]);

const problems = [];
const problem = (where, message) => problems.push(`${where}: ${message}`);
const notes = [];

// ---- read every document ----------------------------------------------------------------------------------------
if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) usage(`no directory ${dir}`);
const files = fs
  .readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f) && fs.statSync(path.join(dir, f)).isFile())
  .sort();
if (files.length === 0) usage(`no *.yaml files in ${dir}`);

/** Every object: { file, index, doc, where } */
const objects = [];
let kustomization = null;
for (const file of files) {
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  const docs = YAML.parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true });
  docs.forEach((d, index) => {
    const where0 = `${file}#${index + 1}`;
    for (const e of [...d.errors]) problem(where0, `YAML: ${e.message.split("\n")[0]}`);
    if (d.errors.length) return;
    const doc = d.toJS({ maxAliasCount: 0 });
    if (doc === null || doc === undefined) return; // an empty document (e.g. after a trailing ---)
    if (typeof doc !== "object" || Array.isArray(doc)) {
      problem(where0, "document is not a mapping");
      return;
    }
    const where =
      doc.kind === "Kustomization"
        ? `${file}#${index + 1} Kustomization`
        : `${file}#${index + 1} ${doc.kind ?? "?"}/${doc.metadata?.name ?? "?"}`;
    if (doc.kind === "Kustomization") {
      if (kustomization) problem(where, "more than one Kustomization");
      kustomization = { file, index, doc, where };
      return;
    }
    objects.push({ file, index, doc, where });
  });
}

// The user's own manifests (--manifests): read only for the Services (and their pods) destinations name. A
// `kind: List` (kubectl get -o yaml) counts as its items.
const extraObjects = [];
for (const p of extraPaths) {
  if (!fs.existsSync(p)) usage(`--manifests ${p}: no such file or directory`);
  const extraFiles = fs.statSync(p).isDirectory()
    ? fs
        .readdirSync(p)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => path.join(p, f))
    : [p];
  for (const file of extraFiles) {
    const shown = path.relative(process.cwd(), file);
    YAML.parseAllDocuments(fs.readFileSync(file, "utf8"), { prettyErrors: true }).forEach((d, index) => {
      if (d.errors.length) return problem(`${shown}#${index + 1}`, `YAML: ${d.errors[0].message.split("\n")[0]}`);
      const doc = d.toJS({ maxAliasCount: 0 });
      const docs = doc?.kind === "List" && Array.isArray(doc.items) ? doc.items : [doc];
      for (const item of docs)
        if (isObj(item) && typeof item.kind === "string")
          extraObjects.push({ file: shown, index, doc: item, where: `${shown}#${index + 1} ${item.kind}` });
    });
  }
}
function isObj(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

// ---- 1. schema validation (kubernetes-models), strict about unknown fields ------------------------------------
const moduleCache = new Map();
async function modelClass(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return null;
  // "v1" (core) or "group/version"; nothing that could escape the package's export map.
  if (!/^([a-z0-9]([a-z0-9.-]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion)) return null;
  if (!moduleCache.has(apiVersion)) {
    moduleCache.set(apiVersion, await import(`kubernetes-models/${apiVersion}`).catch(() => null));
  }
  const mod = moduleCache.get(apiVersion);
  const cls = mod?.[kind];
  return typeof cls === "function" && cls.kind === kind && cls.apiVersion === apiVersion ? cls : null;
}

// The compiled schema validators read every property their schema defines (`data.x !== undefined`) and enumerate
// the keys of free-form maps (labels, data, ...). Wrapping the document in proxies that record this tells which
// keys of an object the schema knows; any other key is an unknown field.
function track(value, pointer, records) {
  if (Array.isArray(value)) return value.map((v, i) => track(v, `${pointer}/${i}`, records));
  if (value === null || typeof value !== "object") return value;
  const target = {};
  for (const [k, v] of Object.entries(value)) target[k] = track(v, `${pointer}/${k}`, records);
  const record = { pointer, keys: Object.keys(value), read: new Set(), enumerated: false };
  records.push(record);
  return new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === "string") record.read.add(key);
      return Reflect.get(t, key, receiver);
    },
    has(t, key) {
      if (typeof key === "string") record.read.add(key);
      return Reflect.has(t, key);
    },
    ownKeys(t) {
      record.enumerated = true;
      return Reflect.ownKeys(t);
    },
  });
}

for (const o of objects) {
  const { apiVersion, kind } = o.doc;
  const cls = await modelClass(apiVersion, kind);
  if (!cls) {
    problem(
      o.where,
      `unknown apiVersion/kind ${apiVersion}/${kind}: not a built-in Kubernetes kind known to kubernetes-models ${modelsVersion}`,
    );
    continue;
  }
  const model = new cls(o.doc);
  const records = [];
  const tracked = track(model.toJSON(), "", records);
  try {
    cls.prototype.validate.call(tracked);
  } catch (e) {
    for (const part of String(e.message).split(", data"))
      problem(o.where, `schema: ${part.startsWith("data") ? part : "data" + part}`);
    continue;
  }
  for (const r of records) {
    if (r.enumerated || r.read.size === 0) continue; // a map, or a free-form object the schema does not describe
    for (const k of r.keys)
      if (!r.read.has(k))
        problem(o.where, `schema: data${r.pointer}/${k} is not a field of this object (unknown field)`);
  }
}

// Objects that do not match their schema make the rules below meaningless (or crash them): report those first.
let gatewayConfigText = null;
let gatewayConfig = null;
const summary = {};
if (problems.length) finish();

// ---- helpers ------------------------------------------------------------------------------------------------------
const byKind = (kind) => objects.filter((o) => o.doc.kind === kind);
const nsOf = (o) => o.doc.metadata?.namespace;
const podSpecOf = (o) => (POD_TEMPLATE_KINDS.has(o.doc.kind) ? o.doc.spec?.template?.spec : null);
const podLabelsOf = (o) => o.doc.spec?.template?.metadata?.labels ?? {};
const containersOf = (o) => [...(podSpecOf(o)?.initContainers ?? []), ...(podSpecOf(o)?.containers ?? [])];
const selects = (selector, labels) =>
  isObj(selector) && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const imageRepo = (image) => {
  // registry.example.com:5000/team/lanes-gateway:0.1.0@sha256:... -> lanes-gateway
  const noDigest = String(image).split("@")[0];
  const last = noDigest.split("/").pop();
  return last.split(":")[0];
};
const argValue = (args, name) => {
  const i = (args ?? []).indexOf(name);
  if (i >= 0 && i + 1 < args.length) return String(args[i + 1]);
  const eq = (args ?? []).find((a) => String(a).startsWith(name + "="));
  return eq === undefined ? undefined : String(eq).slice(name.length + 1);
};
/** A Lifecycle setting given as a command-line argument (--Lifecycle:Key VALUE or --Lifecycle:Key=VALUE, any case). */
const lifecycleArg = (args, key) => {
  const name = `--lifecycle:${key}`.toLowerCase();
  let value;
  (args ?? []).forEach((a, i) => {
    const text = String(a);
    if (text.toLowerCase() === name && i + 1 < args.length) value = String(args[i + 1]);
    else if (text.toLowerCase().startsWith(name + "=")) value = text.slice(name.length + 1);
  });
  return value;
};
/** A container port given by number or name -> number (undefined when a name does not resolve). */
const resolvePort = (container, port) => {
  if (typeof port === "number") return port;
  if (typeof port === "string" && /^[0-9]+$/.test(port)) return Number(port);
  return (container?.ports ?? []).find((p) => p.name === port)?.containerPort;
};
/** URL list (";"-separated, as ASP.NET Core reads it) -> [{host, port}] */
const parseUrls = (value) =>
  String(value ?? "")
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^https?:\/\/(\[[^\]]*\]|[^:/]+)(?::([0-9]+))?\/?$/i.exec(s);
      return m
        ? { text: s, host: m[1], port: m[2] ? Number(m[2]) : s.toLowerCase().startsWith("https") ? 443 : 80 }
        : { text: s, host: null, port: null };
    });
const ANY_HOSTS = new Set(["0.0.0.0", "*", "+", "[::]"]);
const bindsAll = (value, port) => parseUrls(value).some((u) => ANY_HOSTS.has(u.host) && u.port === port);

// ---- 2a. generic consistency ------------------------------------------------------------------------------------
// Everything from here on reads fields that may be missing; a crash becomes a reported problem.
try {
  const namespaces = new Set(byKind("Namespace").map((o) => o.doc.metadata?.name));
  const seen = new Set();
  for (const o of objects) {
    const { kind, metadata } = o.doc;
    if (!metadata?.name) problem(o.where, "metadata.name is missing");
    if (CLUSTER_SCOPED.has(kind)) {
      if (metadata?.namespace) problem(o.where, `${kind} is cluster-scoped but has metadata.namespace`);
    } else if (!metadata?.namespace) {
      problem(
        o.where,
        "metadata.namespace is missing (the kustomization sets none, so it would land in the current namespace)",
      );
    } else if (!namespaces.has(metadata.namespace)) {
      problem(o.where, `namespace ${metadata.namespace} is not defined by any Namespace here`);
    }
    const id = `${o.doc.apiVersion}/${kind}/${metadata?.namespace ?? ""}/${metadata?.name}`;
    if (seen.has(id)) problem(o.where, "defined twice");
    seen.add(id);
  }

  for (const o of objects.filter((x) => POD_TEMPLATE_KINDS.has(x.doc.kind))) {
    const spec = podSpecOf(o);
    if (!spec) continue; // the schema already complained
    const matchLabels = o.doc.spec?.selector?.matchLabels;
    if (!selects(matchLabels, podLabelsOf(o)))
      problem(o.where, "spec.selector.matchLabels must be non-empty and match spec.template.metadata.labels");
    if (!Array.isArray(spec.containers) || spec.containers.length === 0) problem(o.where, "no containers");
    const podSc = spec.securityContext ?? {};
    for (const c of containersOf(o)) {
      const cw = `${o.where} container ${c.name}`;
      const sc = c.securityContext ?? {};
      if (typeof c.image !== "string" || c.image.trim() === "" || /\s/.test(c.image))
        problem(cw, "image is missing or invalid");
      if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true)
        problem(cw, "runAsNonRoot must be true (pod or container securityContext)");
      if ((sc.runAsUser ?? podSc.runAsUser) === 0) problem(cw, "runAsUser must not be 0");
      if (sc.allowPrivilegeEscalation !== false) problem(cw, "securityContext.allowPrivilegeEscalation must be false");
      if (sc.readOnlyRootFilesystem !== true) problem(cw, "securityContext.readOnlyRootFilesystem must be true");
      if (sc.privileged === true) problem(cw, "securityContext.privileged must not be true");
      if (!(sc.capabilities?.drop ?? []).includes("ALL"))
        problem(cw, "securityContext.capabilities.drop must include ALL");
      if ((sc.capabilities?.add ?? []).length > 0) problem(cw, "securityContext.capabilities.add must be empty");
      const seccomp = (sc.seccompProfile ?? podSc.seccompProfile)?.type;
      if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
        problem(cw, "seccompProfile.type must be RuntimeDefault (pod or container)");
      const res = c.resources ?? {};
      for (const r of ["cpu", "memory"])
        if (res.requests?.[r] === undefined) problem(cw, `resources.requests.${r} is missing`);
      if (res.limits?.memory === undefined) problem(cw, "resources.limits.memory is missing");
      const portNames = new Set();
      for (const p of c.ports ?? []) {
        if (p.name && portNames.has(p.name)) problem(cw, `port name ${p.name} used twice`);
        if (p.name) portNames.add(p.name);
      }
      for (const probeName of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        const probe = c[probeName];
        if (probe?.httpGet && resolvePort(c, probe.httpGet.port) === undefined)
          problem(cw, `${probeName}.httpGet.port ${probe.httpGet.port} names no container port`);
      }
    }
  }

  /** The pod templates a Service selects, with the container port each of its ports reaches. */
  function serviceBackends(svc) {
    return objects.filter(
      (w) =>
        POD_TEMPLATE_KINDS.has(w.doc.kind) && nsOf(w) === nsOf(svc) && selects(svc.doc.spec?.selector, podLabelsOf(w)),
    );
  }
  function targetPortOf(svcPort, workload) {
    const target = svcPort.targetPort ?? svcPort.port;
    for (const c of containersOf(workload)) {
      const n =
        typeof target === "number"
          ? (c.ports ?? []).some((p) => p.containerPort === target)
            ? target
            : undefined
          : resolvePort(c, target);
      if (n !== undefined) return n;
    }
    return undefined;
  }
  for (const svc of byKind("Service")) {
    if (!isObj(svc.doc.spec?.selector) || Object.keys(svc.doc.spec.selector).length === 0) {
      problem(svc.where, "spec.selector is missing");
      continue;
    }
    const backends = serviceBackends(svc);
    if (backends.length === 0) problem(svc.where, "its selector matches no pod template in its namespace");
    for (const w of backends) {
      for (const p of svc.doc.spec.ports ?? []) {
        if (targetPortOf(p, w) === undefined)
          problem(
            svc.where,
            `port ${p.name ?? p.port}: targetPort ${p.targetPort ?? p.port} is not a container port of ${w.doc.kind}/${w.doc.metadata.name}`,
          );
      }
    }
  }

  for (const hpa of byKind("HorizontalPodAutoscaler")) {
    const ref = hpa.doc.spec?.scaleTargetRef ?? {};
    const target = objects.find(
      (o) =>
        o.doc.kind === ref.kind &&
        o.doc.metadata?.name === ref.name &&
        nsOf(o) === nsOf(hpa) &&
        o.doc.apiVersion === ref.apiVersion,
    );
    if (!target) {
      problem(
        hpa.where,
        `scaleTargetRef ${ref.apiVersion}/${ref.kind}/${ref.name} is not defined in namespace ${nsOf(hpa)}`,
      );
      continue;
    }
    const { minReplicas = 1, maxReplicas } = hpa.doc.spec;
    if (typeof maxReplicas === "number" && minReplicas > maxReplicas) problem(hpa.where, "minReplicas > maxReplicas");
    const usesCpu = (hpa.doc.spec.metrics ?? []).some(
      (m) => m.type === "Resource" && m.resource?.name === "cpu" && m.resource?.target?.type === "Utilization",
    );
    if (usesCpu)
      for (const c of containersOf(target))
        if (c.resources?.requests?.cpu === undefined)
          problem(hpa.where, `CPU utilization needs a cpu request on container ${c.name}`);
    const replicas = target.doc.spec?.replicas;
    if (
      typeof replicas === "number" &&
      (replicas < minReplicas || (typeof maxReplicas === "number" && replicas > maxReplicas))
    )
      problem(
        hpa.where,
        `${ref.kind} replicas ${replicas} is outside minReplicas..maxReplicas ${minReplicas}..${maxReplicas}`,
      );
  }

  for (const pdb of byKind("PodDisruptionBudget")) {
    const matched = objects.filter(
      (w) =>
        POD_TEMPLATE_KINDS.has(w.doc.kind) &&
        nsOf(w) === nsOf(pdb) &&
        selects(pdb.doc.spec?.selector?.matchLabels, podLabelsOf(w)),
    );
    if (matched.length === 0) problem(pdb.where, "spec.selector.matchLabels matches no pod template in its namespace");
    const { minAvailable, maxUnavailable } = pdb.doc.spec ?? {};
    if ((minAvailable === undefined) === (maxUnavailable === undefined))
      problem(pdb.where, "set exactly one of minAvailable and maxUnavailable");
    for (const w of matched) {
      const hpa = byKind("HorizontalPodAutoscaler").find(
        (h) => h.doc.spec?.scaleTargetRef?.name === w.doc.metadata?.name && nsOf(h) === nsOf(w),
      );
      const floor = hpa?.doc.spec?.minReplicas ?? w.doc.spec?.replicas ?? 1;
      if (typeof minAvailable === "number" && minAvailable >= floor)
        problem(
          pdb.where,
          `minAvailable ${minAvailable} >= ${floor} replicas: no pod could ever be evicted (node drains would hang)`,
        );
      if (maxUnavailable === 0 || maxUnavailable === "0%")
        problem(pdb.where, "maxUnavailable 0: no pod could ever be evicted (node drains would hang)");
    }
  }

  // ---- 2b. the gateway ---------------------------------------------------------------------------------------------
  const gatewayWorkloads = objects.filter(
    (o) =>
      o.doc.kind === "Deployment" &&
      (podSpecOf(o)?.containers ?? []).some(
        (c) => imageRepo(c.image ?? "") === GATEWAY_IMAGE && !["echo", "validate"].includes(c.args?.[0]),
      ),
  );
  if (gatewayWorkloads.length !== 1) {
    problem(
      "gateway",
      `expected exactly one Deployment running the ${GATEWAY_IMAGE} image as the gateway (not \`echo\`), found ${gatewayWorkloads.length}`,
    );
  } else {
    const gw = gatewayWorkloads[0];
    const spec = podSpecOf(gw);
    const c = spec.containers.find((x) => imageRepo(x.image ?? "") === GATEWAY_IMAGE);
    const cw = `${gw.where} container ${c.name}`;

    // The config file and the ConfigMap behind it.
    const args = c.args ?? [];
    if (c.command) problem(cw, "do not override command (the image's ENTRYPOINT runs the gateway)");
    const configPath =
      argValue(args, "--config") ?? argValue(args, "-c") ?? (args.length === 0 ? DEFAULT_CONFIG_PATH : undefined);
    if (!configPath) {
      problem(cw, "args must include --config FILE");
    } else {
      const mount = (c.volumeMounts ?? []).find(
        (m) => m.mountPath === path.posix.dirname(configPath) || m.mountPath === configPath,
      );
      if (!mount) {
        problem(cw, `no volumeMount provides ${configPath}`);
      } else {
        if (mount.subPath !== undefined || mount.mountPath === configPath)
          problem(
            cw,
            `mount ${configPath} as a directory, not with subPath: subPath mounts never receive ConfigMap updates (no hot reload)`,
          );
        if (mount.readOnly !== true) problem(cw, `volumeMount ${mount.name} must be readOnly`);
        const volume = (spec.volumes ?? []).find((v) => v.name === mount.name);
        const cmName = volume?.configMap?.name;
        if (!cmName) {
          problem(cw, `volume ${mount.name} is not a ConfigMap volume`);
        } else {
          const file = path.posix.basename(configPath);
          const items = volume.configMap.items;
          const key = items ? items.find((i) => i.path === file)?.key : file;
          const cm = objects.find(
            (o) => o.doc.kind === "ConfigMap" && o.doc.metadata?.name === cmName && nsOf(o) === nsOf(gw),
          );
          if (!key) problem(cw, `ConfigMap volume ${mount.name} does not project ${file}`);
          else if (!cm) problem(cw, `ConfigMap ${cmName} is not defined in namespace ${nsOf(gw)}`);
          else if (typeof cm.doc.data?.[key] !== "string")
            problem(cm.where, `data.${key} (the gateway config) is missing`);
          else {
            gatewayConfigText = cm.doc.data[key];
            try {
              gatewayConfig = JSON.parse(gatewayConfigText);
              if (!isObj(gatewayConfig)) throw new Error("not a JSON object");
            } catch (e) {
              problem(cm.where, `data.${key} is not valid JSON: ${e.message}`);
              gatewayConfig = null;
            }
          }
        }
      }
    }

    // Ports and probes.
    const portNumbers = (c.ports ?? []).map((p) => p.containerPort);
    if (!portNumbers.includes(ADMIN_PORT)) problem(cw, `containerPort ${ADMIN_PORT} (admin) is not declared`);
    if (!portNumbers.includes(PUBLIC_PORT)) problem(cw, `containerPort ${PUBLIC_PORT} (public) is not declared`);
    const probeCheck = (name, paths, required) => {
      const probe = c[name];
      if (!probe) {
        if (required) problem(cw, `${name} is missing`);
        return;
      }
      if (!probe.httpGet) return problem(cw, `${name} must be an httpGet probe`);
      const port = resolvePort(c, probe.httpGet.port);
      if (port !== ADMIN_PORT)
        problem(cw, `${name} must call port ${ADMIN_PORT} (the admin listener), not ${probe.httpGet.port}`);
      if (!paths.includes(probe.httpGet.path))
        problem(cw, `${name} must call ${paths.join(" or ")}, not ${probe.httpGet.path}`);
    };
    probeCheck("readinessProbe", [READY_PATH], true);
    probeCheck("livenessProbe", [LIVE_PATH], true);
    probeCheck("startupProbe", [LIVE_PATH, READY_PATH], false);

    // Listener addresses from the environment (a gateway.json Admin:Urls takes precedence over Admin__Urls).
    const env = Object.fromEntries((c.env ?? []).filter((e) => "value" in e).map((e) => [e.name, e.value]));
    if ("Admin__Urls" in env && !bindsAll(env.Admin__Urls, ADMIN_PORT))
      problem(cw, `env Admin__Urls=${env.Admin__Urls} must bind 0.0.0.0:${ADMIN_PORT}`);
    if ("ASPNETCORE_URLS" in env && !bindsAll(env.ASPNETCORE_URLS, PUBLIC_PORT))
      problem(cw, `env ASPNETCORE_URLS=${env.ASPNETCORE_URLS} must bind 0.0.0.0:${PUBLIC_PORT}`);
    const urlsArg = argValue(args, "--urls");
    if (urlsArg !== undefined && !bindsAll(urlsArg, PUBLIC_PORT))
      problem(cw, `--urls ${urlsArg} must bind 0.0.0.0:${PUBLIC_PORT}`);

    // Services in front of the gateway.
    const gwServices = byKind("Service").filter(
      (s) => nsOf(s) === nsOf(gw) && selects(s.doc.spec?.selector, podLabelsOf(gw)),
    );
    const publicPorts = gwServices.flatMap((s) =>
      (s.doc.spec.ports ?? []).filter((p) => targetPortOf(p, gw) === PUBLIC_PORT).map((p) => ({ s, p })),
    );
    if (!publicPorts.some(({ p }) => p.port === 80))
      problem("gateway", `no Service port 80 reaches the gateway's public listener (${PUBLIC_PORT})`);
    for (const { s, p } of gwServices.flatMap((s) => (s.doc.spec.ports ?? []).map((p) => ({ s, p })))) {
      if (targetPortOf(p, gw) === ADMIN_PORT && p.name !== "metrics")
        problem(s.where, `the admin port ${ADMIN_PORT} may only be exposed as a port named "metrics"`);
      if (targetPortOf(p, gw) === ADMIN_PORT && s.doc.spec.type && s.doc.spec.type !== "ClusterIP")
        problem(s.where, `the admin port ${ADMIN_PORT} must not be on a ${s.doc.spec.type} Service`);
    }

    // Shutdown timing.
    const grace = spec.terminationGracePeriodSeconds ?? K8S_DEFAULT_GRACE;
    const preStop = c.lifecycle?.preStop;
    let sleep;
    if (preStop?.sleep) sleep = preStop.sleep.seconds;
    else if (preStop?.exec?.command) {
      const cmd = preStop.exec.command.map(String);
      const m =
        cmd.length === 2 && /(^|\/)sleep$/.test(cmd[0])
          ? [null, cmd[1]]
          : /^\s*(?:exec\s+)?sleep\s+([0-9]+)\s*$/.exec(
              cmd.length === 3 && /(^|\/)(ba)?sh$/.test(cmd[0]) && cmd[1] === "-c" ? cmd[2] : "",
            );
      if (m && /^[0-9]+$/.test(m[1])) sleep = Number(m[1]);
    }
    if (preStop === undefined) problem(cw, "lifecycle.preStop (a sleep while the endpoints update) is missing");
    else if (typeof sleep !== "number")
      problem(cw, 'lifecycle.preStop must be `sleep N` (exec ["sleep", "N"] or sleep.seconds)');
    let drain = DEFAULT_DRAIN_DELAY;
    let shutdown = DEFAULT_SHUTDOWN_TIMEOUT;
    if (gatewayConfig) {
      // As the gateway reads them, highest first: a container argument (--Lifecycle:Key VALUE or =VALUE, any case),
      // the file, an environment variable (Lifecycle__Key).
      const lc = gatewayConfig.Lifecycle ?? {};
      const env = Object.fromEntries((c.env ?? []).filter((e) => "value" in e).map((e) => [String(e.name).toLowerCase(), e.value]));
      for (const [key, set] of [
        ["DrainDelaySeconds", (v) => (drain = v)],
        ["ShutdownTimeoutSeconds", (v) => (shutdown = v)],
      ]) {
        const fromArgs = lifecycleArg(args, key);
        const [raw, where] =
          fromArgs !== undefined ? [fromArgs, cw + " args"]
          : lc[key] !== undefined ? [lc[key], "gateway.json"]
          : [env[`lifecycle__${key}`.toLowerCase()], cw + " env"];
        if (raw === undefined) continue;
        const v = typeof raw === "string" && /^[0-9]+(\.[0-9]+)?$/.test(raw) ? Number(raw) : raw;
        if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
          problem(where, `Lifecycle.${key} must be a non-negative number of seconds`);
        else set(v);
      }
      if (!isObj(gatewayConfig.Lifecycle))
        problem(
          "gateway.json",
          "Lifecycle (DrainDelaySeconds, ShutdownTimeoutSeconds) is not set; state the shutdown timing explicitly",
        );
    }
    if (typeof sleep === "number") {
      const need = sleep + drain + shutdown + GRACE_MARGIN;
      if (grace < need)
        problem(
          gw.where,
          `terminationGracePeriodSeconds ${grace}${spec.terminationGracePeriodSeconds === undefined ? " (default)" : ""} < preStop sleep ${sleep} + Lifecycle.DrainDelaySeconds ${drain} + Lifecycle.ShutdownTimeoutSeconds ${shutdown} + ${GRACE_MARGIN} = ${need}`,
        );
      summary.grace = `grace ${grace}s >= ${sleep}+${drain}+${shutdown}+${GRACE_MARGIN}`;
    }

    // The gateway config: admin listener and destinations.
    if (gatewayConfig) {
      const adminUrls = gatewayConfig.Admin?.Urls;
      if (!bindsAll(adminUrls, ADMIN_PORT))
        problem(
          "gateway.json",
          `Admin.Urls (${adminUrls ?? "unset: the default binds loopback only"}) must bind 0.0.0.0:${ADMIN_PORT} so the kubelet and Prometheus reach it`,
        );
      // The file's urls override ASPNETCORE_URLS (the gateway's settings are case-insensitive).
      const urlsKey = Object.keys(gatewayConfig).find((k) => k.toLowerCase() === "urls");
      if (urlsKey !== undefined && !bindsAll(gatewayConfig[urlsKey], PUBLIC_PORT))
        problem("gateway.json", `${urlsKey} (${gatewayConfig[urlsKey]}) must bind 0.0.0.0:${PUBLIC_PORT}, the port the Services send to`);
      const pool = [...objects, ...extraObjects];
      summary.destinations = checkDestinations(gatewayConfig, nsOf(gw), {
        objects: pool,
        problem,
        note: (message) => notes.push(message),
        backendsOf: (svc) =>
          pool.filter(
            (w) =>
              POD_TEMPLATE_KINDS.has(w.doc.kind) &&
              nsOf(w) === nsOf(svc) &&
              selects(svc.doc.spec?.selector, podLabelsOf(w)),
          ),
        targetPortOf,
        containersOf,
        imageRepo,
        argValue,
        parseUrls,
        gatewayImage: GATEWAY_IMAGE,
        checkedWhere: extraPaths.length ? "these manifests" : "the manifests here",
      });
    }
  }

  // ---- 2c. the kustomization ------------------------------------------------------------------------------------
  if (!kustomization) {
    problem(KUSTOMIZATION_FILE, "no Kustomization found");
  } else {
    const k = kustomization;
    if (k.file !== KUSTOMIZATION_FILE) problem(k.where, `the Kustomization must be in ${KUSTOMIZATION_FILE}`);
    if (k.doc.apiVersion !== "kustomize.config.k8s.io/v1beta1")
      problem(k.where, `apiVersion must be kustomize.config.k8s.io/v1beta1, not ${k.doc.apiVersion}`);
    const listed = Array.isArray(k.doc.resources) ? k.doc.resources : [];
    if (!Array.isArray(k.doc.resources)) problem(k.where, "resources must be a list");
    const present = files.filter((f) => f !== k.file);
    for (const f of present) if (!listed.includes(f)) problem(k.where, `resources does not list ${f}`);
    for (const r of listed)
      if (!present.includes(r)) problem(k.where, `resources lists ${r}, which is not a YAML file here`);
    const dup = listed.filter((r, i) => listed.indexOf(r) !== i);
    if (dup.length) problem(k.where, `resources lists ${[...new Set(dup)].join(", ")} twice`);
    const images = Array.isArray(k.doc.images) ? k.doc.images : [];
    if (!images.some((i) => i?.name === GATEWAY_IMAGE && (i.newTag || i.digest || i.newName)))
      problem(
        k.where,
        `images must have an entry name: ${GATEWAY_IMAGE} (newName/newTag) so the registry and tag are set in one place`,
      );
    for (const o of objects)
      for (const c of containersOf(o)) {
        if (
          typeof c.image === "string" &&
          !images.some((i) => i?.name === c.image.split("@")[0].replace(/:[^:/]*$/, ""))
        )
          problem(`${o.where} container ${c.name}`, `image ${c.image} is not covered by the kustomization's images`);
      }
  }
} catch (e) {
  problem("validate.mjs", `internal error while checking consistency (fix the problems above first?): ${e.stack}`);
}

// ---- output -------------------------------------------------------------------------------------------------------
if (outFile && gatewayConfigText !== null) {
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, gatewayConfigText);
} else if (outFile) {
  problem("gateway.json", `not written to ${outFile}: the gateway's ConfigMap could not be found`);
}
finish();

function finish() {
  const relative = path.relative(process.cwd(), dir);
  const shownDir = relative.startsWith("..") || path.isAbsolute(relative) ? dir : relative || ".";
  if (problems.length) {
    console.error(`validate.mjs: ${shownDir}: ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log(
    `${shownDir}: OK: ${objects.length} objects in ${files.length} files valid against kubernetes-models ${modelsVersion}; ` +
      `${summary.grace}; probes on :${ADMIN_PORT}; ${summary.destinations}` +
      (outFile ? `; gateway.json written to ${outFile}` : ""),
  );
  for (const n of notes) console.log(`  note: ${n}`);
  process.exit(0);
}

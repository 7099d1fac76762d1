// The gateway config's destinations against the manifests: every Address that names a Kubernetes Service must name
// one that the manifests checked define, on one of its ports, and when the Service's pods run the gateway image's
// `echo` demo backend, in the destination's lane. Plain addresses (IP addresses, host names outside the cluster's
// Service names) are the user's to vouch for: accepted, with a note.

const IPV4 = /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/;

/**
 * What an Address host means to the cluster's DNS, seen from a pod in `gatewayNamespace`:
 *   name                           -> Service name in the gateway's namespace
 *   name.namespace                 -> Service, when namespace is one the manifests know (else an external host)
 *   name.namespace.svc[.domain...] -> Service (any cluster domain)
 * and anything else (IP addresses, localhost, other host names) -> null, a plain address.
 */
export function serviceOf(hostname, gatewayNamespace, knownNamespaces) {
  const host = hostname.replace(/\.$/, "").toLowerCase();
  if (host.startsWith("[") || IPV4.test(host) || host === "localhost") return null;
  const labels = host.split(".");
  if (labels.length === 1) return { name: labels[0], ns: gatewayNamespace };
  if (labels.length >= 3 && labels[2] === "svc") return { name: labels[0], ns: labels[1] };
  if (labels.length === 2 && knownNamespaces.has(labels[1])) return { name: labels[0], ns: labels[1] };
  return null;
}

function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * ctx: { objects (every manifest object, the --manifests ones included), problem(where, message),
 *        note(message), backendsOf(service), targetPortOf(svcPort, workload), containersOf(workload),
 *        imageRepo(image), argValue(args, name), parseUrls(value), gatewayImage, checkedWhere }
 * Returns the summary text.
 */
export function checkDestinations(config, gatewayNamespace, ctx) {
  const { objects, problem, note } = ctx;
  const nsOf = (o) => o.doc.metadata?.namespace;
  const services = objects.filter((o) => o.doc.kind === "Service");
  const knownNamespaces = new Set(
    objects.map((o) => (o.doc.kind === "Namespace" ? o.doc.metadata?.name : nsOf(o))).filter(Boolean),
  );
  knownNamespaces.add(gatewayNamespace);
  const clusters = config.ReverseProxy?.Clusters;
  if (clusters === null || typeof clusters !== "object" || Object.keys(clusters).length === 0) {
    problem("gateway.json", "ReverseProxy.Clusters is empty");
    return "no destinations";
  }
  let toServices = 0;
  let plain = 0;
  for (const [clusterId, cluster] of Object.entries(clusters)) {
    for (const [destId, dest] of Object.entries(cluster?.Destinations ?? {})) {
      const where = `gateway.json cluster ${clusterId} destination ${destId}`;
      let url;
      try {
        url = new URL(dest?.Address);
      } catch {
        problem(where, `Address ${dest?.Address} is not a URL`);
        continue;
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        problem(where, `Address ${dest.Address} must be an http:// or https:// URL`);
        continue;
      }
      const target = serviceOf(url.hostname, gatewayNamespace, knownNamespaces);
      if (!target) {
        plain++;
        const labels = url.hostname.split(".");
        note(
          `${where}: ${dest.Address} is a plain address, not a Service of the manifests: the gateway's pods must reach it as it is` +
            (labels.length === 2
              ? ` (if it means Service ${labels[0]} in namespace ${labels[1]}: no manifest checked has that namespace)`
              : ""),
        );
        continue;
      }
      const { name, ns } = target;
      const service = services.find((s) => s.doc.metadata?.name === name && nsOf(s) === ns);
      if (!service) {
        const ids = services.map((s) => `${nsOf(s)}/${s.doc.metadata?.name}`);
        const near = ids.filter((id) => distance(id, `${ns}/${name}`) <= 2);
        const sameNs = ids.filter((id) => id.startsWith(`${ns}/`));
        const listed = (sameNs.length ? sameNs : ids).slice(0, 10);
        problem(
          where,
          `Address ${dest.Address} names Service ${ns}/${name}, which none of the manifests checked defines` +
            (near.length ? ` (did you mean ${near.join(" or ")}?)` : "") +
            `. Services there${sameNs.length ? ` in ${ns}` : ""}: ${listed.join(", ") || "none"}` +
            `${listed.length < (sameNs.length || ids.length) ? ", ..." : ""}. ` +
            `Define it in ${ctx.checkedWhere}, add the manifests that define it with --manifests PATH ` +
            "(a file or folder, e.g. the output of `kubectl get services -A -o yaml`), or give an IP address",
        );
        continue;
      }
      toServices++;
      if (service.doc.spec?.type === "ExternalName") continue;
      const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
      const svcPort = (service.doc.spec?.ports ?? []).find((p) => p.port === port);
      if (!svcPort) {
        const ports = (service.doc.spec?.ports ?? []).map((p) => p.port).join(", ") || "none";
        problem(where, `Address port ${port} is not a port of Service ${ns}/${name} (its ports: ${ports})`);
        continue;
      }
      // The gateway image's echo backend says which lane it runs: it must be the destination's lane.
      const lane = dest.Metadata?.lane ?? "base";
      for (const w of ctx.backendsOf(service)) {
        for (const c of ctx.containersOf(w)) {
          if (ctx.imageRepo(c.image ?? "") !== ctx.gatewayImage || c.args?.[0] !== "echo") continue;
          const runs = ctx.argValue(c.args, "--lane") ?? "base";
          if (runs !== lane)
            problem(
              where,
              `is in lane ${lane} but Service ${ns}/${name} selects ${w.doc.kind}/${w.doc.metadata.name}, which runs --lane ${runs}`,
            );
          const listen = ctx.argValue(c.args, "--urls");
          const targetPort = ctx.targetPortOf(svcPort, w);
          if (listen !== undefined && !ctx.parseUrls(listen).some((u) => u.port === targetPort))
            problem(
              where,
              `Service ${ns}/${name} targets port ${targetPort} but ${w.doc.metadata.name} listens on ${listen}`,
            );
        }
      }
    }
  }
  return `${toServices + plain} destinations: ${toServices} to Services of the manifests, ${plain} plain addresses`;
}

// VS Code's http.noProxy and the NO_PROXY environment: hosts (and their subdomains), .domain / *.domain,
// host:port, IPv4 and [IPv6] addresses, CIDR ranges, and `*`.
import { BlockList, isIP } from 'node:net';

export type NoProxyRule = { text: string } & (
  | { kind: 'all' }
  | { kind: 'host'; host: string; port: number | undefined }
  | { kind: 'cidr'; net: BlockList }
);

export function parseNoProxy(entries: readonly string[]): NoProxyRule[] {
  const rules: NoProxyRule[] = [];
  for (const item of entries.flatMap((e) => e.split(/[\s,;]+/))) {
    const text = item.trim().toLowerCase();
    if (!text) continue;
    if (text === '*') {
      rules.push({ text, kind: 'all' });
      continue;
    }
    const entry = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/\/+$/, '');
    const cidr = /^\[?([0-9a-f.:]+)\]?\/(\d{1,3})$/.exec(entry);
    if (cidr) {
      const family = isIP(cidr[1]!);
      const bits = Number(cidr[2]);
      if (family && bits <= (family === 4 ? 32 : 128)) {
        const net = new BlockList();
        net.addSubnet(cidr[1]!, bits, family === 4 ? 'ipv4' : 'ipv6');
        rules.push({ text, kind: 'cidr', net });
      }
      continue;
    }
    let host = entry;
    let port: string | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) [, host = '', port] = bracketed;
    else if (isIP(entry) !== 6) [, host = entry, port] = /^(.*?)(?::(\d+))?$/.exec(entry) ?? [];
    host = normalizeHost(host.replace(/^\*?\./, ''));
    if (host) rules.push({ text, kind: 'host', host, port: port ? Number(port) : undefined });
  }
  return rules;
}

function normalizeHost(host: string): string {
  const h = host.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (isIP(h) === 6) {
    try {
      return new URL(`http://[${h}]`).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return h;
    }
  }
  return h;
}

export function bypasses(rules: readonly NoProxyRule[], url: URL): boolean {
  if (!rules.length) return false;
  const host = normalizeHost(url.hostname);
  const port = Number(url.port) || (url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80);
  const family = isIP(host);
  return rules.some((rule) => {
    if (rule.kind === 'all') return true;
    if (rule.kind === 'cidr') return family !== 0 && rule.net.check(host, family === 4 ? 'ipv4' : 'ipv6');
    if (rule.port !== undefined && rule.port !== port) return false;
    return host === rule.host || (family === 0 && host.endsWith(`.${rule.host}`));
  });
}

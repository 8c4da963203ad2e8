// The certificates a dispatcher trusts: Node's defaults plus the user's extra CA file, never instead of them.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** The certificates of a PEM text, each checked. Throws a TypeError when there is none or one is broken. */
export function extraCertificates(pem: string): string[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (!blocks.length) throw new TypeError('The extra CA certificates hold no PEM certificate (-----BEGIN CERTIFICATE-----).');
  return blocks.map((block, i) => {
    try {
      new X509Certificate(block);
    } catch (e) {
      throw new TypeError(`Extra CA certificate ${i + 1} is not a valid certificate: ${(e as Error).message}`);
    }
    return `${block}\n`;
  });
}

/** What Node trusts by default: its bundled roots, plus NODE_EXTRA_CA_CERTS (and the system store on newer Node). */
export function defaultCaCertificates(): readonly string[] {
  const newer = tls as unknown as { getCACertificates?: (type: 'default') => string[] };
  if (typeof newer.getCACertificates === 'function') return newer.getCACertificates('default');
  const roots = [...tls.rootCertificates];
  const extraFile = process.env.NODE_EXTRA_CA_CERTS;
  if (extraFile) {
    try {
      roots.push(...(readFileSync(extraFile, 'utf8').match(PEM_CERTIFICATE) ?? []));
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS.
    }
  }
  return roots;
}

// @peculiar/x509 needs a Reflect metadata polyfill loaded before it.
import "reflect-metadata";
import { webcrypto, X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 24 * 3600 * 1000;
/** A site CA outlives the hardware; the server certificate is reissued from it when needed. */
const CA_DAYS = 20 * 365;
const SERVER_DAYS = 2 * 365;
/** A server certificate this close to its end is reissued at start. */
const RENEW_DAYS = 30;

/** Where the site CA and the gateway's server certificate live in the data directory. */
export function siteCaPaths(dataDir: string) {
  const dir = join(dataDir, "tls");
  return {
    dir,
    caKey: join(dir, "ca.key"),
    caCert: join(dir, "ca.pem"),
    serverKey: join(dir, "server.key"),
    serverCert: join(dir, "server.pem"),
  };
}

export interface SiteCa {
  /** PEM: the CA nodes pin. */
  ca: string;
  /** PEM: the gateway's server certificate and its key. */
  cert: string;
  key: string;
  caPath: string;
  /** True when this start created or reissued something (for the logs). */
  created: "ca" | "server" | undefined;
}

/**
 * The site CA, created at first start: an ECDSA P-256 CA in `<dataDir>/tls`
 * and a server certificate it signs for `names` (host names and IPs the
 * nodes use to reach the gateway). The server certificate is reissued when
 * a name is missing from it or it nears its end; the CA is never replaced,
 * so nodes that pinned it keep trusting the gateway.
 */
export async function ensureSiteCa(
  dataDir: string,
  names: readonly string[],
  now = new Date(),
): Promise<SiteCa> {
  const paths = siteCaPaths(dataDir);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  let created: SiteCa["created"];
  if (!existsSync(paths.caKey) || !existsSync(paths.caCert)) {
    const keys = await newKeyPair();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: "CN=Comptoir site CA",
      notBefore: new Date(now.getTime() - DAY_MS),
      notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
      signingAlgorithm: ALGORITHM,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    await writeAtomic(paths.caKey, await keyPem(keys.privateKey), 0o600);
    await writeAtomic(paths.caCert, cert.toString("pem"), 0o644);
    created = "ca";
  }
  const caPem = await readFile(paths.caCert, "utf8");
  if (created || serverNeedsIssue(paths, names, now)) {
    await issueServer(paths, caPem, names, now);
    created ??= "server";
  }
  return {
    ca: caPem,
    cert: await readFile(paths.serverCert, "utf8"),
    key: await readFile(paths.serverKey, "utf8"),
    caPath: paths.caCert,
    created,
  };
}

function serverNeedsIssue(
  paths: ReturnType<typeof siteCaPaths>,
  names: readonly string[],
  now: Date,
): boolean {
  if (!existsSync(paths.serverKey) || !existsSync(paths.serverCert)) return true;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(readFileSync(paths.serverCert, "utf8"));
  } catch {
    // Damaged (a torn write, an edit): the gateway's own file, issued again from the CA.
    return true;
  }
  if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_DAYS * DAY_MS) return true;
  const held = (cert.subjectAltName ?? "").split(", ");
  return names.some((name) => !held.includes(altName(name)));
}

/** A name as Node's `subjectAltName` shows it (IPv6 written out in full, without leading zeros). */
function altName(name: string): string {
  if (isIP(name) === 4) return `IP Address:${name}`;
  if (isIP(name) !== 6) return `DNS:${name}`;
  const [head = "", tail = ""] = name.split("::");
  const left = head ? head.split(":") : [];
  const right = name.includes("::") && tail ? tail.split(":") : [];
  const groups = name.includes("::")
    ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `IP Address:${groups.map((group) => Number.parseInt(group, 16).toString(16).toUpperCase()).join(":")}`;
}

async function issueServer(
  paths: ReturnType<typeof siteCaPaths>,
  caPem: string,
  names: readonly string[],
  now: Date,
): Promise<void> {
  const caCert = new x509.X509Certificate(caPem);
  const caKey = await webcrypto.subtle.importKey(
    "pkcs8",
    x509.PemConverter.decodeFirst(await readFile(paths.caKey, "utf8")),
    ALGORITHM,
    false,
    ["sign"],
  );
  const keys = await newKeyPair();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${names.find((name) => !isIP(name)) ?? "comptoir-gateway"}`,
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + SERVER_DAYS * DAY_MS),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        names.map((name) => ({ type: isIP(name) ? "ip" : "dns", value: name })),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  await writeAtomic(paths.serverKey, await keyPem(keys.privateKey), 0o600);
  await writeAtomic(paths.serverCert, cert.toString("pem"), 0o644);
}

/** A fresh extractable key pair for a certificate (the CA's or the server's). */
async function newKeyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key);
  return `${x509.PemConverter.encode(der, "PRIVATE KEY")}\n`;
}

function serial(): string {
  // Positive 128-bit serial: clear the top bit so DER does not read it as negative.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] as number) & 0x7f;
  return Buffer.from(bytes).toString("hex");
}

/** tmp → rename: a crash mid-write never leaves half a key. */
async function writeAtomic(path: string, text: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, text, { mode });
  await rename(tmp, path);
}

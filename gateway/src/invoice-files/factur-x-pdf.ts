import type { InputProblem } from "@comptoir/contracts";
import {
  decodePDFRawStream,
  EncryptedPDFError,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  type PDFObject,
  PDFRawStream,
  PDFString,
} from "pdf-lib";
import type { PdfLimitHit } from "../file-readers/parse-result.js";
import { InflateLimitError } from "./inflate-budget.js";

/**
 * A Factur-X / ZUGFeRD invoice is a PDF/A-3 carrying its CII XML as an
 * embedded file. This finds that file (the EmbeddedFiles name tree, and the
 * catalog's /AF list that PDF/A-3 adds) and decodes it; reading the XML is
 * the CII parser's job.
 */

/** Names the standards give the XML (ZUGFeRD 1 and 2, Factur-X, XRechnung), preferred in this order. */
export const FACTURX_FILE_NAMES = ["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"];

/** An invoice XML is a few hundred kilobytes; past this it is a mistake or a decompression bomb. */
export const MAX_EMBEDDED_XML_BYTES = 10 * 1024 * 1024;

/** Deep enough for any real name tree, shallow enough that a crafted one cannot exhaust the stack. */
const MAX_TREE_DEPTH = 32;

const CHUNK = 64 * 1024;

export type FacturXmlResult =
  | { ok: true; xml: string; name: string }
  | { ok: false; problems: InputProblem[]; limit?: PdfLimitHit };

interface Attachment {
  name: string;
  spec: PDFDict;
}

const refuse = (message: string): FacturXmlResult => ({
  ok: false,
  problems: [{ path: "", message }],
});

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The invoice XML embedded in a Factur-X / ZUGFeRD PDF, or why it cannot be had. */
export async function extractFacturXml(
  bytes: Uint8Array,
  options: { maxXmlBytes?: number } = {},
): Promise<FacturXmlResult> {
  const limit = options.maxXmlBytes ?? MAX_EMBEDDED_XML_BYTES;
  if (!hasPdfHeader(bytes))
    return refuse("not a PDF: the file does not start with %PDF- — send the PDF itself");
  let attachments: Attachment[];
  try {
    // Strict: a damaged object is refused rather than guessed at (pdf-lib would also warn on the console).
    const document = await PDFDocument.load(bytes, {
      updateMetadata: false,
      throwOnInvalidObject: true,
    });
    attachments = listAttachments(document.catalog);
  } catch (error) {
    // Over the worker's inflation budget: the worker answers that limit, not "damaged".
    if (error instanceof InflateLimitError) throw error;
    if (error instanceof EncryptedPDFError)
      return refuse(
        "the PDF is encrypted, so its embedded files cannot be read — send it without a password",
      );
    return refuse(`the PDF is damaged: ${reason(error)} — ask the sender for the file again`);
  }
  for (const wanted of FACTURX_FILE_NAMES) {
    const found = attachments.find((file) => baseName(file.name) === wanted);
    if (found) return readXml(found, limit);
  }
  // A sender that names the file otherwise: take the first XML attachment that is a CII invoice.
  for (const file of attachments.filter((file) => baseName(file.name).endsWith(".xml"))) {
    const read = readXml(file, limit);
    if (read.ok && /<(\w+:)?CrossIndustryInvoice[\s>]/.test(read.xml)) return read;
  }
  const names = attachments.map((file) => file.name);
  return refuse(
    `the PDF carries no Factur-X/ZUGFeRD XML (embedded files: ${names.length ? names.join(", ") : "none"}) — expected one named ${FACTURX_FILE_NAMES.join(", ")}`,
  );
}

function hasPdfHeader(bytes: Uint8Array): boolean {
  // The header may follow a little junk (the PDF spec lets readers look in the first 1024 bytes).
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  return head.includes("%PDF-");
}

function baseName(name: string): string {
  return (name.split(/[\\/]/).pop() ?? name).toLowerCase();
}

function text(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString
    ? value.decodeText()
    : undefined;
}

/** Every file specification of the document, from the name tree then /AF, each once. */
function listAttachments(catalog: PDFDict): Attachment[] {
  const found: Attachment[] = [];
  const names = catalog.lookupMaybe(PDFName.of("Names"), PDFDict);
  const tree = names?.lookupMaybe(PDFName.of("EmbeddedFiles"), PDFDict);
  if (tree) walkNameTree(tree, found, new Set(), 0);
  const associated = catalog.lookupMaybe(PDFName.of("AF"), PDFArray);
  for (let index = 0; index < (associated?.size() ?? 0); index++) {
    const spec = associated?.lookup(index);
    if (spec instanceof PDFDict && !found.some((file) => file.spec === spec))
      found.push({ name: fileName(spec) ?? `attachment ${found.length + 1}`, spec });
  }
  return found;
}

/** A name tree node holds /Names [key spec key spec …] and/or /Kids [node …]. */
function walkNameTree(node: PDFDict, found: Attachment[], seen: Set<PDFDict>, depth: number) {
  if (depth > MAX_TREE_DEPTH || seen.has(node))
    throw new Error("its EmbeddedFiles name tree loops or is nested too deep");
  seen.add(node);
  const names = node.lookupMaybe(PDFName.of("Names"), PDFArray);
  for (let index = 0; index + 1 < (names?.size() ?? 0); index += 2) {
    const spec = names?.lookup(index + 1);
    if (spec instanceof PDFDict)
      found.push({
        name: fileName(spec) ?? text(names?.lookup(index)) ?? `attachment ${found.length + 1}`,
        spec,
      });
  }
  const kids = node.lookupMaybe(PDFName.of("Kids"), PDFArray);
  for (let index = 0; index < (kids?.size() ?? 0); index++) {
    const kid = kids?.lookup(index);
    if (kid instanceof PDFDict) walkNameTree(kid, found, seen, depth + 1);
  }
}

/** The file name of a file specification: its Unicode name (/UF) first, as PDF 1.7 advises. */
function fileName(spec: PDFDict): string | undefined {
  return text(spec.lookup(PDFName.of("UF"))) ?? text(spec.lookup(PDFName.of("F")));
}

/** The embedded file's bytes, decoded and bounded, as UTF-8 text. */
function readXml(file: Attachment, limit: number): FacturXmlResult {
  const files = file.spec.lookup(PDFName.of("EF"));
  const stream =
    files instanceof PDFDict
      ? (files.lookup(PDFName.of("UF")) ?? files.lookup(PDFName.of("F")))
      : undefined;
  if (!(stream instanceof PDFRawStream))
    return refuse(`the PDF is damaged: the embedded file ${file.name} has no contents`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    // Read in slices and stop past the bound, so an inflated bomb costs no more than the bound.
    const decoded = decodePDFRawStream(stream);
    for (let chunk = decoded.getBytes(CHUNK); chunk.length > 0; chunk = decoded.getBytes(CHUNK)) {
      size += chunk.length;
      if (size > limit)
        return refuse(
          `the embedded file ${file.name} is over ${limit.toLocaleString("en")} bytes — too large for an invoice XML`,
        );
      chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    }
  } catch (error) {
    if (error instanceof InflateLimitError) throw error;
    return refuse(`the embedded file ${file.name} cannot be decoded: ${reason(error)}`);
  }
  try {
    return {
      ok: true,
      xml: new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)),
      name: file.name,
    };
  } catch {
    return refuse(`the embedded file ${file.name} is not UTF-8 text`);
  }
}

import { AFRelationship, PDFArray, PDFDict, PDFDocument, PDFName, type PDFObject } from "pdf-lib";

/**
 * Builds Factur-X-like PDFs for tests with pdf-lib: one blank page and the
 * given files attached. The XML comes from our own fixtures; no third-party
 * sample is copied.
 */
export interface Attached {
  name: string;
  content: string | Uint8Array;
  mimeType?: string;
}

export interface PdfLayout {
  /** The EmbeddedFiles name tree split into one /Kids node per file, as large producers write it. */
  nested?: boolean;
  /** The files listed only in the catalog's /AF (no name tree), as some PDF/A-3 writers leave them. */
  associatedOnly?: boolean;
}

export async function facturXPdf(files: Attached[], layout: PdfLayout = {}): Promise<Uint8Array> {
  const document = await PDFDocument.create({ updateMetadata: false });
  document.addPage([595, 842]);
  for (const file of files)
    await document.attach(
      typeof file.content === "string" ? new TextEncoder().encode(file.content) : file.content,
      file.name,
      { mimeType: file.mimeType ?? "text/xml", afRelationship: AFRelationship.Alternative },
    );
  // pdf-lib writes attachments as a flat name tree on save; reload to rearrange it.
  const saved = await PDFDocument.load(await document.save(), { updateMetadata: false });
  if (layout.nested || layout.associatedOnly) rearrange(saved, layout);
  return saved.save({ useObjectStreams: false });
}

function rearrange(document: PDFDocument, layout: PdfLayout) {
  const { catalog, context } = document;
  const names = catalog.lookup(PDFName.of("Names"), PDFDict);
  const tree = names.lookup(PDFName.of("EmbeddedFiles"), PDFDict);
  const flat = tree.lookup(PDFName.of("Names"), PDFArray);
  const pairs: [PDFObject, PDFObject][] = [];
  for (let index = 0; index + 1 < flat.size(); index += 2)
    pairs.push([flat.get(index), flat.get(index + 1)]);
  if (layout.associatedOnly) {
    catalog.delete(PDFName.of("Names"));
    catalog.set(PDFName.of("AF"), context.obj(pairs.map(([, spec]) => spec)));
    return;
  }
  const kids = pairs.map(([key, spec]) =>
    context.register(context.obj({ Names: [key, spec], Limits: [key, key] })),
  );
  names.set(PDFName.of("EmbeddedFiles"), context.obj({ Kids: kids }));
}

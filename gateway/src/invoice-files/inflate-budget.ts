import { decodePDFRawStream, PDFContext, PDFDict, PDFName, PDFRawStream } from "pdf-lib";

/**
 * pdf-lib inflates every object stream while it loads a document, before
 * anyone can look at a size: a 400 KB file of compressed zeros grew to
 * 940 MB. Its decoders (Flate, LZW, RunLength, ASCII85, ASCIIHex) all grow
 * one buffer through DecodeStream.ensureBuffer; a worker thread caps what
 * they may grow to, in total, for the one document it reads. The heap
 * limit of the worker does not cover these buffers (they live outside the
 * JavaScript heap), hence this budget.
 */

export class InflateLimitError extends Error {
  override name = "InflateLimitError";
  constructor(readonly limit: number) {
    super(`the PDF's compressed streams inflate to more than ${limit.toLocaleString("en")} bytes`);
  }
}

interface DecodeStreamLike {
  ensureBuffer(requested: number): Uint8Array;
  buffer: Uint8Array;
}

export interface InflationBudget {
  /** Set once a decoder asked past the limit: pdf-lib may catch the error and call the file invalid. */
  readonly exceeded: boolean;
}

/** Caps the bytes all of pdf-lib's stream decoders may allocate from now on in this thread. */
export function limitInflation(limit: number): InflationBudget {
  // The decoder class is not exported: reach its prototype through a decoder pdf-lib makes.
  const context = PDFContext.create();
  const dict = PDFDict.withContext(context);
  dict.set(PDFName.of("Filter"), PDFName.of("ASCIIHexDecode"));
  const sample = decodePDFRawStream(PDFRawStream.of(dict, new Uint8Array(0)));
  let proto: object | null = Object.getPrototypeOf(sample);
  while (proto && !Object.hasOwn(proto, "ensureBuffer")) proto = Object.getPrototypeOf(proto);
  if (!proto)
    throw new Error("pdf-lib's DecodeStream was not found: its inflation cannot be capped");
  const decoder = proto as DecodeStreamLike;
  const grow = decoder.ensureBuffer;
  const budget = { exceeded: false };
  let spent = 0;
  const over = () => {
    budget.exceeded = true;
    return new InflateLimitError(limit);
  };
  decoder.ensureBuffer = function (this: DecodeStreamLike, requested: number) {
    const before = this.buffer?.byteLength ?? 0;
    if (requested <= before) return this.buffer;
    // The decoder doubles its buffer: count what it allocates, refuse before a request past the limit.
    if (spent + requested - before > limit) throw over();
    const grown = grow.call(this, requested);
    spent += grown.byteLength - before;
    if (spent > limit) throw over();
    return grown;
  };
  return budget;
}

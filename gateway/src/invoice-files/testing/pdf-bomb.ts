import { createDeflate } from "node:zlib";

/** `total` zero bytes, deflated in 1 MiB slices: the test never holds them inflated. */
async function deflatedZeros(total: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  deflate.on("data", (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve) => deflate.on("end", resolve));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < total; written += zeros.length)
    if (!deflate.write(zeros)) await new Promise((resolve) => deflate.once("drain", resolve));
  deflate.end();
  await ended;
  return Buffer.concat(out);
}

/**
 * A small PDF whose one object stream (/Type /ObjStm, which pdf-lib
 * inflates while loading) holds `inflated` bytes of zeros: about a
 * thousandth of that on disk.
 */
export async function pdfBomb(inflated: number): Promise<Uint8Array> {
  const body = await deflatedZeros(inflated);
  return Buffer.concat([
    Buffer.from(
      `%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${body.length} >>\nstream\n`,
    ),
    body,
    Buffer.from(
      "\nendstream\nendobj\n2 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 2 0 R >>\n%%EOF\n",
    ),
  ]);
}

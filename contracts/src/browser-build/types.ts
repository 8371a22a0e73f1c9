/** One built file as a server sends it. */
export interface BrowserAsset {
  body: string;
  /** The Content-Type header, with its charset. */
  type: string;
}

/** A bundle's files by name (`main.js`, `style.css`, `main.js.map`…), as served under one path. */
export type BrowserAssets = Readonly<Record<string, BrowserAsset>>;

/** The asset of that file name, only when the bundle has it (never an inherited property such as `constructor`). */
export function assetNamed(assets: BrowserAssets, name: string): BrowserAsset | undefined {
  return Object.hasOwn(assets, name) ? assets[name] : undefined;
}

/** Browser code to bundle: the pages of one package. */
export interface BrowserBundleSpec {
  /** Names the bundle: its cache file, and the constant the dist build embeds it as (see `embeddedName`). */
  name: string;
  /** Output name (without extension: `main`, `style`) → absolute path of a `.ts` or `.css` entry. */
  entryPoints: Readonly<Record<string, string>>;
  /**
   * The bundle the dist build embedded (scripts/build.mjs), when this code runs
   * from it: then it is used as is, and esbuild is never loaded. The build
   * embeds it as JSON text (a string is inlined where it is read, while
   * esbuild would hoist an object into the chunk every command loads).
   */
  embedded?: BrowserAssets | string | undefined;
}

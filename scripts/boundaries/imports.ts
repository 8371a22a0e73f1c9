import ts from "typescript";

/** One module a source file refers to, where, and whether only its types are taken. */
export interface ImportRef {
  /** A module it loads, or a file it reads by URL (`new URL("../x", import.meta.url)`). */
  kind: "import" | "file";
  specifier: string;
  /** 1-based line of the specifier. */
  line: number;
  /**
   * `import type` / `export type` / `typeof import("x")`: erased by the compiler.
   * `import { type A }` is not: under verbatimModuleSyntax it still loads the module.
   */
  typeOnly: boolean;
}

/**
 * Every module specifier in a TypeScript file, read with TypeScript's own
 * parser: static imports (including `import type`), `export … from`,
 * `import x = require()`, dynamic `import()` with a literal and import types;
 * and files read by a relative URL (`new URL("../x", import.meta.url)`).
 */
export function importsOf(fileName: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: ImportRef[] = [];
  const add = (
    node: ts.Node | undefined,
    typeOnly: boolean,
    kind: ImportRef["kind"] = "import",
  ) => {
    const specifier = node && literalPrefix(node);
    if (!node || specifier === undefined) return;
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push({ kind, specifier, line: line + 1, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false);
    } else if (isFileUrl(node)) {
      add(node.arguments?.[0], false, "file");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** A string literal's text; a template's text before its first `${}` (enough to know the folder). */
function literalPrefix(node: ts.Node): string | undefined {
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text;
  return undefined;
}

/** `new URL("./…" or "../…", import.meta.url)`: a file beside the code, found by path. */
function isFileUrl(node: ts.Node): node is ts.NewExpression {
  if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression)) return false;
  const [path, base] = node.arguments ?? [];
  const relative = path !== undefined && literalPrefix(path)?.startsWith(".") === true;
  return (
    node.expression.text === "URL" &&
    relative &&
    base !== undefined &&
    ts.isPropertyAccessExpression(base) &&
    ts.isMetaProperty(base.expression) &&
    base.name.text === "url"
  );
}

import ts from "typescript";

/** One module a source file refers to, where, and whether only its types are taken. */
export interface ImportRef {
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
 * `import x = require()`, dynamic `import()` with a literal and import types.
 */
export function importsOf(fileName: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: ImportRef[] = [];
  const add = (node: ts.Node | undefined, typeOnly: boolean) => {
    if (!node || !ts.isStringLiteralLike(node)) return;
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push({ specifier: node.text, line: line + 1, typeOnly });
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
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

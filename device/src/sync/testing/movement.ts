/**
 * The ledger entry data the sync tests and the ledger and sync benches append: one
 * definition, so that a bench measures the entries the tests prove correct.
 */

/** About 200 bytes of data, like a real movement: n tells the entries apart. */
export function movement(n: number) {
  return {
    epc: "3034257BF7194E4000001A85",
    sku: "SKU-004217",
    kind: "putaway",
    from: "dock-1",
    to: "shelf-a3",
    reader: "shelf-a",
    antenna: 2,
    rssi: -61,
    n,
  };
}

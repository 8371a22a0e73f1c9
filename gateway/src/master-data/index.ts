/**
 * Master data from the ERP: files of customers and products (CSV or JSON),
 * checked whole, then created or replaced in the catalog in one
 * transaction. The HTTP routes, the command line (which checks a file with
 * the same readers before sending it) and the file drop all go through here.
 */
export {
  CUSTOMER_CSV_COLUMNS,
  CUSTOMER_TEMPLATE_PATH,
  customerCsvTemplate,
  readCustomerFile,
} from "./customer-file.js";
export type { FileItem, MasterDataFile, MasterDataFormat } from "./file.js";
export {
  importCustomers,
  importProducts,
  type MasterDataDeps,
  type MasterDataImported,
  type MasterDataOutcome,
  type MasterDataRefused,
  MasterDataRefusedError,
  type MasterDataRequest,
} from "./import.js";
export {
  PRODUCT_CSV_COLUMNS,
  PRODUCT_TEMPLATE_PATH,
  productCsvTemplate,
  readProductFile,
} from "./product-file.js";

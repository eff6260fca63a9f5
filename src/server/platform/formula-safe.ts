// Spreadsheet (CSV/formula) injection, as OWASP advises: a text cell that starts with = + - @, a tab
// or a carriage return may be run as a formula by Excel or WPS once a ledger is saved as CSV or
// edited, so every text cell we export from stored data gets a leading apostrophe.

const formulaStart = /^[=+\-@\t\r]/;

/** The value to write into an exported cell: text that could start a formula is prefixed with '. */
export function formulaSafe<T>(value: T): T | string {
  return typeof value === 'string' && formulaStart.test(value) ? `'${value}` : value;
}

// The CSV cell rules live in src-shared (the workbench's table exports use them too).
export { csvCell, csvText, fixed, type CsvValue, type FixedNumber } from '../../src-shared/csv-cell';

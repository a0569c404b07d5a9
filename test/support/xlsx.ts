// findings.xlsx read back the way a spreadsheet user's tools would: every sheet's cells as text,
// for comparisons and for the PHI scan (the file is a zip: its bytes hide its text).
import ExcelJS from 'exceljs';

export async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

/** Every cell of every sheet as text, sheet by sheet, row by row. */
export async function xlsxText(path: string): Promise<string> {
  const workbook = await readWorkbook(path);
  const out: string[] = [];
  workbook.eachSheet((sheet) => {
    out.push(`# ${sheet.name}`);
    sheet.eachRow((row) => {
      const values = (row.values as unknown[]).slice(1).map((v) => {
        if (v === null || v === undefined) return '';
        if (v instanceof Date) return v.toISOString();
        if (typeof v === 'object') return JSON.stringify(v);
        return String(v);
      });
      out.push(values.join('\t'));
    });
  });
  return out.join('\n');
}

import { strToU8, Zip, ZipDeflate, ZipPassThrough } from 'fflate';

/**
 * A 调价项目表 xlsx whose one sheet unpacks to about `unpackedMb` MB of XML while the file stays small: the same row
 * again and again, only its numbers changing, deflates some 45:1 (100 MB of sheet in about 2.4 MB). The sheet is
 * valid: a header the import recognises, then rows of an item code no region has. Written in pieces (fflate's
 * streaming zip), so making it holds no string of the sheet's size.
 */
export function xlsxBomb(unpackedMb: number): Uint8Array {
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  // a long name: little changes from one row to the next but the row's number
  const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
  const name = '不存在的测试项目'.repeat(16);
  const row = (n: number) => `<row r="${n}">${cell(`A${n}`, 'BOMB0000001')}${cell(`B${n}`, name)}${cell(`C${n}`, '12.34')}</row>`;
  const target = unpackedMb * 1024 * 1024;
  const out: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    out.push(chunk);
  });
  const small = {
    '[Content_Types].xml': strToU8(
      `${head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      `${head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    'xl/workbook.xml': strToU8(`${head}<workbook ${ns} xmlns:r="${rel}"><sheets><sheet name="调价项目表" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8(
      `${head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
  };
  for (const [file, bytes] of Object.entries(small)) {
    const entry = new ZipPassThrough(file);
    zip.add(entry);
    entry.push(bytes, true);
  }
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 9 });
  zip.add(sheet);
  let size = 0;
  const push = (text: string) => {
    const bytes = strToU8(text);
    size += bytes.length;
    sheet.push(bytes);
  };
  push(`${head}<worksheet ${ns}><sheetData><row r="1">${cell('A1', '项目编码')}${cell('B1', '项目名称')}${cell('C1', '三级新价（元）')}</row>`);
  for (let n = 2; size < target; ) {
    const piece: string[] = [];
    for (const end = n + 2000; n < end; n++) piece.push(row(n));
    push(piece.join(''));
  }
  sheet.push(strToU8('</sheetData></worksheet>'), true);
  zip.end();
  const bytes = new Uint8Array(out.reduce((a, c) => a + c.length, 0));
  let at = 0;
  for (const c of out) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

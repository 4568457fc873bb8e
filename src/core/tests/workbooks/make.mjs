// Makes the workbooks the import tests read, as a school's spreadsheet program would save them:
// writes each as a flat OpenDocument sheet (.fods, plain XML: what is in it can be read here)
// and has LibreOffice save it as .xlsx, .xls and .ods. Run it again after changing a table:
//   node src/core/tests/workbooks/make.mjs   (needs soffice: apt-get install libreoffice-calc-nogui)
// The made files are kept in the repository, so the tests never need LibreOffice.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A cell: a string, a number, `{ date: 'YYYY-MM-DD' }` (a real date cell, shown 14/12/2026), or null. */
function cell(value) {
  if (value === null || value === '') return '<table:table-cell/>';
  if (typeof value === 'number') return `<table:table-cell office:value-type="float" office:value="${value}"><text:p>${value}</text:p></table:table-cell>`;
  if (value.date) {
    const [y, m, d] = value.date.split('-');
    return `<table:table-cell table:style-name="uk-date" office:value-type="date" office:date-value="${value.date}"><text:p>${d}/${m}/${y}</text:p></table:table-cell>`;
  }
  return `<table:table-cell office:value-type="string"><text:p>${esc(value)}</text:p></table:table-cell>`;
}

function fods(sheets) {
  const tables = sheets.map(({ name, rows, hidden }) => `<table:table table:name="${esc(name)}"${hidden ? ' table:style-name="hidden"' : ''}>
${rows.map((row) => `<table:table-row>${row.map(cell).join('')}</table:table-row>`).join('\n')}
</table:table>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
<number:date-style style:name="dmy"><number:day number:style="long"/><number:text>/</number:text><number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/></number:date-style>
<style:style style:name="uk-date" style:family="table-cell" style:data-style-name="dmy"/>
<style:style style:name="hidden" style:family="table"><style:table-properties table:display="false"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
${tables}
</office:spreadsheet></office:body></office:document>
`;
}

const d = (date) => ({ date });

// The tracker layout the guidance recommends, as a school keeps it: a title above the table,
// year groups as they are typed (Y5, 3, Year 6, Reception, Yr 2), dates as date cells, the
// statuses of a tracker, names from several languages; then a sheet of lists for the drop-downs
// and a hidden sheet.
const tracker = [
  {
    name: 'Tracker',
    rows: [
      ['SEND tracker 2026–27, Bryn Hyfryd Primary'],
      [],
      ['Pupil name', 'Year group', 'Item type', 'Task', 'Owner', 'Due date', 'Status', 'Last update', 'Evidence', 'Next review'],
      ['Zoë Brontë', 'Y5', 'Follow-up', 'Send the reading plan home', 'SENCO', d('2026-12-14'), 'Not started', d('2026-11-20'), '', d('2027-01-15')],
      ['Siân Jones', 3, 'Referral', 'Refer to speech and language therapy', 'SENCO', d('2027-01-08'), 'Waiting on someone else', d('2026-11-25'), 'Form sent 25/11', ''],
      ['İlker Yılmaz', 'Year 6', 'Review', 'Plan the annual review', 'Head of year', d('2026-11-30'), 'Overdue', '', '', ''],
      ['Łukasz Nowak', 'Reception', 'Classroom adjustment', 'Seat him near the board', 'Class teacher', d('2027-02-01'), 'Complete', d('2026-11-28'), 'Seen in class', ''],
      ['Γιώργος Παπαδόπουλος', 'Yr 2', 'Intervention', 'Start the phonics group, three times a week', 'TA (Mrs Ellis)', d('2026-12-20'), 'Started', '', '', ''],
    ],
  },
  { name: 'Lists', rows: [['Statuses', 'Item types'], ['Not started', 'Follow-up'], ['Started', 'Referral'], ['Waiting on someone else', 'Review'], ['Complete', 'Intervention']] },
  { name: 'Old', hidden: true, rows: [['Pupil name', 'Task'], ['Someone who left', 'Nothing']] },
];

// The action-log layout, one sheet, its table from A1.
const actionLog = [
  {
    name: 'Action log',
    rows: [
      ['Pupil name', 'Date', 'Meeting or event type', 'Issue or decision', 'Action agreed', 'Owner', 'Deadline or review date', 'Status', 'Evidence or note'],
      ['Gwenllïan Ap Dafydd', d('2026-11-23'), 'Parent conversation', 'Mum worried about reading', 'Send the reading plan home', 'SENCO', d('2026-12-07'), 'Not started', ''],
      ['Gwenllïan Ap Dafydd', d('2026-11-23'), 'Parent conversation', '', 'Book a follow-up call', 'SENCO', d('2026-11-30'), 'Overdue', ''],
      ['Jürgen Weiß', d('2026-11-16'), '', 'Reading is behind', 'Check the reading log', 'Class teacher', d('2026-12-11'), 'Ongoing', 'Log on file'],
    ],
  },
];

for (const [name, sheets] of [['tracker', tracker], ['action-log', actionLog]]) {
  const source = join(here, `${name}.fods`);
  writeFileSync(source, fods(sheets));
  const formats = name === 'tracker' ? ['xlsx', 'xls', 'ods'] : ['xlsx'];
  for (const format of formats) {
    execFileSync('soffice', ['--headless', '--convert-to', format, '--outdir', here, source], { stdio: 'inherit' });
  }
  rmSync(source);
}

// damaged.xls: tracker.xls with byte 1538 set to 0, which makes calamine 0.38's .xls reader
// panic (found by the property test in tests/workbooks.rs): the import must refuse it calmly.
const xls = readFileSync(join(here, 'tracker.xls'));
xls[1538] = 0;
writeFileSync(join(here, 'damaged.xls'), xls);

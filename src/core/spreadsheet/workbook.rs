//! A workbook (.xlsx, .xlsm, .xls, .xlsb, .ods) read as the CSV text of each sheet, for the CSV import.
//
// The workbook is read by calamine (a kept crate: its own zip and XML readers), each sheet
// written out as UTF-8 CSV with its dates as YYYY-MM-DD, and that text is then read by
// `CsvImport` exactly as a CSV the school had saved itself: one reader of rows, one set of
// column names and rules. The app never links this module; the workbook worker does
// (`src/bin/xlsx.rs`), so calamine costs the download nothing until a workbook is chosen, and a
// workbook that makes calamine fail or run out of memory stops the worker, never the page.

use crate::csv_out::CsvOut;
use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Reader, SheetType, SheetVisible};
use chrono::NaiveDate;
use std::io::Cursor;

/// The largest workbook read: a zipped workbook of 20 MB already holds far more than the
/// largest spreadsheet SEND Log reads.
pub const WORKBOOK_LIMIT_BYTES: usize = 20 * 1024 * 1024;

/// How many rows at the top of a sheet are looked through for its row of column names.
const HEADER_SEARCH_ROWS: usize = 10;

/// One sheet of a workbook, as CSV text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// Its name on its tab.
    pub name: String,
    /// Its rows from its row of column names on, as UTF-8 CSV (no byte-order mark).
    pub csv: Vec<u8>,
    /// The row its column names are in, as the spreadsheet numbers it (1 when nothing is above).
    pub header_row: usize,
    /// Whether it has no cells at all.
    pub empty: bool,
}

/// Whether `bytes` look like a workbook rather than text: a zip (.xlsx, .ods) or an OLE
/// compound file (.xls, or an .xlsx protected with a password).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&OLE)
}

/// The first bytes of an OLE compound file.
const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What the person is told when a workbook cannot be read (it follows "It cannot be
/// imported: ").
fn unreadable(detail: &str) -> String {
    format!(
        "it could not be read as a workbook ({detail}). It may be damaged or cut short: open \
         it in Excel or LibreOffice and save it again, or save the sheet as \"CSV UTF-8\" and \
         import that."
    )
}

/// Reads every sheet of a workbook that a person can see (hidden sheets are left out, unless
/// every sheet is hidden), in the order of their tabs.
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    // calamine can panic on a damaged file (an .xls with one byte changed: the property test in
    // tests/workbooks.rs found it in calamine 0.38's xls.rs). Here that is a refusal like any
    // other. In the worker, built with `panic = "abort"`, the panic ends the worker instead,
    // and the page says the same words (src/ui/workbook.rs): the app never stops.
    std::panic::catch_unwind(|| sheets_of(bytes))
        .unwrap_or_else(|_| Err(unreadable("its contents are not what a workbook holds")))
}

fn sheets_of(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    if bytes.len() > WORKBOOK_LIMIT_BYTES {
        return Err(format!(
            "it is {} MB; the largest workbook SEND Log reads is {} MB. Save the sheet with the \
             actions as a workbook of its own, or as CSV.",
            bytes.len() / (1024 * 1024),
            WORKBOOK_LIMIT_BYTES / (1024 * 1024)
        ));
    }
    let mut workbook = match calamine::open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(workbook) => workbook,
        // An .xlsx with a password to open is an OLE file holding the encrypted workbook.
        Err(_) if bytes.starts_with(&OLE) && !is_xls(bytes) => {
            return Err(
                "it is protected with a password. Open it in Excel, remove the password \
                 (File, Info, Protect Workbook), save it, and import it again."
                    .to_string(),
            )
        }
        Err(error) => return Err(unreadable(&error.to_string())),
    };
    let meta = workbook.sheets_metadata().to_vec();
    let worksheets: Vec<_> = meta
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .collect();
    let visible: Vec<_> = worksheets
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible)
        .collect();
    let shown = if visible.is_empty() {
        worksheets.iter().collect()
    } else {
        visible
    };
    let mut sheets = Vec::with_capacity(shown.len());
    for sheet in shown {
        let range = workbook
            .worksheet_range(&sheet.name)
            .map_err(|error| unreadable(&error.to_string()))?;
        sheets.push(as_csv(&sheet.name, &range));
    }
    if sheets.is_empty() {
        return Err(unreadable("it has no sheets"));
    }
    Ok(sheets)
}

/// Whether an OLE file holds a workbook of Excel 97–2003 (.xls) rather than an encrypted
/// .xlsx: an encrypted one names its "EncryptedPackage" stream (in UTF-16) in its directory.
fn is_xls(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    !bytes.windows(name.len()).any(|w| w == name.as_slice())
}

/// A sheet as CSV text, from its row of column names on: the first of its top rows with at
/// least two cells filled (a title above the table is left out), or its first row.
fn as_csv(name: &str, range: &calamine::Range<Data>) -> Sheet {
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let filled = |row: &[Data]| row.iter().filter(|c| !text_of(c).trim().is_empty()).count();
    let rows: Vec<&[Data]> = range.rows().collect();
    let header = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|row| filled(row) >= 2)
        .unwrap_or(0);
    let mut csv = Vec::new();
    let mut writer = CsvOut::new(&mut csv);
    for row in rows.iter().skip(header) {
        // Columns go by name, so a table that starts in column C reads as one in column A.
        let last = row
            .iter()
            .rposition(|c| !matches!(c, Data::Empty))
            .map_or(0, |at| at + 1);
        writer.write_record(row[..last].iter().map(text_of));
    }
    Sheet {
        name: name.to_string(),
        csv,
        header_row: first_row as usize + header + 1,
        empty: range.is_empty(),
    }
}

/// A cell as a person reads it: text as typed, whole numbers without ".0", dates as
/// YYYY-MM-DD (a time of day on a date is dropped: SEND Log keeps days), TRUE or FALSE, and
/// an error as Excel shows it (#N/A), so that the preview can point to it.
fn text_of(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(true) => "TRUE".to_string(),
        Data::Bool(false) => "FALSE".to_string(),
        // Past 31 Dec 9999 calamine would give that day for any larger number; the number is
        // kept instead, so that the import says the cell is not a date rather than invent one.
        Data::DateTime(moment) if moment.is_datetime() && moment.as_f64() > last_serial(moment) => {
            number(moment.as_f64())
        }
        Data::DateTime(moment) if moment.is_datetime() && moment.as_f64() >= 1.0 => {
            let (year, month, day, ..) = moment.to_ymd_hms_milli();
            match NaiveDate::from_ymd_opt(year.into(), month.into(), day.into()) {
                Some(date) => date.format("%Y-%m-%d").to_string(),
                // 29 February 1900, which Excel counts although it never was.
                None => format!("{year:04}-{month:02}-{day:02}"),
            }
        }
        Data::DateTime(moment) => {
            let (_, _, _, hour, minute, ..) = moment.to_ymd_hms_milli();
            format!("{hour:02}:{minute:02}")
        }
        // An .ods keeps dates as ISO text: "2026-04-23" or "2026-04-23T14:30:00".
        Data::DateTimeIso(text) => match text.get(..10) {
            Some(day) if NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok() => day.to_string(),
            _ => text.clone(),
        },
        Data::DurationIso(text) => text.clone(),
        Data::Error(error) => error.to_string(),
    }
}

/// The last moment a workbook can hold as a date, 31 Dec 9999 at 23:59:59, in days from its
/// epoch: 1900 (Excel, LibreOffice) or 1904 (older Excel for Mac), which calamine keeps private
/// but compares.
fn last_serial(moment: &ExcelDateTime) -> f64 {
    let from_1904 = ExcelDateTime::new(moment.as_f64(), ExcelDateTimeType::DateTime, true);
    let last_day = if *moment == from_1904 {
        2_957_003.0
    } else {
        2_958_465.0
    };
    last_day + (86_399.0 / 86_400.0)
}

/// A number as the sheet shows it: 5, not 5.0; 2.5 as 2.5.
fn number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(serial: f64, is_1904: bool) -> String {
        text_of(&Data::DateTime(ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            is_1904,
        )))
    }

    #[test]
    fn a_date_cell_reads_as_its_day_up_to_the_last_day_a_workbook_holds() {
        assert_eq!(date(46_135.0, false), "2026-04-23");
        assert_eq!(date(44_673.0, true), "2026-04-23");
        assert_eq!(date(1.0, false), "1900-01-01");
        assert_eq!(date(1.0, true), "1904-01-02");
        // Excel's 29 Feb 1900, which the import then refuses as no real day.
        assert_eq!(date(60.0, false), "1900-02-29");
        assert_eq!(date(2_958_465.0, false), "9999-12-31");
        assert_eq!(date(2_958_465.75, false), "9999-12-31");
        assert_eq!(date(2_957_003.0, true), "9999-12-31");
    }

    #[test]
    fn a_date_cell_past_9999_keeps_its_number_rather_than_becoming_31_dec_9999() {
        assert_eq!(date(2_958_466.0, false), "2958466");
        assert_eq!(date(2_957_004.0, true), "2957004");
        assert_eq!(date(1e300, false), f64::to_string(&1e300));
        assert_eq!(date(f64::INFINITY, true), "inf");
    }

    #[test]
    fn a_time_cell_or_a_date_before_the_epoch_reads_as_a_time_of_day() {
        assert_eq!(date(0.5, false), "12:00");
        assert_eq!(date(0.0, true), "00:00");
        for strange in [-1.0, -1e300, f64::NAN, f64::NEG_INFINITY] {
            let text = date(strange, false);
            assert_eq!(text.len(), 5, "{strange}: {text}");
        }
    }
}

//! Writes CSV exactly as the `csv` crate's writer does with SEND Log's settings (comma, double
//! quote, CRLF, quotes only where needed), for exports. The `csv` crate still reads every file;
//! its writer is not used because it also carries the code for its other quoting styles, which
//! parses every field as a number and brings the float parser and its tables into the download
//! (about 19 KB gzipped). A test checks the output against the `csv` crate's, byte for byte.

/// A CSV writer into memory: fields one at a time, then the end of the record.
pub struct CsvOut<'a> {
    out: &'a mut Vec<u8>,
    /// Fields written in the record so far.
    fields: usize,
    /// Bytes written for the record so far.
    bytes: usize,
}

impl<'a> CsvOut<'a> {
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        CsvOut {
            out,
            fields: 0,
            bytes: 0,
        }
    }

    /// Writes one field of the record, in quotes (with quotes inside doubled) when it holds a
    /// comma, a quote or a line break.
    pub fn write_field(&mut self, field: &[u8]) {
        let start = self.out.len();
        if self.fields > 0 {
            self.out.push(b',');
        }
        if field
            .iter()
            .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
        {
            self.out.push(b'"');
            for &b in field {
                if b == b'"' {
                    self.out.push(b'"');
                }
                self.out.push(b);
            }
            self.out.push(b'"');
        } else {
            self.out.extend_from_slice(field);
        }
        self.fields += 1;
        self.bytes += self.out.len() - start;
    }

    /// Writes each field of `fields`, then ends the record.
    pub fn write_record<I: AsRef<[u8]>>(&mut self, fields: impl IntoIterator<Item = I>) {
        for field in fields {
            self.write_field(field.as_ref());
        }
        self.end_record();
    }

    /// Ends the record with CRLF. A record with nothing in it is written as `""`, so that it
    /// still reads back as one empty field.
    pub fn end_record(&mut self) {
        if self.bytes == 0 {
            self.out.extend_from_slice(b"\"\"");
        }
        self.out.extend_from_slice(b"\r\n");
        self.fields = 0;
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn theirs(records: &[Vec<String>]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .flexible(true)
                .from_writer(&mut out);
            for record in records {
                for field in record {
                    writer.write_field(field.as_bytes()).unwrap();
                }
                writer.write_record(None::<&[u8]>).unwrap();
            }
            writer.flush().unwrap();
        }
        out
    }

    fn ours(records: &[Vec<String>]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut writer = CsvOut::new(&mut out);
        for record in records {
            for field in record {
                writer.write_field(field.as_bytes());
            }
            writer.end_record();
        }
        out
    }

    #[test]
    fn writes_what_the_csv_crate_writes() {
        let records: Vec<Vec<String>> = [
            vec!["Pupil", "Action", "Owner"],
            vec![
                "Siân Evans",
                "Send the \"reading\" log, weekly",
                "SENCO\r\nand TA",
            ],
            vec!["", "", ""],
            vec![""],
            vec!["'=1+1", " spaced ", "#hash"],
        ]
        .iter()
        .map(|r| r.iter().map(|f| f.to_string()).collect())
        .collect();
        assert_eq!(ours(&records), theirs(&records));
        let mut out = Vec::new();
        CsvOut::new(&mut out).write_record(["a", "b,c"]);
        assert_eq!(out, b"a,\"b,c\"\r\n");
    }

    proptest! {
        #[test]
        fn any_records_are_written_as_the_csv_crate_writes_them(
            records in proptest::collection::vec(
                proptest::collection::vec("[a-z \",\r\n'=#é\t;-]{0,6}", 1..5),
                0..6,
            )
        ) {
            prop_assert_eq!(ours(&records), theirs(&records));
        }
    }
}

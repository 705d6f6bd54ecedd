//! The resources table as a spreadsheet (`ressources.xlsx`) for people who open it in LibreOffice
//! or Excel: French headings, accents and columns as they are (no CSV import to get right),
//! every cell a text cell — never a formula, whatever it begins with. Written row by row in
//! constant memory, like the CSV beside it.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// Most characters a cell holds (the format's limit); a longer text is cut, and says so.
const CELL_CHARS: usize = 32_767;

/// A workbook of one sheet being written.
pub struct Spreadsheet {
    workbook: Workbook,
    next_row: u32,
    columns: u16,
}

impl Spreadsheet {
    /// A sheet named `sheet` whose first row is `headings` (bold, kept in view, with filters).
    pub fn new(sheet: &str, headings: &[&str], scratch: &Path) -> Result<Spreadsheet, XlsxError> {
        let mut workbook = Workbook::new();
        workbook.set_tempdir(scratch)?;
        let columns = u16::try_from(headings.len()).unwrap_or(u16::MAX);
        let worksheet = workbook.add_worksheet_with_constant_memory()?;
        worksheet.set_name(sheet)?;
        worksheet.set_freeze_panes(1, 0)?;
        let bold = Format::new().set_bold();
        for (column, heading) in (0..columns).zip(headings) {
            worksheet.write_string_with_format(0, column, *heading, &bold)?;
            worksheet.set_column_width(column, 24)?;
        }
        Ok(Spreadsheet { workbook, next_row: 1, columns })
    }

    /// Writes the next row, each value as text.
    pub fn row(&mut self, cells: &[&str]) -> Result<(), XlsxError> {
        let row = self.next_row;
        let worksheet: &mut Worksheet = self.workbook.worksheet_from_index(0)?;
        for (column, cell) in (0..self.columns).zip(cells) {
            if cell.is_empty() {
                continue;
            }
            worksheet.write_string(row, column, within_a_cell(cell))?;
        }
        self.next_row += 1;
        Ok(())
    }

    pub fn save(mut self, path: &Path) -> Result<(), XlsxError> {
        let (last_row, last_column) = (self.next_row - 1, self.columns.saturating_sub(1));
        self.workbook.worksheet_from_index(0)?.autofilter(0, 0, last_row, last_column)?;
        self.workbook.save(path)
    }
}

/// `text`, cut to what a cell holds.
fn within_a_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(CELL_CHARS - 1) {
        None => text.into(),
        Some((end, _)) => format!("{}…", &text[..end]).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_holds_at_most_the_formats_limit() {
        assert_eq!(within_a_cell("court"), "court");
        let long = "é".repeat(CELL_CHARS + 10);
        let cut = within_a_cell(&long);
        assert_eq!(cut.chars().count(), CELL_CHARS);
        assert!(cut.ends_with('…'));
    }
}

//! Table columns: a cell between cells of one kind is of that kind. On a schedule, a census
//! or a worklist the names, birth dates and record numbers stand in columns; where blur or a
//! dark theme garbles one cell ("10/061949", "KV8644]") its neighbours above and below, read
//! well, still say what the column holds.

use super::labels::{is_bare_label, plausible_value};
use super::layout::{boxes_in_reading_frame, LabelledValue, Side};
use super::{PhiCategory, TextLine};
use crate::geometry::BBox;

/// How far up or down a column the neighbours are looked for, in text heights: about two
/// table rows.
const REACH: f32 = 3.5;
/// Cells of one column are about as tall as each other.
const HEIGHT_RATIO: f32 = 1.7;
/// How unlike in length (letters and digits) and in their share of digits two cells of one
/// column may be.
const MAX_LENGTH_RATIO: f32 = 2.0;
const MAX_DIGIT_SHARE_DIFFERENCE: f32 = 0.4;
/// Cells are short; a sentence is running text, not a cell.
const MAX_CELL_WORDS: usize = 6;

/// For each line, the kind of identifier the column it stands in holds, when it is one
/// (found in a cell above it and in a cell below it, or in the two above it at the column's
/// foot) and the line could be one too.
/// `found[i]` holds the kinds read in line `i` itself.
pub fn column_kinds(lines: &[TextLine], found: &[Vec<PhiCategory>]) -> Vec<Option<PhiCategory>> {
    let frame = boxes_in_reading_frame(lines);
    let is_cell: Vec<bool> = lines.iter().map(|line| is_cell(&line.text)).collect();
    let holds_class = |j: usize, class: PhiCategory| found[j].iter().any(|&kind| column_class(kind) == class);
    (0..lines.len())
        .map(|i| {
            if !is_cell[i] {
                return None;
            }
            let text = &lines[i].text;
            let centre = |j: usize| (frame[j].y0 + frame[j].y1) / 2.0;
            let mut neighbours: Vec<usize> =
                (0..lines.len()).filter(|&j| j != i && is_cell[j] && in_same_column(&frame[i], &frame[j])).collect();
            neighbours.sort_by(|&a, &b| (centre(a) - centre(i)).abs().total_cmp(&(centre(b) - centre(i)).abs()));
            let rows_of = |above: bool, class: Option<PhiCategory>| {
                let cells = neighbours.iter().filter(|&&j| {
                    (centre(j) < centre(i)) == above && class.is_none_or(|class| holds_class(j, class) && alike(text, &lines[j].text))
                });
                distinct_rows(cells.map(|&j| frame[j]).collect())
            };
            let holds = |class: PhiCategory| {
                let (above, below) = (rows_of(true, Some(class)), rows_of(false, Some(class)));
                // Between two such cells, or after two of them at the column's foot. (The
                // column's head is its header, to be read, not boxed.)
                (above >= 1 && below >= 1) || (above >= 2 && rows_of(false, None) == 0)
            };
            // Named as the nearest cell of the column names it; each class weighed once.
            let mut weighed = Vec::new();
            neighbours.iter().flat_map(|&j| found[j].iter().copied()).find(|&kind| {
                let class = column_class(kind);
                if weighed.contains(&class) {
                    return false;
                }
                weighed.push(class);
                !holds_class(i, class) && could_be(class, text) && holds(class)
            })
        })
        .collect()
}

/// A header over at least this many rows of values heads a column; a form's label over its one
/// value does not run on down the form.
const MIN_HEADED_ROWS: usize = 2;

/// The fields a column header of names labels, run on down its column: the header labels the
/// cells within its reach (`labelled_values`), and each cell the one under it, so that a
/// whiteboard's "PATIENT" column holds names to its last row, however far below the header.
/// A cell that is no value of the header (`fills`; "Room 12" under "Patient", or a name
/// misread "CH01") is left to its own reading, but the column runs on past it; it ends at a
/// gap wider than its rows are apart, and at a line that is no cell (a form's next label).
///
/// Headers of places run on no further: on forms they head an address's lines, and under
/// "City", "Street" or "County" a run reached a pay stub's figures and the form's next fields
/// (tune: 51 of the 58 new boxes matching no label, and none of the 4 strings it found).
pub fn headers_run_down_columns(
    lines: &[TextLine],
    mut fields: Vec<Option<LabelledValue>>,
    fills: impl Fn(&LabelledValue, &str) -> bool,
) -> Vec<Option<LabelledValue>> {
    let frame = boxes_in_reading_frame(lines);
    let is_cell: Vec<bool> = lines.iter().map(|line| is_cell(&line.text)).collect();
    let centre = |j: usize| (frame[j].y0 + frame[j].y1) / 2.0;
    let mut top_down: Vec<usize> = (0..lines.len()).collect();
    top_down.sort_by(|&a, &b| centre(a).total_cmp(&centre(b)));
    let rows_under = |header: &BBox| {
        let values = fields
            .iter()
            .zip(&frame)
            .filter(|(field, _)| field.is_some_and(|field| field.side == Side::Above && field.label_box == *header));
        distinct_rows(values.map(|(_, cell)| *cell).collect())
    };
    let heads_column = |field: &LabelledValue| {
        field.side == Side::Above
            && field.label.category == PhiCategory::Name
            && !field.label.is_signature()
            && rows_under(&field.label_box) >= MIN_HEADED_ROWS
    };
    // The header each cell's column runs down from, whether or not the cell is its value.
    let mut headed_by: Vec<Option<LabelledValue>> = fields.iter().map(|field| field.filter(heads_column)).collect();
    for &i in &top_down {
        if fields[i].is_some() || !is_cell[i] {
            continue;
        }
        // A label or a sentence over the cell ends the column (a form's next section).
        let line_above = (0..lines.len())
            .filter(|&j| centre(j) < centre(i) && in_same_column(&frame[i], &frame[j]))
            .max_by(|&a, &b| centre(a).total_cmp(&centre(b)));
        headed_by[i] = line_above.filter(|&j| is_cell[j]).and_then(|j| headed_by[j]);
        fields[i] = headed_by[i].filter(|field| could_be(field.label.category, &lines[i].text) && fills(field, &lines[i].text));
    }
    fields
}

/// The kinds a column holds one of: numbers of every kind stand in one (in a column of phone
/// numbers a misread "336-55-0121" is taken for a social security number, "(313)55-0122" for
/// a bare number).
fn column_class(kind: PhiCategory) -> PhiCategory {
    use PhiCategory::*;
    match kind {
        Name | Geographic | Date | Email | Url => kind,
        _ => OtherIdentifier,
    }
}

/// Whether a line could be a table's cell: short, and not a form's field with its own label.
fn is_cell(text: &str) -> bool {
    text.split_whitespace().count() <= MAX_CELL_WORDS && !is_bare_label(text) && !is_labelled(text)
}

/// A field with its own label ("Pages: 4", "Comments:") is a line of a form, not a cell of a
/// table. (A time's colon, "10:30", is no label's.)
fn is_labelled(text: &str) -> bool {
    text.char_indices().any(|(at, c)| c == ':' && !text[at + 1..].starts_with(|next: char| next.is_ascii_digit()))
}

/// Whether two cells look alike: about as long, and about as much made of digits. Cells of
/// one column are ("06/16/2021" and "328/195"); a document's lines that happen to stand one
/// over the other mostly are not ("TO" over "Wojciech Krawczyk, MD").
fn alike(a: &str, b: &str) -> bool {
    let shape = |text: &str| {
        let alphanumeric = text.chars().filter(|c| c.is_alphanumeric()).count() as f32;
        let digits = text.chars().filter(char::is_ascii_digit).count() as f32;
        (alphanumeric, digits / alphanumeric.max(1.0))
    };
    let ((length_a, digits_a), (length_b, digits_b)) = (shape(a), shape(b));
    length_a.max(length_b) <= MAX_LENGTH_RATIO * length_a.min(length_b) && (digits_a - digits_b).abs() <= MAX_DIGIT_SHARE_DIFFERENCE
}

/// How many rows these cells stand on: two readers may each have read the same cell.
fn distinct_rows(mut cells: Vec<BBox>) -> usize {
    cells.sort_by(|a, b| a.y0.total_cmp(&b.y0));
    let centre = |b: &BBox| (b.y0 + b.y1) / 2.0;
    let mut rows = 0;
    let mut last: Option<BBox> = None;
    for cell in cells {
        if last.is_none_or(|last| centre(&cell) - centre(&last) >= 0.5 * last.height().max(cell.height())) {
            rows += 1;
            last = Some(cell);
        }
    }
    rows
}

/// Whether `text` could be a cell of a column of `kind`. A column of bare numbers (record or
/// account numbers no label names) takes only cells with digits in them.
fn could_be(kind: PhiCategory, text: &str) -> bool {
    plausible_value(kind, text) && (kind != PhiCategory::OtherIdentifier || text.chars().filter(char::is_ascii_digit).count() >= 3)
}

/// Whether `other` is a cell of `cell`'s column, on another row within reach.
fn in_same_column(cell: &BBox, other: &BBox) -> bool {
    let (h, other_h) = (cell.height(), other.height());
    if h <= 0.0 || other_h <= 0.0 || h.max(other_h) > HEIGHT_RATIO * h.min(other_h) {
        return false;
    }
    let shared_columns = cell.x1.min(other.x1) - cell.x0.max(other.x0);
    let centre = |b: &BBox| (b.y0 + b.y1) / 2.0;
    let apart = (centre(cell) - centre(other)).abs();
    shared_columns >= 0.5 * cell.width().min(other.width()) && apart >= 0.6 * h.max(other_h) && apart <= REACH * h
}

#[cfg(test)]
mod tests {
    use super::*;
    use PhiCategory::*;

    /// A schedule's cells, one row every 30 px: `(column x, text, kinds read in it)`.
    fn table(rows: &[&[(f32, &str, &[PhiCategory])]]) -> (Vec<TextLine>, Vec<Vec<PhiCategory>>) {
        let mut lines = Vec::new();
        let mut found = Vec::new();
        for (row, cells) in rows.iter().enumerate() {
            for &(x, text, kinds) in cells.iter() {
                let y = 30.0 * row as f32;
                lines.push(TextLine::read_at(text, BBox { x0: x, y0: y, x1: x + 9.0 * text.len() as f32, y1: y + 20.0 }));
                found.push(kinds.to_vec());
            }
        }
        (lines, found)
    }

    #[test]
    fn a_garbled_cell_between_dates_is_a_date_and_a_time_beside_it_is_not() {
        let (lines, found) = table(&[
            &[(0.0, "07:30", &[]), (100.0, "06/16/2021", &[Date])],
            &[(0.0, "08:00", &[]), (100.0, "328/195", &[])],
            &[(0.0, "08:45", &[]), (100.0, "1974-02-14", &[Date])],
            &[(0.0, "09:15", &[]), (100.0, "01/27/1938", &[Date])],
            &[(0.0, "09:35", &[]), (100.0, "10/061949", &[])],
        ]);
        let kinds = column_kinds(&lines, &found);
        assert_eq!(kinds[3], Some(Date), "between two dates");
        assert_eq!(kinds[9], Some(Date), "at the foot, after two dates");
        assert!(kinds.iter().step_by(2).all(Option::is_none), "times stand in a column of their own: {kinds:?}");
        assert!([1, 5, 7].iter().all(|&i| kinds[i].is_none()), "already read as dates");
    }

    #[test]
    fn headers_labelled_fields_and_unlike_lines_are_not_cells() {
        let (lines, found) = table(&[
            &[(100.0, "Reason", &[])],
            &[(100.0, "Walter Gomez", &[Name])],
            &[(100.0, "Pages: 4 (incl cover)", &[])],
            &[(100.0, "Mary Okafor", &[Name])],
            &[(100.0, "TO", &[])],
            &[(100.0, "Kim Pham", &[Name])],
            &[(100.0, "Cancelled", &[])],
        ]);
        assert_eq!(column_kinds(&lines, &found), vec![None; 7]);
        let (lines, found) = table(&[&[(100.0, "Kim Pham", &[Name])], &[(100.0, "Jo Reyes", &[])], &[(400.0, "Ann Lee", &[Name])]]);
        assert_eq!(column_kinds(&lines, &found), vec![None; 3], "a name in another column says nothing of this one");
    }
}

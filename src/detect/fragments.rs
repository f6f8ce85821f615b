//! Pieces of one line found apart. On blurred, noisy or compressed print the detector breaks a
//! line at its spaces ("1-313-555" and "0194", "Saoirse" and "O'Donoghue,"), and a phone
//! number or a name read in pieces matches no pattern. Pieces that continue each other, along
//! the same baseline and at the same size, are joined into one line before it is read.

use super::Region;
use crate::geometry::{direction, distance, midpoint, quad_bbox, Quad};

/// The most space between two pieces, in line heights, for them to be one line: a word space
/// is a third of the height, a table's columns stand further apart. On the tune split, half a
/// height found one PHI string more and left 0.6 points fewer boxes matching no label (pieces
/// boxed one by one); a whole height lost 13 strings, labels joined to the values beside them.
/// On the validation split, half a height found 2 more, with 0.9 points fewer such boxes.
const MAX_GAP_HEIGHTS: f32 = 0.5;
/// Pieces may overlap this much (in line heights) where the detector cut between letters.
const MAX_OVERLAP_HEIGHTS: f32 = 0.3;
/// How far the next piece's centre may stand off the line's axis, in line heights.
const MAX_OFFSET_HEIGHTS: f32 = 0.3;
/// Pieces of one line are printed at one size.
const MAX_HEIGHT_RATIO: f32 = 1.4;
/// And run the same way: the cosine of the largest angle between them (8 degrees).
const MIN_ALIGNMENT: f32 = 0.99;

/// `regions` with the pieces of each line joined; regions without an outline are kept as
/// they are. Each line grows while a piece carries on from its end, so a dense page costs one
/// scan of the others per piece, not one per join.
pub fn join_line_pieces(regions: Vec<Region>) -> Vec<Region> {
    let mut pieces: Vec<Option<Region>> = regions.into_iter().map(Some).collect();
    for first in 0..pieces.len() {
        while let Some((second, a, b)) = next_piece(&pieces, first) {
            if let (Some(line), Some(next)) = (pieces[first], pieces[second].take()) {
                pieces[first] = Some(joined(&line, &next, &a, &b));
            }
        }
    }
    pieces.into_iter().flatten().collect()
}

/// The piece still standing that carries on the line at `first`, with both outlines.
fn next_piece(pieces: &[Option<Region>], first: usize) -> Option<(usize, Quad, Quad)> {
    let a = pieces[first]?.quad?;
    pieces.iter().enumerate().find_map(|(index, piece)| {
        let b = piece.as_ref()?.quad?;
        (index != first && continues(&a, &b)).then_some((index, a, b))
    })
}

/// Whether `b` carries on the line `a` starts: the same direction and size, its start just
/// past `a`'s end, on `a`'s axis.
fn continues(a: &Quad, b: &Quad) -> bool {
    let (Some(direction_a), Some(direction_b)) = (direction(a[0], a[1]), direction(b[0], b[1])) else { return false };
    let (height_a, height_b) = (distance(a[0], a[3]), distance(b[0], b[3]));
    if height_a <= 0.0 || height_b <= 0.0 || dot(direction_a, direction_b) < MIN_ALIGNMENT {
        return false;
    }
    if height_a.max(height_b) > MAX_HEIGHT_RATIO * height_a.min(height_b) {
        return false;
    }
    let height = 0.5 * (height_a + height_b);
    let (end_a, start_b) = (midpoint(a[1], a[2]), midpoint(b[0], b[3]));
    let step = (start_b.0 - end_a.0, start_b.1 - end_a.1);
    let along = dot(step, direction_a);
    let across = (step.0 * direction_a.1 - step.1 * direction_a.0).abs();
    (-MAX_OVERLAP_HEIGHTS * height..=MAX_GAP_HEIGHTS * height).contains(&along) && across <= MAX_OFFSET_HEIGHTS * height
}

/// One line from `a`'s start to `b`'s end, scored by the pieces' lengths.
fn joined(first: &Region, second: &Region, a: &Quad, b: &Quad) -> Region {
    let quad: Quad = [a[0], b[1], b[2], a[3]];
    let (length_a, length_b) = (distance(a[0], a[1]), distance(b[0], b[1]));
    let score = (first.score * length_a + second.score * length_b) / (length_a + length_b).max(f32::EPSILON);
    Region { bbox: quad_bbox(&quad), score, quad: Some(quad), ..*first }
}

fn dot(p: (f32, f32), q: (f32, f32)) -> f32 {
    p.0 * q.0 + p.1 * q.1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::RegionKind;
    use crate::geometry::BBox;

    fn piece(x0: f32, x1: f32, y0: f32, height: f32) -> Region {
        let bbox = BBox { x0, y0, x1, y1: y0 + height };
        Region { bbox, kind: RegionKind::Text, score: 0.8, quad: Some(bbox.outline()) }
    }

    #[test]
    fn pieces_a_word_space_apart_on_one_baseline_are_one_line() {
        // "1-313-555" and "0194", 20 px high, 8 px apart; then a column 60 px further on.
        let joined =
            join_line_pieces(vec![piece(100.0, 190.0, 50.0, 20.0), piece(198.0, 240.0, 51.0, 20.0), piece(300.0, 380.0, 50.0, 20.0)]);
        assert_eq!(joined.len(), 2, "{joined:?}");
        let line = joined.iter().find(|r| r.bbox.x0 == 100.0).expect("the joined line");
        assert_eq!((line.bbox.x1, line.bbox.y0), (240.0, 50.0));
    }

    #[test]
    fn the_lines_above_and_below_and_print_of_another_size_stay_apart() {
        let regions = vec![piece(100.0, 190.0, 50.0, 20.0), piece(195.0, 260.0, 80.0, 20.0), piece(195.0, 260.0, 45.0, 40.0)];
        assert_eq!(join_line_pieces(regions).len(), 3);
    }

    #[test]
    fn a_turned_line_is_joined_along_its_own_direction() {
        let turn = |(x, y): (f32, f32)| {
            let (sin, cos) = 20f32.to_radians().sin_cos();
            (x * cos - y * sin, x * sin + y * cos)
        };
        let turned = |r: Region| {
            let quad = r.quad.unwrap().map(turn);
            Region { bbox: quad_bbox(&quad), quad: Some(quad), ..r }
        };
        let joined = join_line_pieces(vec![turned(piece(198.0, 240.0, 50.0, 20.0)), turned(piece(100.0, 190.0, 50.0, 20.0))]);
        assert_eq!(joined.len(), 1);
        let quad = joined[0].quad.unwrap();
        assert!(distance(quad[0], turn((100.0, 50.0))) < 1e-3 && distance(quad[1], turn((240.0, 50.0))) < 1e-3, "{quad:?}");
    }
}

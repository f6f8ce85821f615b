//! A second sign for weak faces in a still image: the company of a face the network is sure of.
//!
//! The face threshold is low (see `config::DEFAULT_FACE_THRESHOLD`) for the small, turned and
//! half-hidden faces of crowds, which CenterFace scores 0.1-0.3. In an image where it sees no
//! person surely, the same weak scores come from shelves, lamps, a cat, the Moon, the grey
//! silhouette on an ID card or the ruled boxes of a form. The 8 of the development set's 207
//! labelled faces scored under 0.3 all stand in photos with faces scored 0.98-0.99, while the
//! 300 generated documents held 120 weak false faces and not one face at 0.5. CenterFace's own
//! landmarks and agreement across scales were measured as second signs and told neither apart
//! (docs/benchmarks.md). Video frames keep every weak face: a frame's only face may be one
//! entering cut by the border, and the tracker needs it; so does `--keep-weak-faces`.

use super::Region;

/// Faces scored under this are weak: kept only in the company of a sure face.
const WEAK_FACE_BELOW: f32 = 0.3;
/// A face at least this confident is sure: the image shows people.
const SURE_FACE_FROM: f32 = 0.5;

/// The face detector's `faces` without the weak ones, unless a sure face keeps them company.
pub fn weak_faces_only_in_company(faces: Vec<Region>) -> Vec<Region> {
    if faces.iter().any(|face| face.score >= SURE_FACE_FROM) {
        return faces;
    }
    faces.into_iter().filter(|face| face.score >= WEAK_FACE_BELOW).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::RegionKind;
    use crate::geometry::BBox;

    fn face(score: f32) -> Region {
        Region { bbox: BBox { x0: 0.0, y0: 0.0, x1: 20.0, y1: 20.0 }, kind: RegionKind::Face, score, quad: None }
    }

    fn scores(faces: Vec<Region>) -> Vec<f32> {
        faces.iter().map(|face| face.score).collect()
    }

    #[test]
    fn weak_faces_stay_beside_a_sure_face() {
        assert_eq!(scores(weak_faces_only_in_company(vec![face(0.12), face(0.97), face(0.29)])), [0.12, 0.97, 0.29]);
    }

    #[test]
    fn without_a_sure_face_only_the_weak_ones_go() {
        assert_eq!(scores(weak_faces_only_in_company(vec![face(0.12), face(0.45), face(0.3), face(0.29)])), [0.45, 0.3]);
        assert!(weak_faces_only_in_company(vec![face(0.25)]).is_empty());
    }
}

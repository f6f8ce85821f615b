//! Tracking: what was found in single frames, tied together across frames, so that a frame in
//! which the detector missed a face (or text was not looked for) is still redacted.
//!
//! - Association: a detection joins the track of the same kind whose box, carried forward at
//!   its last speed, overlaps it most; otherwise it starts a new track.
//! - Gaps: between two detections at most `max_gap` frames apart the box is interpolated.
//! - Ends: a track is extended `pad` frames before its first and after its last detection,
//!   moving at its speed and growing with the distance, since a face is often visible (half
//!   turned, blurred by motion) a little before the detector is sure of it.
//! - Camera: a track seen once has no speed of its own; it moves with the camera (see
//!   `motion`), which is how everything moves in a pan.
//! - Shots: tracks never cross a scene cut, in association or extension.
//!
//! A frame's boxes are final once `lookahead()` later frames have been added.

use crate::detect::RegionKind;
use crate::geometry::BBox;
use crate::report::Finding;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackRules {
    pub max_gap: usize,
    pub pad: usize,
}

/// Tracks overlapping their predicted position at least this much continue.
const MIN_IOU: f32 = 0.2;
/// Filled and extended boxes grow by this share of their size, plus this much per frame
/// away from the nearest detection.
const FILL_MARGIN: f32 = 0.05;
const GROWTH_PER_FRAME: f32 = 0.03;

#[derive(Debug, Clone)]
pub struct Track {
    pub id: usize,
    pub kind: RegionKind,
    /// Detections in frame order: (frame, box).
    detections: Vec<(usize, BBox)>,
    /// The most certain detection, for the report.
    pub strongest: Finding,
    /// The frames of the shot it belongs to: from its first frame to the next cut.
    scene: (usize, Option<usize>),
    rules: TrackRules,
}

impl Track {
    pub fn first_frame(&self) -> usize {
        self.detections[0].0
    }

    pub fn last_frame(&self) -> usize {
        self.detections[self.detections.len() - 1].0
    }

    pub fn detections(&self) -> usize {
        self.detections.len()
    }

    /// Where the track is in `frame`, if it covers it.
    fn box_at(&self, frame: usize, camera: &Camera) -> Option<BBox> {
        let (scene_start, scene_end) = self.scene;
        if frame < scene_start || scene_end.is_some_and(|end| frame >= end) {
            return None;
        }
        let next = self.detections.partition_point(|&(f, _)| f < frame);
        let before = next.checked_sub(1).map(|i| self.detections[i]);
        let after = self.detections.get(next).copied();
        let fill = |(f0, b0): (usize, BBox), (f1, b1): (usize, BBox)| {
            let t = (frame - f0) as f32 / (f1 - f0) as f32;
            (f1 - f0 <= self.rules.max_gap).then(|| grow(&lerp(&b0, &b1, t), FILL_MARGIN))
        };
        match (before, after) {
            // One frame's box can be off by a few pixels, which matters for a face 10 px wide:
            // it is widened to where the detections around it put the face.
            (Some(previous), Some((f, b))) if f == frame => {
                let following = self.detections.get(next + 1).copied();
                Some(following.and_then(|following| fill(previous, following)).map_or(b, |filled| b.union(&filled)))
            }
            (_, Some((f, b))) if f == frame => Some(b),
            (Some(previous), Some(following)) if following.0 - previous.0 <= self.rules.max_gap => fill(previous, following),
            (Some((f, _)), _) if frame - f <= self.rules.pad => Some(self.extrapolate(next - 1, frame, camera)),
            (_, Some((f, _))) if f - frame <= self.rules.pad => Some(self.extrapolate(next, frame, camera)),
            _ => None,
        }
    }

    /// The box of detection `i` carried to `frame`: at the speed between it and its neighbour
    /// detection, or with the camera when it has none near.
    fn extrapolate(&self, i: usize, frame: usize, camera: &Camera) -> BBox {
        let (f, b) = self.detections[i];
        let neighbour = if frame > f { i.checked_sub(1) } else { Some(i + 1).filter(|&j| j < self.detections.len()) };
        let moved = match neighbour.map(|j| self.detections[j]) {
            Some((g, c)) if g.abs_diff(f) <= self.rules.max_gap => {
                let t = (frame as f32 - f as f32) / (f as f32 - g as f32);
                lerp(&b, &BBox { x0: 2.0 * b.x0 - c.x0, y0: 2.0 * b.y0 - c.y0, x1: 2.0 * b.x1 - c.x1, y1: 2.0 * b.y1 - c.y1 }, t)
            }
            _ => shift(&b, camera.shift(f, frame)),
        };
        grow(&moved, FILL_MARGIN + GROWTH_PER_FRAME * frame.abs_diff(f) as f32)
    }

    /// Where the track should be in `frame`, to match new detections against.
    fn predicted(&self, frame: usize, camera: &Camera) -> BBox {
        let last = self.detections.len() - 1;
        let (f, b) = self.detections[last];
        match last.checked_sub(1).map(|i| self.detections[i]) {
            Some((g, c)) => {
                let t = (frame - g) as f32 / (f - g) as f32;
                lerp(&c, &b, t)
            }
            None => shift(&b, camera.shift(f, frame)),
        }
    }

    /// Whether it can still be seen in `frame` or later.
    fn covers_from(&self, frame: usize) -> bool {
        let reach = self.last_frame() + self.rules.max_gap.max(self.rules.pad);
        reach >= frame && self.scene.1.is_none_or(|end| end > frame)
    }
}

/// Where the camera has carried the picture, frame by frame, over the frames tracks can
/// still reach.
#[derive(Default)]
struct Camera {
    first_frame: usize,
    /// Total shift since the start of the video, from `first_frame` on.
    positions: std::collections::VecDeque<(f32, f32)>,
}

impl Camera {
    fn add(&mut self, motion: (f32, f32)) {
        let (x, y) = self.positions.back().copied().unwrap_or_default();
        self.positions.push_back((x + motion.0, y + motion.1));
    }

    /// How far content moved from frame `from` to frame `to`.
    fn shift(&self, from: usize, to: usize) -> (f32, f32) {
        let at = |frame: usize| self.positions.get(frame.wrapping_sub(self.first_frame)).copied().unwrap_or_default();
        let (a, b) = (at(from), at(to));
        (b.0 - a.0, b.1 - a.1)
    }

    fn forget_before(&mut self, frame: usize) {
        while self.first_frame < frame && self.positions.len() > 1 {
            self.positions.pop_front();
            self.first_frame += 1;
        }
    }
}

pub struct Tracker {
    face_rules: TrackRules,
    text_rules: TrackRules,
    tracks: Vec<Track>,
    camera: Camera,
    scene_start: usize,
    next_id: usize,
    latest: Option<usize>,
}

impl Tracker {
    /// `text_rules` serve text and barcodes, `face_rules` faces.
    pub fn new(face_rules: TrackRules, text_rules: TrackRules) -> Self {
        Self { face_rules, text_rules, tracks: Vec::new(), camera: Camera::default(), scene_start: 0, next_id: 0, latest: None }
    }

    /// Frames that must follow a frame before its boxes are final.
    pub fn lookahead(&self) -> usize {
        [self.face_rules, self.text_rules].iter().map(|r| r.max_gap.max(r.pad)).max().unwrap_or(0)
    }

    /// Adds the next frame's findings and the camera's `motion` since the frame before; frames
    /// come in order, each once.
    pub fn add_frame(&mut self, frame: usize, scene_cut: bool, motion: (f32, f32), findings: Vec<Finding>) {
        debug_assert!(self.latest.is_none_or(|latest| frame == latest + 1));
        self.latest = Some(frame);
        self.camera.add(if scene_cut { (0.0, 0.0) } else { motion });
        if scene_cut && frame > 0 {
            for track in self.tracks.iter_mut().filter(|t| t.scene.1.is_none()) {
                track.scene.1 = Some(frame);
            }
            self.scene_start = frame;
        }
        // Where each open track should be now (a crowd has hundreds), then every (track,
        // detection) pair that overlaps, best first; each side used once.
        let open: Vec<(usize, RegionKind, BBox)> = (self.tracks.iter().enumerate())
            .filter(|(_, track)| track.scene.1.is_none() && frame - track.last_frame() <= track.rules.max_gap)
            .map(|(t, track)| (t, track.kind, track.predicted(frame, &self.camera)))
            .collect();
        let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
        for (d, finding) in findings.iter().enumerate() {
            let found = BBox::from_xywh(finding.bbox);
            for &(t, kind, predicted) in &open {
                let iou = predicted.iou(&found);
                if kind == finding.kind && iou >= MIN_IOU {
                    pairs.push((iou, t, d));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut matched_track = vec![false; self.tracks.len()];
        let mut matched_finding: Vec<Option<usize>> = vec![None; findings.len()];
        for (_, t, d) in pairs {
            if !matched_track[t] && matched_finding[d].is_none() {
                matched_track[t] = true;
                matched_finding[d] = Some(t);
            }
        }
        for (finding, track) in findings.into_iter().zip(matched_finding) {
            let found = BBox::from_xywh(finding.bbox);
            match track {
                Some(t) => {
                    let track = &mut self.tracks[t];
                    track.detections.push((frame, found));
                    if finding.risk() > track.strongest.risk() {
                        track.strongest = finding;
                    }
                }
                None => {
                    let rules = if finding.kind == RegionKind::Face { self.face_rules } else { self.text_rules };
                    self.tracks.push(Track {
                        id: self.next_id,
                        kind: finding.kind,
                        detections: vec![(frame, found)],
                        strongest: finding,
                        scene: (self.scene_start, None),
                        rules,
                    });
                    self.next_id += 1;
                }
            }
        }
    }

    /// Every box to redact in `frame`, with the track it belongs to.
    pub fn boxes_at(&self, frame: usize) -> Vec<(&Track, BBox)> {
        self.tracks.iter().filter_map(|t| t.box_at(frame, &self.camera).map(|b| (t, b))).collect()
    }

    /// Removes and returns the tracks that cannot be seen in `frame` or later.
    pub fn retire_before(&mut self, frame: usize) -> Vec<Track> {
        let (done, live) = std::mem::take(&mut self.tracks).into_iter().partition(|t| !t.covers_from(frame));
        self.tracks = live;
        self.camera.forget_before(frame.saturating_sub(self.lookahead()));
        done
    }

    pub fn finish(self) -> Vec<Track> {
        self.tracks
    }
}

fn lerp(a: &BBox, b: &BBox, t: f32) -> BBox {
    let mix = |p: f32, q: f32| p + (q - p) * t;
    BBox { x0: mix(a.x0, b.x0), y0: mix(a.y0, b.y0), x1: mix(a.x1, b.x1), y1: mix(a.y1, b.y1) }
}

fn shift(b: &BBox, (dx, dy): (f32, f32)) -> BBox {
    BBox { x0: b.x0 + dx, y0: b.y0 + dy, x1: b.x1 + dx, y1: b.y1 + dy }
}

fn grow(b: &BBox, share: f32) -> BBox {
    let (dx, dy) = (b.width() * share / 2.0, b.height() * share / 2.0);
    BBox { x0: b.x0 - dx, y0: b.y0 - dy, x1: b.x1 + dx, y1: b.y1 + dy }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Region;
    use crate::redact::{face_redaction, RedactionMode};

    const FACES: TrackRules = TrackRules { max_gap: 4, pad: 2 };

    fn face(x: f32) -> Finding {
        let bbox = BBox { x0: x, y0: 100.0, x1: x + 40.0, y1: 150.0 };
        let region = Region { bbox, kind: RegionKind::Face, score: 0.9, quad: None };
        Finding::new(&region, face_redaction(&bbox, 1000, 1000, RedactionMode::Blur).unwrap(), None)
    }

    /// A face moving 5 px a frame, detected in the frames listed.
    fn tracker_with(seen: &[usize], frames: usize, cuts: &[usize]) -> Tracker {
        let mut tracker = Tracker::new(FACES, FACES);
        for frame in 0..frames {
            let found = if seen.contains(&frame) { vec![face(5.0 * frame as f32)] } else { vec![] };
            tracker.add_frame(frame, cuts.contains(&frame), (0.0, 0.0), found);
        }
        tracker
    }

    fn covers(b: &BBox, frame: usize) -> bool {
        let x = 5.0 * frame as f32;
        b.x0 <= x && b.x1 >= x + 40.0 - 1.0 && b.y0 <= 100.0 && b.y1 >= 150.0
    }

    #[test]
    fn gaps_are_filled_where_the_face_has_moved_to() {
        let tracker = tracker_with(&[0, 1, 4, 5], 6, &[]);
        assert_eq!(tracker.tracks.len(), 1, "one face, one track");
        for frame in 0..6 {
            let boxes = tracker.boxes_at(frame);
            assert_eq!(boxes.len(), 1, "frame {frame}");
            assert!(covers(&boxes[0].1, frame), "frame {frame}: {:?}", boxes[0].1);
        }
    }

    #[test]
    fn a_box_off_the_track_in_one_frame_is_widened_to_where_the_frames_around_put_the_face() {
        let mut tracker = Tracker::new(FACES, FACES);
        for frame in 0..5 {
            // Frame 2's detection is 12 px short of the face on the left (still the same track).
            let x = 5.0 * frame as f32;
            let found = if frame == 2 { face(x + 12.0) } else { face(x) };
            tracker.add_frame(frame, false, (0.0, 0.0), vec![found]);
        }
        assert_eq!(tracker.tracks.len(), 1);
        let (_, b) = tracker.boxes_at(2)[0];
        assert!(covers(&b, 2), "{b:?}");
        assert!(b.x1 >= 10.0 + 12.0 + 40.0, "and keeps what was detected: {b:?}");
    }

    #[test]
    fn tracks_reach_a_few_frames_beyond_their_detections_and_no_further() {
        let tracker = tracker_with(&[5, 6, 7], 14, &[]);
        for frame in 3..=9 {
            let boxes = tracker.boxes_at(frame);
            assert!(boxes.len() == 1 && covers(&boxes[0].1, frame), "frame {frame} is covered");
        }
        assert!(tracker.boxes_at(2).is_empty() && tracker.boxes_at(10).is_empty());
    }

    #[test]
    fn a_scene_cut_stops_tracks_from_filling_or_reaching_across_it() {
        let tracker = tracker_with(&[0, 1, 2, 5, 6], 8, &[4]);
        assert_eq!(tracker.tracks.len(), 2, "the face after the cut is a new track");
        assert!(tracker.boxes_at(3).len() == 1, "frame 3 is still the first shot's");
        assert!(tracker.boxes_at(4).len() == 1, "frame 4 only gets the second track's lead-in");
        assert_eq!(tracker.boxes_at(4)[0].0.id, 1);
    }

    #[test]
    fn separate_faces_keep_separate_tracks_and_retire_when_out_of_reach() {
        let mut tracker = Tracker::new(FACES, FACES);
        tracker.add_frame(0, true, (0.0, 0.0), vec![face(0.0), face(500.0)]);
        tracker.add_frame(1, false, (0.0, 0.0), vec![face(505.0), face(5.0)]);
        assert_eq!(tracker.tracks.len(), 2);
        assert!(tracker.tracks.iter().all(|t| t.detections() == 2));
        for frame in 2..8 {
            tracker.add_frame(frame, false, (0.0, 0.0), vec![]);
        }
        assert!(tracker.retire_before(5).is_empty(), "a gap could still be filled at frame 5");
        assert_eq!(tracker.retire_before(6).len(), 2);
    }

    #[test]
    fn a_face_seen_now_and_then_in_a_pan_moves_with_the_camera() {
        // The camera pans so that content moves 12 px left a frame; a 40-px face is seen
        // only in frames 0 and 6: too far apart for one track's gap, but each sighting is
        // carried along with the camera.
        let mut tracker = Tracker::new(TrackRules { max_gap: 4, pad: 4 }, FACES);
        let at = |frame: usize| 300.0 - 12.0 * frame as f32;
        for frame in 0..11 {
            let found = if frame % 6 == 0 { vec![face(at(frame))] } else { vec![] };
            tracker.add_frame(frame, frame == 0, (-12.0, 0.0), found);
        }
        for frame in 0..11 {
            let covered = tracker.boxes_at(frame).iter().any(|(_, b)| b.x0 <= at(frame) && b.x1 >= at(frame) + 40.0);
            assert!(covered, "frame {frame}: {:?}", tracker.boxes_at(frame));
        }
    }
}

//! Hospital scenes the project draws itself, with the PHI each one shows: a wristband with a
//! QR code, a whiteboard, a monitor table, a pharmacy label and a visitor badge, plus signs
//! with no PHI at all. Each can be degraded the way real photos are: turned, seen at an angle,
//! out of focus, JPEG-compressed.
#![allow(dead_code)]

use super::fixtures::FONT;
use image::{Rgb, RgbImage};
use imageproc::geometric_transformations::{rotate_about_center, warp, Border, Interpolation, Projection};

pub struct Scene {
    pub name: String,
    pub image: RgbImage,
    /// Strings that must not survive redaction.
    pub phi: Vec<&'static str>,
}

struct Canvas {
    image: RgbImage,
    font: ab_glyph::FontVec,
}

impl Canvas {
    fn new(width: u32, height: u32, background: [u8; 3]) -> Self {
        let bytes = std::fs::read(FONT).unwrap_or_else(|e| panic!("{FONT}: {e} (run `make setup`)"));
        let font = ab_glyph::FontVec::try_from_vec(bytes).expect("a TrueType font");
        // A little texture, as a camera sees any surface.
        let image = RgbImage::from_fn(width, height, |x, y| Rgb(background.map(|c| c.saturating_add(((x * 7 + y * 13) % 9) as u8))));
        Self { image, font }
    }

    fn panel(mut self, x: i32, y: i32, w: u32, h: u32, colour: [u8; 3]) -> Self {
        imageproc::drawing::draw_filled_rect_mut(&mut self.image, imageproc::rect::Rect::at(x, y).of_size(w, h), Rgb(colour));
        self
    }

    fn text(mut self, x: i32, y: i32, size: f32, colour: [u8; 3], text: &str) -> Self {
        imageproc::drawing::draw_text_mut(&mut self.image, Rgb(colour), x, y, size, &self.font, text);
        self
    }

    /// `text` reading up the image, as along a band's edge, its left end at the bottom: the
    /// image and the box it fills.
    fn text_reading_up(mut self, x: u32, y: u32, size: f32, colour: [u8; 3], text: &str) -> (Self, [u32; 4]) {
        let (width, height) = imageproc::drawing::text_size(size, &self.font, text);
        let ground = *self.image.get_pixel(x, y);
        let mut strip = RgbImage::from_pixel(width, height, ground);
        imageproc::drawing::draw_text_mut(&mut strip, Rgb(colour), 0, 0, size, &self.font, text);
        let upright = image::imageops::rotate270(&strip);
        image::imageops::replace(&mut self.image, &upright, x.into(), y.into());
        (self, [x, y, height, width])
    }

    fn qr(mut self, x: u32, y: u32, payload: &str) -> Self {
        use rxing::{BarcodeFormat, EncodeHints, MultiFormatWriter, Writer};
        let hints = EncodeHints { Margin: Some("2".into()), ..Default::default() };
        let matrix = MultiFormatWriter.encode_with_hints(payload, &BarcodeFormat::QR_CODE, 150, 150, &hints).expect("QR");
        for my in 0..matrix.height() {
            for mx in 0..matrix.width() {
                let colour = if matrix.get(mx, my) { [0, 0, 0] } else { [255, 255, 255] };
                self.image.put_pixel(x + mx, y + my, Rgb(colour));
            }
        }
        self
    }

    fn scene(self, name: &str, phi: Vec<&'static str>) -> Scene {
        Scene { name: name.into(), image: self.image, phi }
    }
}

const INK: [u8; 3] = [25, 25, 35];

pub fn wristband() -> Scene {
    Canvas::new(1000, 420, [120, 140, 170])
        .panel(30, 110, 940, 200, [246, 246, 240])
        .text(60, 130, 30.0, INK, "SMITH, JOHN A")
        .text(60, 180, 30.0, INK, "DOB 03/14/1962  MRN 00482913")
        .text(60, 230, 26.0, INK, "Allergies: penicillin")
        .qr(790, 130, "00482913")
        .scene("wristband", vec!["SMITH", "JOHN", "03/14/1962", "00482913"])
}

/// A wristband whose record number is printed again along its edge, reading up, with no label
/// of its own; and that copy's box.
pub fn wristband_with_edge_number() -> (Scene, [u32; 4]) {
    let (canvas, copy) = Canvas::new(1000, 420, [120, 140, 170])
        .panel(30, 110, 940, 200, [246, 246, 240])
        .text(60, 130, 30.0, INK, "OKAFOR, CHIDI")
        .text(60, 180, 30.0, INK, "MRN VL9302")
        .text(60, 230, 26.0, INK, "Ward 4B")
        .text_reading_up(700, 140, 24.0, INK, "VL9302");
    (canvas.scene("wristband-edge-number", vec!["OKAFOR", "CHIDI", "VL9302"]), copy)
}

pub fn whiteboard() -> Scene {
    Canvas::new(1100, 700, [235, 238, 240])
        .text(60, 50, 44.0, [20, 60, 160], "Room 12 - Care Team")
        .text(60, 150, 38.0, [20, 20, 20], "Patient: Maria Garcia")
        .text(60, 230, 38.0, [20, 20, 20], "Admitted 11/02/2026")
        .text(60, 310, 38.0, [160, 20, 20], "Nurse today: Kim")
        .text(60, 390, 38.0, [20, 20, 20], "Goal: walk twice daily")
        .scene("whiteboard", vec!["Garcia", "11/02/2026"])
}

pub fn monitor_table() -> Scene {
    Canvas::new(1200, 500, [10, 12, 16])
        .text(40, 40, 30.0, [120, 220, 120], "Bed  Patient            MRN       DOB")
        .text(40, 110, 30.0, [230, 230, 230], "4    GARCIA, MARIA     7734219   05/22/1948")
        .text(40, 180, 30.0, [230, 230, 230], "5    JOHNSON, DAVID    8812345   09/30/1955")
        .text(40, 300, 28.0, [120, 220, 120], "HR 72  SpO2 98%  NIBP 120/80")
        .scene("monitor", vec!["GARCIA", "7734219", "05/22/1948", "JOHNSON", "8812345", "09/30/1955"])
}

/// A clinic's day list, each cell drawn on its own: times, names, dates of
/// birth and record numbers in columns under their headers.
pub fn clinic_schedule() -> Scene {
    let rows = [
        ["Time", "Patient", "DOB", "MRN"],
        ["0830", "GARCIA, MARIA", "05/22/1948", "7734219"],
        ["0900", "JOHNSON, DAVID", "09/30/1955", "8812345"],
        ["0930", "OKAFOR, NGOZI", "12/04/1969", "6618203"],
        ["1000", "SZABO, ERZSEBET", "07/30/1944", "5520917"],
    ];
    let mut canvas = Canvas::new(1200, 560, [250, 250, 248]);
    for (row, cells) in (0..).zip(rows) {
        for (x, cell) in [40, 200, 560, 820].into_iter().zip(cells) {
            canvas = canvas.text(x, 40 + row * 90, 30.0, INK, cell);
        }
    }
    let phi = rows[1..].iter().flat_map(|cells| cells[1..].iter().copied()).collect();
    canvas.scene("clinic-schedule", phi)
}

/// A patient list on a screen in dark mode, small grey print on near-black, as a phone sees
/// it across a nurses' station.
pub fn dark_mode_list() -> Scene {
    const GREY: [u8; 3] = [100, 104, 110];
    Canvas::new(1400, 900, [18, 20, 26])
        .text(40, 40, 16.0, [90, 160, 200], "Unit census - 4 West")
        .text(40, 90, 14.0, GREY, "412-A   OKONKWO, CHUKWUEMEKA   MRN 6618203   DOB 02/11/1957")
        .text(40, 125, 14.0, GREY, "412-B   SZABO, ERZSEBET   MRN 5520917   DOB 07/30/1944")
        .text(40, 160, 14.0, GREY, "413-A   MORALES, ROSA   MRN 7093318   DOB 12/04/1969")
        .scene(
            "dark-mode-list",
            vec!["OKONKWO", "6618203", "02/11/1957", "SZABO", "5520917", "07/30/1944", "MORALES", "7093318", "12/04/1969"],
        )
}

pub fn pharmacy_label() -> Scene {
    Canvas::new(1000, 520, [200, 180, 140])
        .panel(40, 40, 920, 440, [252, 252, 250])
        .text(70, 70, 30.0, INK, "Rx# 6654321   Filled 10/05/2026")
        .text(70, 130, 34.0, INK, "JOHNSON, DAVID")
        .text(70, 200, 28.0, INK, "Take 1 tablet by mouth daily")
        .text(70, 260, 28.0, INK, "Dr. Lee   Ph (617) 555-0134")
        .text(70, 330, 26.0, INK, "Metformin 500 mg  Qty 60")
        .scene("pharmacy", vec!["6654321", "10/05/2026", "JOHNSON", "555-0134"])
}

pub fn visitor_badge() -> Scene {
    Canvas::new(700, 900, [60, 90, 70])
        .panel(80, 80, 540, 740, [250, 250, 250])
        .text(200, 130, 56.0, [180, 20, 20], "VISITOR")
        .text(120, 300, 36.0, INK, "Name: Jane Doe")
        .text(120, 380, 32.0, INK, "Visiting: Room 412")
        .text(120, 460, 32.0, INK, "Date 11/27/2026")
        .scene("badge", vec!["Jane Doe", "11/27/2026"])
}

/// A NICU crib card, as seen in Halloween photos.
pub fn crib_card() -> Scene {
    Canvas::new(900, 600, [250, 210, 220])
        .panel(60, 60, 780, 480, [255, 250, 240])
        .text(110, 100, 48.0, [200, 60, 120], "Baby Girl Okafor")
        .text(110, 200, 34.0, INK, "Born 10/31/2026  7 lb 2 oz")
        .text(110, 280, 34.0, INK, "Happy first Halloween!")
        .scene("crib-card", vec!["Okafor", "10/31/2026"])
}

/// A handover note naming people in running text, with names the US Census never counted
/// and no label before them.
pub fn handover_note() -> Scene {
    Canvas::new(1200, 420, [255, 246, 170])
        .text(60, 60, 34.0, INK, "Family meeting with Kwabena Boateng at 3 pm")
        .text(60, 150, 34.0, INK, "Ride home arranged by Tadhg Breathnach")
        .text(60, 240, 34.0, INK, "Bed 7 ok to go after lunch")
        .scene("handover-note", vec!["Kwabena Boateng", "Tadhg Breathnach"])
}

/// Names no rule of the scanner recognises, each under a heading that is no label of a name:
/// a surname OCR misreads ("CHOl") before a Korean given name, an Indian name in `Last, First`
/// order, and a name whose surname is an ordinary word. Only the learned tagger finds them.
pub fn names_only_context_tells() -> Scene {
    Canvas::new(1100, 600, [255, 246, 170])
        .text(60, 40, 34.0, INK, "Permit holder")
        .text(60, 100, 34.0, INK, "CHOI, Ha-eun")
        .text(60, 220, 34.0, INK, "Fax to")
        .text(60, 280, 34.0, INK, "Iyer, Priyanka")
        .text(60, 400, 34.0, INK, "Reviewed and approved")
        .text(60, 460, 34.0, INK, "Gregory Little")
        .scene("names-in-context", vec!["Ha-eun", "Priyanka", "Gregory Little"])
}

/// A fax cover page scanned badly: small grey type, turned a little, out of focus and noisy;
/// with the box (x, y, width, height) that the patient's name ends up in.
pub fn faint_fax_page() -> (Scene, [u32; 4]) {
    const PAPER: [u8; 3] = [225, 222, 215];
    const GREY_INK: [u8; 3] = [135, 132, 125];
    const NAME: &str = "Chiamaka Adeyemi";
    let lines = [
        "FAX COVER SHEET",
        "To: Records Department",
        "From: Utilization Review",
        "Pages: 4 (including cover)",
        "Re: Patient Chiamaka Adeyemi",
        "Please review the enclosed notes",
        "Reply by phone before Friday",
        "Thank you for your help",
        "Confidential: intended for the addressee only",
        "Urgent [ ] For review [x] Please reply [ ]",
    ];
    let (width, height, size) = (900, 700, 13.0);
    let row_y = |row: usize| 40 + 28 * row as i32;
    let mut page = Canvas::new(width, height, PAPER);
    for (row, line) in lines.iter().enumerate() {
        page = page.text(50, row_y(row), size, GREY_INK, line);
    }
    // The name alone, drawn where it stands on the page and turned the same way, marks its box.
    let indent = imageproc::drawing::text_size(size, &page.font, "Re: Patient ").0 as i32;
    let name_only = Canvas::new(width, height, [0, 0, 0]).text(50 + indent, row_y(4), size, [255, 255, 255], NAME);
    let turn = |image: &RgbImage, ground: [u8; 3]| {
        rotate_about_center(image, 4.5f32.to_radians(), Interpolation::Bilinear, Border::Constant(Rgb(ground)))
    };
    let name_box = bright_pixels_box(&turn(&name_only.image, [0, 0, 0]));
    let mut image = imageproc::filter::gaussian_blur_f32(&turn(&page.image, PAPER), 1.3);
    // Sensor noise, the same every run: a xorshift sequence, +-6 levels.
    let mut state: u32 = 0x9e37_79b9;
    for pixel in image.pixels_mut() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 13) as i16 - 6;
        pixel.0 = pixel.0.map(|c| (i16::from(c) + noise).clamp(0, 255) as u8);
    }
    (Scene { name: "faint-fax-page".into(), image, phi: vec![NAME] }, name_box)
}

/// The box around the pixels brighter than mid-grey.
fn bright_pixels_box(image: &RgbImage) -> [u32; 4] {
    let bright = image.enumerate_pixels().filter(|(_, _, p)| p.0[0] > 128).map(|(x, y, _)| (x, y));
    let (x0, y0, x1, y1) = bright.fold((u32::MAX, u32::MAX, 0, 0), |(x0, y0, x1, y1), (x, y)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y)));
    [x0, y0, x1 + 1 - x0, y1 + 1 - y0]
}

/// Signs with no PHI: nothing on them may be flagged.
pub fn controls() -> Vec<Scene> {
    let sign = |name: &str, lines: [&str; 2]| {
        Canvas::new(1000, 400, [240, 236, 220])
            .text(60, 100, 48.0, [30, 60, 140], lines[0])
            .text(60, 220, 40.0, INK, lines[1])
            .scene(name, Vec::new())
    };
    vec![
        sign("halloween", ["Happy Halloween from the NICU!", "Costume parade at 3 pm"]),
        sign("hands", ["Wash your hands", "Cardiology - 3rd floor"]),
        sign("pharmacy-hours", ["Open 24 hours", "Visiting hours 9-5"]),
    ]
}

pub fn with_phi() -> Vec<Scene> {
    vec![wristband(), whiteboard(), monitor_table(), pharmacy_label(), visitor_badge(), crib_card()]
}

/// The same scene turned by `degrees`.
pub fn rotated(scene: &Scene, degrees: f32) -> Scene {
    let image = rotate_about_center(&scene.image, degrees.to_radians(), Interpolation::Bilinear, Border::Constant(Rgb([128, 128, 128])));
    Scene { name: format!("{}-rotated", scene.name), image, phi: scene.phi.clone() }
}

/// The same scene upside down.
pub fn upside_down(scene: &Scene) -> Scene {
    Scene { name: format!("{}-upside-down", scene.name), image: image::imageops::rotate180(&scene.image), phi: scene.phi.clone() }
}

/// The same scene turned a quarter clockwise: its lines run down the image.
pub fn turned_quarter(scene: &Scene) -> Scene {
    Scene { name: format!("{}-quarter", scene.name), image: image::imageops::rotate90(&scene.image), phi: scene.phi.clone() }
}

/// The same scene seen from the side: the right edge shorter than the left.
pub fn in_perspective(scene: &Scene) -> Scene {
    let (w, h) = (scene.image.width() as f32, scene.image.height() as f32);
    let from = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    let to = [(0.0, 0.0), (w * 0.95, h * 0.08), (w * 0.95, h * 0.92), (0.0, h)];
    let projection = Projection::from_control_points(from, to).expect("a valid projection");
    let image = warp(&scene.image, projection, Interpolation::Bilinear, Border::Constant(Rgb([128, 128, 128])));
    Scene { name: format!("{}-perspective", scene.name), image, phi: scene.phi.clone() }
}

/// Slightly out of focus, then saved as a phone would (JPEG quality 60) and decoded again.
pub fn blurred_and_compressed(scene: &Scene) -> Scene {
    let blurred = imageproc::filter::gaussian_blur_f32(&scene.image, 1.0);
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 60).encode_image(&blurred).expect("JPEG");
    let image = image::load_from_memory(&bytes).expect("decode").to_rgb8();
    Scene { name: format!("{}-blurred-jpeg", scene.name), image, phi: scene.phi.clone() }
}

/// A car's rear parked in front of a wall, its licence plate ("7ABC123" under "CALIFORNIA")
/// in a dark recess, beside two plate-shaped signs that are no plates ("ROOM 412", "EXIT").
/// Returns the scene and the plate's box.
pub fn parked_car() -> (Scene, [u32; 4]) {
    let plate = [380, 320, 220, 110];
    let scene = Canvas::new(960, 540, [150, 160, 170])
        .panel(0, 300, 960, 240, [80, 80, 86])
        .panel(60, 60, 230, 60, [250, 250, 250])
        .text(75, 72, 36.0, INK, "ROOM 412")
        .panel(700, 60, 120, 60, [30, 110, 50])
        .text(718, 72, 36.0, [255, 255, 255], "EXIT")
        .panel(250, 180, 480, 290, [30, 60, 120])
        .panel(370, 310, 240, 130, [35, 35, 38])
        .panel(plate[0] as i32, plate[1] as i32, plate[2], plate[3], [245, 245, 240])
        .text(428, 326, 20.0, [160, 20, 20], "CALIFORNIA")
        .text(398, 354, 46.0, [20, 30, 110], "7ABC123")
        .scene("parked-car", vec!["7ABC123"]);
    (scene, plate)
}

/// The parked car seen from `times` farther away, at (`X`, `Y`) in a wider street: its plate
/// at the returned place and size, and its registration's characters about 32 / `times` px tall.
pub fn distant_parked_car(times: f32) -> (Scene, [u32; 4]) {
    const X: u32 = 420;
    const Y: u32 = 300;
    let (near, plate) = parked_car();
    let (width, height) = ((near.image.width() as f32 / times) as u32, (near.image.height() as f32 / times) as u32);
    let far = image::imageops::resize(&near.image, width, height, image::imageops::FilterType::Triangle);
    let mut street = Canvas::new(1280, 720, [150, 160, 170]).panel(0, 400, 1280, 320, [80, 80, 86]);
    image::imageops::overlay(&mut street.image, &far, X.into(), Y.into());
    let at = |v: u32| (v as f32 / times) as u32;
    (street.scene("distant-parked-car", near.phi), [X + at(plate[0]), Y + at(plate[1]), at(plate[2]), at(plate[3])])
}

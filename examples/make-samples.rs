//! Renders the project's own sample images into `samples/` (run by `make setup`):
//! a crowd of heads from 160 down to 13 px tall, and a phone photo with EXIF orientation, GPS and a
//! thumbnail, as a JPEG and as a HEIC, all made from the public-domain astronaut photo fetched
//! by set-up; and drawn hospital scenes: a wristband with a QR code, a whiteboard, and a sign
//! with no PHI on it.

#[path = "../tests/common/fixtures.rs"]
mod fixtures;
#[path = "../tests/common/scenes.rs"]
mod scenes;

fn main() {
    let dir = fixtures::repo_path("samples");
    // Heads from 160 px down to 13 px, the smallest the detector finds reliably (see docs/guide.md).
    let sizes = [160, 128, 96, 80, 64, 56, 48, 40, 36, 32, 28, 24, 22, 20, 18, 16, 15, 14, 14, 13, 13];
    let (crowd, _) = fixtures::crowd(&sizes);
    crowd.save(dir.join("crowd-of-faces.png")).expect("write crowd sample");
    std::fs::write(dir.join("phone-photo-with-gps.jpg"), fixtures::phone_jpeg(&fixtures::astronaut_landscape()))
        .expect("write phone sample");
    std::fs::write(dir.join("IMG_0001.HEIC"), fixtures::phone_heic(&fixtures::astronaut_landscape())).expect("write HEIC sample");
    let (capture, _) = fixtures::burned_in_dicom(2, &fixtures::DICOM_PATIENT, 1);
    std::fs::write(dir.join("wristband-capture.dcm"), capture).expect("write DICOM sample");
    for scene in [scenes::wristband(), scenes::whiteboard(), scenes::controls().remove(0)] {
        scene.image.save(dir.join(format!("{}.png", scene.name))).expect("write scene sample");
    }
    println!("samples written to {}", dir.display());
}

//! Posters of filmed testimonies, fetched once by the server from where the source points
//! (type- and size-checked, resized to what the carousel shows, kept as JPEG), so that a
//! visitor's browser asks nothing of a video host before they press play.

use std::io::Cursor;
use std::sync::Mutex;
use std::time::Duration;

use bao_contract::{POSTER_HEIGHT, POSTER_WIDTH};
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{ImageFormat, ImageReader, Limits};

use crate::store::{Database, DbError};

/// Largest download accepted: thumbnails are a few hundred KB, anything bigger is not one.
const MAX_DOWNLOAD_BYTES: u64 = 5 * 1024 * 1024;
/// Largest image decoded, in pixels per side, and memory the decoder may take: a small file
/// can claim a huge size (decompression bomb).
const MAX_DECODED_SIDE: u32 = 8192;
const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(4);
const FETCH_WORKERS: usize = 4;
const JPEG_QUALITY: u8 = 80;

/// What fetching the missing posters did.
#[derive(Debug, Default)]
pub struct FetchReport {
    pub fetched: usize,
    /// Source URL and why it gave no poster; a placeholder is shown for these.
    pub failed: Vec<(String, String)>,
}

impl std::fmt::Display for FetchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "affiches : {} récupérée(s), {} remplacée(s) par une image de titre.",
            self.fetched,
            self.failed.len()
        )?;
        for (url, reason) in &self.failed {
            writeln!(f, "  affiche {url} : {reason}")?;
        }
        Ok(())
    }
}

/// Fetches every poster that was never tried, a few at a time, and stores each outcome: a poster
/// is fetched once, a failure is not retried.
pub fn fetch_missing(db: &Database) -> Result<FetchReport, DbError> {
    let sources = db.posters_to_fetch()?;
    if sources.is_empty() {
        return Ok(FetchReport::default());
    }
    let agent = super::http_agent(FETCH_TIMEOUT, CONNECT_TIMEOUT, "poster cache");
    let queue = Mutex::new(sources.into_iter());
    let report = Mutex::new(FetchReport::default());
    let stored: Mutex<Result<(), DbError>> = Mutex::new(Ok(()));
    std::thread::scope(|scope| {
        for _ in 0..FETCH_WORKERS {
            scope.spawn(|| {
                // The queue's lock is released before the download starts.
                let next = || queue.lock().ok()?.next();
                while let Some(url) = next() {
                    let outcome = download(&agent, &url).and_then(|bytes| resize(&bytes));
                    if let Err(error) = db.store_poster(&url, &outcome) {
                        *stored.lock().unwrap_or_else(|e| e.into_inner()) = Err(error);
                        break;
                    }
                    let mut report = report.lock().unwrap_or_else(|e| e.into_inner());
                    match outcome {
                        Ok(_) => report.fetched += 1,
                        Err(reason) => {
                            tracing::warn!(%url, %reason, "poster not fetched: a placeholder is shown");
                            report.failed.push((url, reason));
                        }
                    }
                }
            });
        }
    });
    stored.into_inner().unwrap_or_else(|e| e.into_inner())?;
    let mut report = report.into_inner().unwrap_or_else(|e| e.into_inner());
    report.failed.sort();
    Ok(report)
}

/// The bytes at `url`, if it answers with an image type and not too many of them.
fn download(agent: &ureq::Agent, url: &str) -> Result<Vec<u8>, String> {
    let mut response =
        agent.get(url).call().map_err(|error| format!("téléchargement impossible ({error})"))?;
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !["image/jpeg", "image/png", "image/webp"].iter().any(|accepted| content_type.starts_with(accepted)) {
        return Err(format!("type « {content_type} » refusé (attendu : JPEG, PNG ou WebP)"));
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_DOWNLOAD_BYTES)
        .read_to_vec()
        .map_err(|error| format!("lecture impossible ou plus de {} Mio ({error})", MAX_DOWNLOAD_BYTES >> 20))
}

/// Decodes a JPEG, PNG or WebP image (whatever its claimed type), shrinks it to fit the
/// carousel and encodes it as JPEG; returns the JPEG and its width and height.
pub fn resize(bytes: &[u8]) -> Result<(Vec<u8>, u32, u32), String> {
    let mut reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|error| error.to_string())?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) {
        return Err("le contenu n'est pas une image JPEG, PNG ou WebP".into());
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let image = reader.decode().map_err(|error| format!("image illisible ({error})"))?;
    let image = if image.width() > POSTER_WIDTH || image.height() > POSTER_HEIGHT {
        // Keeps the proportions: the result fits within the box.
        image.resize(POSTER_WIDTH, POSTER_HEIGHT, FilterType::Triangle)
    } else {
        image
    };
    let rgb = image.to_rgb8();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&rgb)
        .map_err(|error| format!("encodage JPEG impossible ({error})"))?;
    Ok((jpeg, rgb.width(), rgb.height()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgb8(image)
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn large_images_shrink_to_the_carousel_keeping_proportions() {
        let (jpeg, width, height) = resize(&png(1280, 960)).unwrap();
        assert_eq!((width, height), (480, 360));
        assert_eq!(&jpeg[..3], &[0xFF, 0xD8, 0xFF], "JPEG magic");
        let (_, width, height) = resize(&png(320, 180)).unwrap();
        assert_eq!((width, height), (320, 180), "small images are not enlarged");
    }

    #[test]
    fn what_is_not_an_image_is_refused() {
        assert!(resize(b"<html>not found</html>").is_err());
        assert!(resize(b"").is_err());
        let mut truncated = png(100, 100);
        truncated.truncate(60);
        assert!(resize(&truncated).is_err());
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert!(resize(gif).is_err());
    }
}

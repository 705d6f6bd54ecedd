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
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::french::counted;
use crate::store::{Database, DbError, MediaToFetch};

/// Largest download accepted: thumbnails are a few hundred KB, anything bigger is not one.
const MAX_DOWNLOAD_BYTES: u64 = 5 * 1024 * 1024;
/// Largest image decoded, in pixels (a 4K frame; a poster is shown at 640 × 360), and memory the
/// decoder may take: a small file can claim a huge size (decompression bomb), and an 8192 × 8192
/// one cost 322 MB to decode.
const MAX_DECODED_PIXELS: u64 = 3840 * 2160;
const MAX_DECODE_ALLOC: u64 = 64 * 1024 * 1024;
/// Images are decoded one at a time, whoever asks (a sync and the start-up fetch may both), so
/// that memory stays within one decode's bound.
static ONE_DECODE_AT_A_TIME: Mutex<()> = Mutex::new(());
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(4);
const FETCH_WORKERS: usize = 4;
const JPEG_QUALITY: u8 = 80;
/// The box an image of a body fits in: the width of the text, twice, for sharp screens.
const BODY_IMAGE_BOX: (u32, u32) = (1280, 1280);

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
            "affiches : {}, {} par une image de titre.",
            counted(&self.fetched, "récupérée", "récupérées"),
            counted(&self.failed.len(), "remplacée", "remplacées")
        )?;
        for (url, reason) in &self.failed {
            writeln!(f, "  affiche {url} : {reason}")?;
        }
        Ok(())
    }
}

/// The addresses media may be fetched from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Reach {
    /// Public addresses only: a source cannot make the server ask its own machine or network
    /// (loopback, private, link-local and cloud metadata addresses), first hop or redirect.
    #[default]
    Public,
    /// Private addresses too: tests, and intranets whose media are on the local network.
    AlsoPrivate,
}

/// Fetches every poster that was never tried, a few at a time, and stores each outcome: a poster
/// is fetched once, a failure is not retried.
pub fn fetch_missing(db: &Database, reach: Reach) -> Result<FetchReport, DbError> {
    let sources = db.posters_to_fetch()?;
    if sources.is_empty() {
        return Ok(FetchReport::default());
    }
    let agent = super::http_agent(FETCH_TIMEOUT, CONNECT_TIMEOUT, "poster cache");
    let agent = match reach {
        Reach::AlsoPrivate => agent,
        Reach::Public => {
            ureq::Agent::with_parts(agent.config().clone(), DefaultConnector::default(), PublicOnly)
        }
    };
    let queue = Mutex::new(sources.into_iter());
    let report = Mutex::new(FetchReport::default());
    let stored: Mutex<Result<(), DbError>> = Mutex::new(Ok(()));
    std::thread::scope(|scope| {
        for _ in 0..FETCH_WORKERS {
            scope.spawn(|| {
                // The queue's lock is released before the download starts.
                let next = || queue.lock().ok()?.next();
                while let Some(MediaToFetch { url, in_body }) = next() {
                    let fit = if in_body { BODY_IMAGE_BOX } else { (POSTER_WIDTH, POSTER_HEIGHT) };
                    let outcome = download(&agent, &url).and_then(|bytes| resize(&bytes, fit));
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

/// Decodes a JPEG, PNG or WebP image (whatever its claimed type), shrinks it to fit `(width,
/// height)` and encodes it as JPEG, transparency over white; returns the JPEG and its size.
pub fn resize(bytes: &[u8], (box_width, box_height): (u32, u32)) -> Result<(Vec<u8>, u32, u32), String> {
    let mut reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|error| error.to_string())?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) {
        return Err("le contenu n'est pas une image JPEG, PNG ou WebP".into());
    }
    let (width, height) = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map(|reader| reader.into_dimensions())
        .map_err(|error| error.to_string())?
        .map_err(|error| format!("image illisible ({error})"))?;
    if u64::from(width) * u64::from(height) > MAX_DECODED_PIXELS {
        return Err(format!("image trop grande ({width} × {height} pixels ; 3840 × 2160 au plus)"));
    }
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let image = {
        let _decoding = ONE_DECODE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        reader.decode().map_err(|error| format!("image illisible ({error})"))?
    };
    let image = if image.width() > box_width || image.height() > box_height {
        // Keeps the proportions: the result fits within the box.
        image.resize(box_width, box_height, FilterType::Triangle)
    } else {
        image
    };
    let rgb = if image.color().has_alpha() { over_white(&image.to_rgba8()) } else { image.to_rgb8() };
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&rgb)
        .map_err(|error| format!("encodage JPEG impossible ({error})"))?;
    Ok((jpeg, rgb.width(), rgb.height()))
}

/// A transparent image as it shows on a white page (a diagram's background, not black).
fn over_white(rgba: &image::RgbaImage) -> image::RgbImage {
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend =
            |channel: u8| ((u16::from(channel) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

/// The system's resolver, keeping public addresses only: IP literals and redirects go through
/// it too, so no hop reaches an internal address.
#[derive(Debug)]
struct PublicOnly;

impl Resolver for PublicOnly {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let mut public = self.empty();
        for address in &DefaultResolver::default().resolve(uri, config, timeout)? {
            if crate::address::is_public(address.ip()) {
                public.push(*address);
            }
        }
        if public.is_empty() {
            let refused = format!("{} : adresse interne refusée", uri.host().unwrap_or_default());
            return Err(ureq::Error::Other(refused.into()));
        }
        Ok(public)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POSTER: (u32, u32) = (POSTER_WIDTH, POSTER_HEIGHT);

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
        let (jpeg, width, height) = resize(&png(1280, 960), POSTER).unwrap();
        assert_eq!((width, height), (480, 360));
        assert_eq!(&jpeg[..3], &[0xFF, 0xD8, 0xFF], "JPEG magic");
        let (_, width, height) = resize(&png(320, 180), POSTER).unwrap();
        assert_eq!((width, height), (320, 180), "small images are not enlarged");
    }

    /// 261 KB that claim 8192 × 8192 pixels: refused from the header, before any decoding.
    #[test]
    fn a_decompression_bomb_is_refused_before_decoding() {
        let bomb = {
            let image = image::GrayImage::new(8192, 8192);
            let mut bytes = Vec::new();
            image::DynamicImage::ImageLuma8(image)
                .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
                .unwrap();
            bytes
        };
        assert!(bomb.len() < 400_000, "{} bytes", bomb.len());
        let started = std::time::Instant::now();
        let error = resize(&bomb, POSTER).unwrap_err();
        assert!(error.contains("8192 × 8192"), "{error}");
        assert!(started.elapsed() < std::time::Duration::from_millis(200), "{:?}", started.elapsed());
        assert!(resize(&png(3840, 2160), POSTER).is_ok(), "a 4K frame is a poster");
    }

    #[test]
    fn transparency_shows_as_white() {
        let diagram = image::RgbaImage::from_fn(40, 20, |x, _| {
            image::Rgba(if x < 20 { [0, 0, 0, 0] } else { [0, 0, 0, 255] })
        });
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgba8(diagram)
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        let (jpeg, ..) = resize(&bytes, BODY_IMAGE_BOX).unwrap();
        let shown = image::load_from_memory(&jpeg).unwrap().to_rgb8();
        assert!(shown.get_pixel(5, 10).0.iter().all(|&c| c > 240), "transparent is white");
        assert!(shown.get_pixel(35, 10).0.iter().all(|&c| c < 15), "opaque black stays black");
    }

    #[test]
    fn what_is_not_an_image_is_refused() {
        assert!(resize(b"<html>not found</html>", POSTER).is_err());
        assert!(resize(b"", POSTER).is_err());
        let mut truncated = png(100, 100);
        truncated.truncate(60);
        assert!(resize(&truncated, POSTER).is_err());
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert!(resize(gif, POSTER).is_err());
    }
}

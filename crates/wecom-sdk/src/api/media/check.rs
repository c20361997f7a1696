//! WeCom's size and format limits for uploads, checked before any I/O.
//!
//! Sizes: the documentation says "MB"; they are read as MiB (1,048,576 bytes), the larger
//! reading, so a file WeCom accepts is never refused here — WeCom stays the authority at the
//! edge. Formats are checked by extension and, for images, voice and video, by the first
//! bytes of the content.

use super::{Media, MediaType};
use crate::error::InvalidArgument;

const MIB: usize = 1024 * 1024;

/// Media must be larger than this many bytes (WeCom: "> 5 bytes").
pub const MIN_MEDIA_BYTES: usize = 5;

/// The largest upload WeCom accepts of any kind (a `file`, 20 MiB).
pub const MAX_MEDIA_BYTES: usize = 20 * MIB;

/// `media/uploadimg` limit (2 MiB).
const MAX_PERMANENT_IMAGE_BYTES: usize = 2 * MIB;

const fn max_bytes(kind: MediaType) -> usize {
    match kind {
        MediaType::Image | MediaType::Video => 10 * MIB,
        MediaType::Voice => 2 * MIB,
        MediaType::File => MAX_MEDIA_BYTES,
    }
}

pub(super) fn too_large_for_any(len: u64) -> InvalidArgument {
    InvalidArgument::new(
        "media",
        format!(
            "is {len} bytes; WeCom accepts at most {MAX_MEDIA_BYTES} bytes (20 MiB) for any upload"
        ),
    )
}

pub(super) fn at_most_max(len: usize) -> Result<(), InvalidArgument> {
    if len > MAX_MEDIA_BYTES { Err(too_large_for_any(len as u64)) } else { Ok(()) }
}

/// Checks a `media/upload` of `kind` and returns the default Content-Type of its part.
pub(super) fn temporary(kind: MediaType, media: &Media) -> Result<&'static str, InvalidArgument> {
    common(media, max_bytes(kind), kind.as_str())?;
    match kind {
        MediaType::Image => image(media),
        MediaType::Voice => {
            extension(media, &["amr"], "a voice message must be an AMR file (.amr)")?;
            // AMR-NB starts with "#!AMR\n", AMR-WB with "#!AMR-WB\n".
            require(media.data.starts_with(b"#!AMR"), "is not AMR audio (no `#!AMR` header)")?;
            // The content type WeCom's documentation shows for voice.
            Ok("voice/amr")
        }
        MediaType::Video => {
            extension(media, &["mp4"], "a video must be an MP4 file (.mp4)")?;
            require(media.data.get(4..8) == Some(b"ftyp"), "is not an MP4 video (no `ftyp` box)")?;
            Ok("video/mp4")
        }
        MediaType::File => Ok("application/octet-stream"),
    }
}

/// Checks a `media/uploadimg` and returns the part's Content-Type. The accepted formats are
/// not stated in WeCom's current documentation; JPG and PNG (those of temporary images) is
/// the safe reading.
pub(super) fn permanent_image(media: &Media) -> Result<&'static str, InvalidArgument> {
    common(media, MAX_PERMANENT_IMAGE_BYTES, "permanent image")?;
    image(media)
}

fn common(media: &Media, max: usize, what: &str) -> Result<(), InvalidArgument> {
    if media.file_name.trim().is_empty() {
        return Err(InvalidArgument::new("media.filename", "must not be empty"));
    }
    let len = media.data.len();
    if len <= MIN_MEDIA_BYTES {
        return Err(InvalidArgument::new(
            "media",
            format!("must be larger than {MIN_MEDIA_BYTES} bytes, got {len}"),
        ));
    }
    if len > max {
        return Err(InvalidArgument::new(
            "media",
            format!("is {len} bytes; a {what} may be at most {max} bytes ({} MiB)", max / MIB),
        ));
    }
    if let Some(ct) = &media.content_type
        && (ct.is_empty() || ct.chars().any(|c| c.is_control() || !c.is_ascii()))
    {
        return Err(InvalidArgument::new(
            "media.content_type",
            "must be a non-empty ASCII string without control characters",
        ));
    }
    Ok(())
}

fn image(media: &Media) -> Result<&'static str, InvalidArgument> {
    extension(media, &["jpg", "jpeg", "png"], "an image must be JPG or PNG (.jpg, .jpeg, .png)")?;
    if media.data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok("image/jpeg")
    } else if media.data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("image/png")
    } else {
        Err(InvalidArgument::new("media", "is not a JPEG or PNG image (unknown file signature)"))
    }
}

fn extension(media: &Media, allowed: &[&str], rule: &str) -> Result<(), InvalidArgument> {
    let ext = media.file_name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase());
    if ext.as_deref().is_some_and(|ext| allowed.contains(&ext)) {
        Ok(())
    } else {
        Err(InvalidArgument::new("media.filename", format!("{rule}, got `{}`", media.file_name)))
    }
}

fn require(ok: bool, problem: &str) -> Result<(), InvalidArgument> {
    if ok { Ok(()) } else { Err(InvalidArgument::new("media", problem)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000";
    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0JFIF";

    fn media(name: &str, data: &[u8]) -> Media {
        Media::from_bytes(name, data.to_vec())
    }

    fn problem(r: Result<&'static str, InvalidArgument>) -> String {
        let e = r.unwrap_err();
        format!("{}: {}", e.field, e.problem)
    }

    #[test]
    fn images_by_extension_and_signature() {
        assert_eq!(temporary(MediaType::Image, &media("a.png", PNG)), Ok("image/png"));
        assert_eq!(temporary(MediaType::Image, &media("a.JPG", JPEG)), Ok("image/jpeg"));
        assert_eq!(temporary(MediaType::Image, &media("a.jpeg", JPEG)), Ok("image/jpeg"));
        assert!(
            problem(temporary(MediaType::Image, &media("a.gif", PNG)))
                .starts_with("media.filename: an image must be JPG or PNG")
        );
        assert!(
            problem(temporary(MediaType::Image, &media("a.png", b"GIF89a...")))
                .contains("not a JPEG or PNG")
        );
        assert!(problem(temporary(MediaType::Image, &media("noext", PNG))).contains("`noext`"));
    }

    #[test]
    fn voice_and_video_signatures() {
        assert_eq!(
            temporary(MediaType::Voice, &media("v.amr", b"#!AMR\n\x3c\x00")),
            Ok("voice/amr")
        );
        assert!(
            problem(temporary(MediaType::Voice, &media("v.amr", b"RIFF....WAVE")))
                .contains("not AMR")
        );
        assert!(
            problem(temporary(MediaType::Voice, &media("v.mp3", b"#!AMR\n\x3c\x00")))
                .contains("AMR file")
        );
        assert_eq!(
            temporary(MediaType::Video, &media("v.mp4", b"\0\0\0\x18ftypmp42")),
            Ok("video/mp4")
        );
        assert!(
            problem(temporary(MediaType::Video, &media("v.mp4", b"\0\0\0\x18moov0000")))
                .contains("not an MP4")
        );
    }

    #[test]
    fn files_are_any_format() {
        assert_eq!(
            temporary(MediaType::File, &media("notes", b"hello world")),
            Ok("application/octet-stream")
        );
    }

    #[test]
    fn size_limits_at_the_boundaries() {
        assert!(
            problem(temporary(MediaType::File, &media("f.txt", b"12345")))
                .contains("larger than 5 bytes, got 5")
        );
        assert!(temporary(MediaType::File, &media("f.txt", b"123456")).is_ok());
        let mut voice = b"#!AMR\n".to_vec();
        voice.resize(2 * MIB, 0);
        assert!(temporary(MediaType::Voice, &media("v.amr", &voice)).is_ok());
        voice.push(0);
        assert!(
            problem(temporary(MediaType::Voice, &media("v.amr", &voice)))
                .contains("at most 2097152 bytes (2 MiB)")
        );
        let mut png = PNG.to_vec();
        png.resize(10 * MIB + 1, 0);
        assert!(temporary(MediaType::Image, &media("i.png", &png)).is_err());
        png.truncate(2 * MIB + 1);
        assert!(problem(permanent_image(&media("i.png", &png))).contains("permanent image"));
        png.truncate(2 * MIB);
        assert_eq!(permanent_image(&media("i.png", &png)), Ok("image/png"));
        let big = vec![0u8; MAX_MEDIA_BYTES + 1];
        assert!(temporary(MediaType::File, &media("f.bin", &big)).is_err());
    }

    #[test]
    fn names_and_content_types_are_checked() {
        assert!(
            problem(temporary(MediaType::File, &media(" ", b"123456")))
                .starts_with("media.filename")
        );
        let bad = media("f.txt", b"123456").content_type("text/plain\r\nX-Evil: 1");
        assert!(problem(temporary(MediaType::File, &bad)).starts_with("media.content_type"));
        let good = media("f.txt", b"123456").content_type("text/plain");
        assert!(temporary(MediaType::File, &good).is_ok());
    }
}

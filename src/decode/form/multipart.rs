//! `multipart/form-data` bodies, streamed through `multer` under the form limits.

use bytes::{Bytes, BytesMut};
use http::header::CONTENT_TYPE;
use http_body_util::BodyDataStream;
use multer::{Constraints, Multipart, SizeLimit};

use super::{FormLimits, too_many_fields};
use crate::form_data::{FormData, FormValue, UploadedFile};
use crate::{ActionError, ActionErrorCode};

/// The boundary of a `multipart/form-data` content type, `None` when the content type is not
/// multipart or has no boundary.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    multer::parse_boundary(content_type).ok()
}

/// Reads a multipart body into a [`FormData`]. Parts with a file name (even an empty one) are
/// files, the others text.
///
/// Errors:
/// - 413 `CONTENT_TOO_LARGE`: the body is over `limits.body_limit` (Astro's message
///   `Request body exceeds {body_limit} bytes`), a file is over `limits.file_limit`, or the
///   form has more than `limits.max_fields` parts;
/// - 400 `BAD_REQUEST`: the body is not well-formed multipart (bad framing, a stream that ends
///   before the final boundary, a part without a name, a text part that is not UTF-8), or the
///   body could not be read.
pub(crate) async fn read_multipart<B>(
    body: B,
    boundary: String,
    limits: &FormLimits,
) -> Result<FormData, ActionError>
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let body_limit = limits.body_limit as u64;
    let constraints = Constraints::new().size_limit(
        SizeLimit::new()
            .whole_stream(body_limit)
            // Text parts are only bounded by the body; files are checked below.
            .per_field(body_limit),
    );
    let mut multipart =
        Multipart::with_constraints(BodyDataStream::new(body), boundary, constraints);
    let mut form = FormData::new();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| multer_error(e, limits))?
    {
        if form.len() == limits.max_fields {
            return Err(too_many_fields(limits.max_fields));
        }
        let Some(name) = field.name().map(decode_name) else {
            return Err(bad_request(format!(
                "Malformed multipart body: part {} has no name",
                field.index()
            )));
        };
        let file_name = field.file_name().map(decode_name);
        let content_type = file_type(field.headers());
        let mut content = BytesMut::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| multer_error(e, limits))? {
            if file_name.is_some() && content.len() + chunk.len() > limits.file_limit {
                return Err(ActionError::new(
                    ActionErrorCode::ContentTooLarge,
                    format!(
                        "File `{name}` exceeds the limit of {} bytes per file",
                        limits.file_limit
                    ),
                ));
            }
            content.extend_from_slice(&chunk);
        }
        let value = match file_name {
            Some(file_name) => {
                FormValue::File(UploadedFile::new(file_name, content_type, content.freeze()))
            }
            None => FormValue::Text(String::from_utf8(content.into()).map_err(|_| {
                bad_request(format!("Multipart field `{name}` is not valid UTF-8"))
            })?),
        };
        form.push(name, value);
    }
    Ok(form)
}

/// A part's name or file name as the browser meant it: HTML's multipart/form-data encoding
/// writes `"`, CR and LF as `%22`, `%0D` and `%0A`, and those three escapes (in either case)
/// are decoded, as Astro (undici) does. Any other `%` sequence stays as it is.
fn decode_name(raw: &str) -> String {
    if !raw.contains('%') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let escape = rest.as_bytes().get(at + 1..at + 3);
        let decoded = match escape {
            Some(b"22") => Some('"'),
            Some([b'0', b'D' | b'd']) => Some('\r'),
            Some([b'0', b'A' | b'a']) => Some('\n'),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[at + 3..];
            }
            None => {
                out.push('%');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `type` of an uploaded file, as a `File` built by `Request.formData()` has it: the
/// part's last `Content-Type`, trimmed of spaces and tabs and lowercased; `text/plain` when
/// the part has none (multipart's default); empty when the value holds a byte outside
/// U+0020..U+007E (the `File` constructor's rule).
fn file_type(headers: &http::HeaderMap) -> String {
    let Some(value) = headers.get_all(CONTENT_TYPE).iter().next_back() else {
        return "text/plain".to_owned();
    };
    let is_content = |b: &u8| *b != b' ' && *b != b'\t';
    let value = value.as_bytes();
    let value = match (
        value.iter().position(is_content),
        value.iter().rposition(is_content),
    ) {
        (Some(first), Some(last)) => &value[first..=last],
        _ => &[],
    };
    if value.iter().all(|b| (0x20..=0x7e).contains(b)) {
        String::from_utf8_lossy(value).to_ascii_lowercase()
    } else {
        String::new()
    }
}

fn bad_request(message: String) -> ActionError {
    ActionError::new(ActionErrorCode::BadRequest, message)
}

fn body_too_large(limits: &FormLimits) -> ActionError {
    ActionError::new(
        ActionErrorCode::ContentTooLarge,
        format!("Request body exceeds {} bytes", limits.body_limit),
    )
}

fn multer_error(error: multer::Error, limits: &FormLimits) -> ActionError {
    match error {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            body_too_large(limits)
        }
        multer::Error::StreamReadFailed(source) => {
            // A body already bounded by an outer `Limited` reports the same overflow.
            if source.is::<http_body_util::LengthLimitError>() {
                body_too_large(limits)
            } else {
                bad_request(format!("Failed to read the request body: {source}"))
            }
        }
        other => bad_request(format!("Malformed multipart body: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use futures_util::stream;
    use http_body::Frame;
    use http_body_util::{Full, StreamBody};

    use super::*;

    const BOUNDARY: &str = "XyZ";

    const LIMITS: FormLimits = FormLimits {
        body_limit: 1 << 20,
        file_limit: 1 << 16,
        max_fields: 8,
        json_depth: 128,
    };

    fn text_part(name: &str, value: &str) -> Vec<u8> {
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
        .into_bytes()
    }

    fn file_part(name: &str, file_name: &str, content_type: &str, content: &[u8]) -> Vec<u8> {
        let mut part = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .into_bytes();
        part.extend_from_slice(content);
        part.extend_from_slice(b"\r\n");
        part
    }

    fn body(parts: &[Vec<u8>]) -> Vec<u8> {
        let mut body = parts.concat();
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        body
    }

    async fn read(body: Vec<u8>, limits: &FormLimits) -> Result<FormData, ActionError> {
        read_multipart(Full::new(Bytes::from(body)), BOUNDARY.to_owned(), limits).await
    }

    #[test]
    fn boundary_from_content_type() {
        assert_eq!(
            boundary("multipart/form-data; boundary=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(boundary("multipart/form-data"), None);
        assert_eq!(boundary("application/json"), None);
    }

    #[test]
    fn names_decode_the_three_browser_escapes() {
        assert_eq!(decode_name("plain"), "plain");
        assert_eq!(decode_name("a%22b%0D%0a%0dc%0A"), "a\"b\r\n\rc\n");
        assert_eq!(decode_name("%%22%2522%41%"), "%\"%2522%41%");
        assert_eq!(decode_name("end%0"), "end%0");
        assert_eq!(decode_name("é%22é"), "é\"é");
    }

    #[tokio::test]
    async fn texts_and_a_binary_file() {
        let all_bytes: Vec<u8> = (0..=255).collect();
        let form = read(
            body(&[
                text_part("name", "Ada ✓"),
                file_part("file", "bytes.bin", "application/octet-stream", &all_bytes),
                text_part("name", "again"),
            ]),
            &LIMITS,
        )
        .await
        .unwrap();
        assert_eq!(form.len(), 3);
        assert_eq!(
            form.texts().collect::<Vec<_>>(),
            [("name", "Ada ✓"), ("name", "again")]
        );
        let file = form.get("file").and_then(FormValue::as_file).unwrap();
        assert_eq!(file.name(), "bytes.bin");
        assert_eq!(file.content_type(), "application/octet-stream");
        assert_eq!(file.size(), 256);
        assert_eq!(&file.bytes()[..], &all_bytes[..]);
    }

    #[tokio::test]
    async fn an_empty_file_part_is_a_file_of_size_zero() {
        let form = read(
            body(&[file_part("file", "", "application/octet-stream", b"")]),
            &LIMITS,
        )
        .await
        .unwrap();
        let file = form.get("file").and_then(FormValue::as_file).unwrap();
        assert_eq!((file.name(), file.size()), ("", 0));
    }

    #[tokio::test]
    async fn a_file_over_the_file_limit() {
        let limits = FormLimits {
            file_limit: 100,
            ..LIMITS
        };
        let ok = read(
            body(&[file_part("f", "a", "text/plain", &[b'x'; 100])]),
            &limits,
        )
        .await;
        assert_eq!(
            ok.unwrap()
                .get("f")
                .and_then(FormValue::as_file)
                .unwrap()
                .size(),
            100
        );
        // Text parts are bounded by the body limit only.
        let text = "y".repeat(500);
        assert!(read(body(&[text_part("t", &text)]), &limits).await.is_ok());
        let err = read(
            body(&[file_part("avatar", "a", "text/plain", &[b'x'; 101])]),
            &limits,
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), ActionErrorCode::ContentTooLarge);
        assert_eq!(
            err.message(),
            "File `avatar` exceeds the limit of 100 bytes per file"
        );
    }

    #[tokio::test]
    async fn too_many_fields() {
        let limits = FormLimits {
            max_fields: 2,
            ..LIMITS
        };
        let two = body(&[text_part("a", "1"), text_part("b", "2")]);
        assert_eq!(read(two, &limits).await.unwrap().len(), 2);
        let three = body(&[
            text_part("a", "1"),
            text_part("b", "2"),
            text_part("c", "3"),
        ]);
        let err = read(three, &limits).await.unwrap_err();
        assert_eq!(err.code(), ActionErrorCode::ContentTooLarge);
        assert_eq!(err.message(), "Form has more than 2 fields");
    }

    #[tokio::test]
    async fn a_stream_ending_before_the_final_boundary() {
        let cut = [
            text_part("a", "1"),
            b"--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nhal".to_vec(),
        ]
        .concat();
        let err = read(cut, &LIMITS).await.unwrap_err();
        assert_eq!(err.code(), ActionErrorCode::BadRequest);
        assert!(
            err.message().starts_with("Malformed multipart body"),
            "{err}"
        );

        let err = read(text_part("a", "1"), &LIMITS).await.unwrap_err();
        assert_eq!(err.code(), ActionErrorCode::BadRequest);
        assert!(
            err.message().starts_with("Malformed multipart body"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn a_part_without_a_name() {
        let nameless = b"--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n".to_vec();
        let err = read(body(&[nameless]), &LIMITS).await.unwrap_err();
        assert_eq!(err.code(), ActionErrorCode::BadRequest);
        assert_eq!(
            err.message(),
            "Malformed multipart body: part 0 has no name"
        );
    }

    #[tokio::test]
    async fn invalid_utf8_text_is_a_bad_request() {
        let mut part = b"--XyZ\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\n".to_vec();
        part.extend_from_slice(b"\xff\xfe\r\n");
        let err = read(body(&[part]), &LIMITS).await.unwrap_err();
        assert_eq!(err.code(), ActionErrorCode::BadRequest);
        assert_eq!(err.message(), "Multipart field `t` is not valid UTF-8");
    }

    #[tokio::test]
    async fn a_body_of_small_chunks_over_the_body_limit() {
        let limits = FormLimits {
            body_limit: 1000,
            file_limit: 1 << 20,
            max_fields: 1000,
            json_depth: 128,
        };
        let whole = body(&[file_part("f", "big", "text/plain", &[b'z'; 2000])]);
        let chunks: Vec<Result<Frame<Bytes>, Infallible>> = whole
            .chunks(7)
            .map(|chunk| Ok(Frame::data(Bytes::copy_from_slice(chunk))))
            .collect();
        let streamed = StreamBody::new(stream::iter(chunks));
        let err = read_multipart(streamed, BOUNDARY.to_owned(), &limits)
            .await
            .unwrap_err();
        assert_eq!(err.code(), ActionErrorCode::ContentTooLarge);
        assert_eq!(err.message(), "Request body exceeds 1000 bytes");

        // Many small text parts add up the same way.
        let parts: Vec<Vec<u8>> = (0..100).map(|i| text_part(&format!("f{i}"), "v")).collect();
        let err = read(body(&parts), &limits).await.unwrap_err();
        assert_eq!(err.message(), "Request body exceeds 1000 bytes");
    }

    #[tokio::test]
    async fn a_body_read_error_is_a_bad_request() {
        let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
            Ok(Frame::data(Bytes::from(text_part("a", "1")))),
            Err(std::io::Error::other("connection reset")),
        ];
        let err = read_multipart(
            StreamBody::new(stream::iter(frames)),
            BOUNDARY.to_owned(),
            &LIMITS,
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), ActionErrorCode::BadRequest);
        assert!(err.message().contains("connection reset"), "{err}");
    }
}

//! A form's body: `application/x-www-form-urlencoded` when it holds only text, else
//! `multipart/form-data` as a browser writes it for a `FormData`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use super::path::encode_search_param;
use crate::{FormData, FormValue};

/// The content type and bytes of `form`'s body.
pub(crate) fn form_body(form: &FormData) -> (String, Vec<u8>) {
    let has_file = form
        .iter()
        .any(|(_, value)| matches!(value, FormValue::File(_)));
    if has_file {
        let (boundary, body) = multipart(form);
        (format!("multipart/form-data; boundary={boundary}"), body)
    } else {
        (
            "application/x-www-form-urlencoded".to_owned(),
            urlencoded(form),
        )
    }
}

/// `new URLSearchParams(form).toString()`.
pub(crate) fn urlencoded(form: &FormData) -> Vec<u8> {
    form.texts()
        .map(|(name, value)| {
            format!(
                "{}={}",
                encode_search_param(name),
                encode_search_param(value)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

/// The multipart body of `form` and its boundary, a boundary that none of its content holds.
pub(crate) fn multipart(form: &FormData) -> (String, Vec<u8>) {
    loop {
        let boundary = new_boundary();
        let body = multipart_with(form, &boundary);
        let needle = format!("--{boundary}");
        let parts = body
            .windows(needle.len())
            .filter(|w| *w == needle.as_bytes())
            .count();
        // Each entry opens with the boundary, and the body closes with it.
        if parts == form.len() + 1 {
            return (boundary, body);
        }
    }
}

fn multipart_with(form: &FormData, boundary: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in form.iter() {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let name = escape_name(name);
        match value {
            FormValue::Text(text) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                body.extend_from_slice(text.as_bytes());
            }
            FormValue::File(file) => {
                let content_type = match file.content_type() {
                    "" => "application/octet-stream",
                    content_type => content_type,
                };
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{}\"\r\n\
                         Content-Type: {content_type}\r\n\r\n",
                        escape_name(file.name())
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(file.bytes());
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

/// A name or file name in a `Content-Disposition` header, escaped as browsers do.
fn escape_name(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A fresh boundary, in the style of browsers' (`----` and 32 hex digits).
fn new_boundary() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let state = RandomState::new();
    let mut words = [0u64; 2];
    for (i, word) in words.iter_mut().enumerate() {
        let mut hasher = state.build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        hasher.write_usize(i);
        *word = hasher.finish();
    }
    format!(
        "----TowerActionsFormBoundary{:016x}{:016x}",
        words[0], words[1]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UploadedFile;

    #[test]
    fn text_forms_are_urlencoded() {
        let mut form = FormData::new();
        form.push("email", "a+b@c.d");
        form.push("tag", "x y");
        form.push("tag", "%/&=");
        let (content_type, body) = form_body(&form);
        assert_eq!(content_type, "application/x-www-form-urlencoded");
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "email=a%2Bb%40c.d&tag=x+y&tag=%25%2F%26%3D"
        );
        assert!(form_body(&FormData::new()).1.is_empty());
    }

    #[test]
    fn forms_with_files_are_multipart() {
        let mut form = FormData::new();
        form.push("title", "hi \"you\"");
        form.push(
            "file",
            UploadedFile::new("a\".bin", "", &[0u8, 13, 10, 255][..]),
        );
        let (content_type, body) = form_body(&form);
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let mut expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhi \"you\"\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22.bin\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        expected.extend_from_slice(&[0, 13, 10, 255]);
        expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        assert_eq!(body, expected);
        assert_ne!(new_boundary(), new_boundary());
    }
}

//! Appending one header map to another, every value kept (a handler's and a store's
//! `Set-Cookie` both reach the client).

use http::HeaderMap;

/// Appends every value of `headers` to `target`, after the values `target` already has.
pub(crate) fn append(target: &mut HeaderMap, headers: HeaderMap) {
    let mut last = None;
    for (name, value) in headers {
        if let Some(name) = name {
            last = Some(name);
        }
        if let Some(name) = &last {
            target.append(name.clone(), value);
        }
    }
}

//! The values the devalue benches serialize: the parity fixture's outputs (greet's string,
//! `fields`' input struct, `subscribe`'s small struct, `rich` with every JavaScript type) and a nested document of about
//! 10 KB of JSON. A bench includes it with the parity app beside it:
//! `#[path = "../examples/parity/app.rs"] mod parity;`, `mod values;`.

#![allow(dead_code)]

use serde::{Deserialize, Serialize};
use tower_actions::devalue;

/// `serde_json::to_vec` of `value`: the baseline serializer.
pub fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

/// `devalue::to_vec` of `value`.
pub fn dv<T: Serialize>(value: &T) -> Vec<u8> {
    devalue::to_vec(value).unwrap()
}

/// `serde_json::from_slice` of `text`: the baseline parser.
pub fn json_parse<T: serde::de::DeserializeOwned>(text: &str) -> T {
    serde_json::from_slice(text.as_bytes()).unwrap()
}

/// `devalue::from_str` of `text`.
pub fn dv_parse<T: serde::de::DeserializeOwned>(text: &str) -> T {
    devalue::from_str(text).unwrap()
}

/// `serde_json::to_string` of `value`.
pub fn json_text<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

/// `devalue::to_string` of `value`.
pub fn dv_text<T: Serialize>(value: &T) -> String {
    devalue::to_string(value).unwrap()
}

/// greet's answer.
pub fn greet() -> String {
    "Hello, Ada!".to_owned()
}

/// A nested document of about 10 KB (as JSON): sections of paragraphs and items.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Doc {
    pub title: String,
    pub version: u32,
    pub published: bool,
    pub sections: Vec<Section>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub items: Vec<Item>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Item {
    pub id: u32,
    pub name: String,
    pub score: f64,
    pub done: bool,
    pub tags: Vec<String>,
    pub note: Option<String>,
}

/// The document: 11 sections of 3 paragraphs and 6 items.
pub fn doc() -> Doc {
    Doc {
        title: "A benchmark document".to_owned(),
        version: 3,
        published: true,
        sections: (0..11)
            .map(|s| Section {
                heading: format!("Section {s}: on the \"cost\" of things"),
                paragraphs: (0..3)
                    .map(|p| {
                        format!(
                            "Paragraph {p} of section {s}. Lorem ipsum dolor sit amet, \
                             consectetur adipiscing elit, sed do eiusmod tempor."
                        )
                    })
                    .collect(),
                items: (0..6)
                    .map(|i| Item {
                        id: s * 100 + i,
                        name: format!("item-{s}-{i}"),
                        score: f64::from(s * 6 + i) * 1.25,
                        done: i % 2 == 0,
                        tags: vec!["tag".to_owned(), format!("t{}", i % 3)],
                        note: (i % 3 == 0).then(|| format!("note {s}.{i}")),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// `fields`' input, every field set.
pub fn fields() -> crate::parity::FieldsInput {
    crate::parity::FieldsInput {
        tags: vec!["a".to_owned(), "b".to_owned()],
        agree: true,
        count: Some(3.0),
        nickname: Some("ada".to_owned()),
        level: crate::parity::Level::High,
    }
}

/// `subscribe`'s output, which a page reads back: a struct of a short string and a bool.
pub fn subscribed() -> crate::parity::Subscribed {
    crate::parity::Subscribed {
        email: "ada@example.com".to_owned(),
        subscribed: true,
    }
}

/// `rich`'s output: a Date, Map, Set, URL, BigInt, NaN, -Infinity, -0, undefined, nested.
pub fn rich() -> crate::parity::RichOutput {
    crate::parity::rich_output()
}

//! Closed vocabularies: a record's kind, its status, a signatory's side.
//!
//! `vocab!` declares one as a Rust enum with the code each value has in
//! JSON, in the database's `kind`/`status` columns and in URLs. From that
//! one list come serde (the code is the JSON form; anything else is refused
//! naming the allowed codes), the JSON Schema (`{"type": "string", "enum":
//! […]}`, inlined so the OpenAPI document reads as before), the form
//! options (`CODES`) and parsing (`from_code`, `FromStr`). A match on the
//! enum is checked by the compiler: adding a status names every place that
//! must say what happens in it.

/// Declare a closed vocabulary: `vocab! { pub enum AbtcStatus { Applied = "applied", … } }`.
#[macro_export]
macro_rules! vocab {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in the order of the declaration (the order forms list them in).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every value's code, in the same order.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            /// The value's code (its JSON form).
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::vocab::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::from_code(s).ok_or_else(|| $crate::vocab::UnknownCode(s.to_owned()))
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.code() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.code() == *other
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                Self::from_code(&s)
                    .ok_or_else(|| ::serde::de::Error::unknown_variant(&s, Self::CODES))
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({"type": "string", "enum": Self::CODES})
            }
        }
    };
}

/// A code that names no value of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown code `{}`", self.0)
    }
}

impl std::error::Error for UnknownCode {}

#[cfg(test)]
#[allow(unreachable_pub, dead_code)]
mod tests {
    crate::vocab! {
        /// A test vocabulary.
        enum Colour { Red = "red", DarkBlue = "dark_blue" }
    }

    #[test]
    fn one_declaration_gives_codes_serde_and_schema() {
        assert_eq!(Colour::CODES, ["red", "dark_blue"]);
        assert_eq!(Colour::DarkBlue.code(), "dark_blue");
        assert_eq!("red".parse::<Colour>(), Ok(Colour::Red));
        assert!("blue".parse::<Colour>().is_err());
        assert_eq!(serde_json::to_value(Colour::DarkBlue).unwrap(), "dark_blue");
        let err = serde_json::from_value::<Colour>(serde_json::json!("blue")).unwrap_err();
        assert!(err.to_string().contains("red"), "{err}");
        let schema = schemars::schema_for!(Colour);
        assert_eq!(
            schema.get("enum").unwrap(),
            &serde_json::json!(["red", "dark_blue"])
        );
    }
}

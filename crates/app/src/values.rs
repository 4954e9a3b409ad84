//! The command line's closed choices, as clap values: `--help` lists them,
//! completions offer them, and clap refuses anything else with the list
//! (exit code 2). Each maps to its type in the library crates, which know
//! nothing of clap; the spellings are those the commands always accepted
//! (the tests below check them against the library's own).

use clap::ValueEnum;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use ngoaivu_core::{Lang, RecordType, Role};

/// `--lang`: the language of a report or a review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Vietnamese.
    Vi,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Vi => Lang::Vi,
            LangArg::En => Lang::En,
        }
    }
}

/// `user add --role`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Reads the organisation's records.
    Viewer,
    /// Also records and changes them.
    Editor,
    /// Also takes the workflow's decisions (approve, reject …).
    Approver,
    /// All of the above, and the administrator's tasks.
    Admin,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Viewer => Role::Viewer,
            RoleArg::Editor => Role::Editor,
            RoleArg::Approver => Role::Approver,
            RoleArg::Admin => Role::Admin,
        }
    }
}

/// `report --kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// A province's report on one year (--year).
    Annual,
    /// A province's report on a term (--from, --to).
    Term,
    /// The Ministry's summary of all provinces for one year (--year).
    National,
}

impl From<KindArg> for ngoaivu_report::Kind {
    fn from(k: KindArg) -> ngoaivu_report::Kind {
        use ngoaivu_report::Kind;
        match k {
            KindArg::Annual => Kind::Annual,
            KindArg::Term => Kind::Term,
            KindArg::National => Kind::National,
        }
    }
}

/// `report --format` (the argument ignores case, as before: `PDF` works).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A web page.
    #[value(alias = "htm")]
    Html,
    /// A Word document.
    Docx,
    /// An Excel workbook.
    Xlsx,
    /// A PDF document.
    Pdf,
}

impl From<FormatArg> for ngoaivu_report::Format {
    fn from(f: FormatArg) -> ngoaivu_report::Format {
        use ngoaivu_report::Format;
        match f {
            FormatArg::Html => Format::Html,
            FormatArg::Docx => Format::Docx,
            FormatArg::Xlsx => Format::Xlsx,
            FormatArg::Pdf => Format::Pdf,
        }
    }
}

/// `import --type`: a record type by its name in the API's paths
/// (`delegations`, `abtc-approvals` …), the list taken from the core, so a
/// new record type is accepted here without a change.
pub(crate) fn record_type() -> impl TypedValueParser<Value = RecordType> {
    PossibleValuesParser::new(RecordType::ALL.map(RecordType::path)).map(|path| {
        RecordType::from_path(&path).expect("clap accepted only the paths of RecordType::ALL")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spelling of each value on the command line.
    fn names<E: ValueEnum>() -> Vec<String> {
        E::value_variants()
            .iter()
            .map(|v| v.to_possible_value().unwrap().get_name().to_owned())
            .collect()
    }

    /// Every value the library knows has its command-line value, spelled as
    /// the library spells it, and maps back to it.
    #[test]
    fn values_match_the_library() {
        for role in Role::ALL {
            let arg = RoleArg::from_str(role.as_str(), false).unwrap();
            assert_eq!(Role::from(arg), role);
        }
        assert_eq!(names::<RoleArg>().len(), Role::ALL.len());

        for format in ngoaivu_report::Format::ALL {
            let arg = FormatArg::from_str(format.extension(), false).unwrap();
            assert_eq!(ngoaivu_report::Format::from(arg), format);
        }
        assert_eq!(
            names::<FormatArg>().len(),
            ngoaivu_report::Format::ALL.len()
        );
        // What Format::parse accepted, the argument accepts.
        for s in ["htm", "HTML", "Pdf", "DOCX"] {
            let arg = FormatArg::from_str(s, true).unwrap();
            assert_eq!(
                Some(ngoaivu_report::Format::from(arg)),
                ngoaivu_report::Format::parse(s)
            );
        }

        for name in names::<KindArg>() {
            let kind = ngoaivu_report::Kind::parse(&name).unwrap();
            assert_eq!(kind.code(), name);
            assert_eq!(
                ngoaivu_report::Kind::from(KindArg::from_str(&name, false).unwrap()),
                kind
            );
        }

        assert_eq!(names::<LangArg>(), ["vi", "en"]);
        assert_eq!(Lang::from(LangArg::Vi), Lang::Vi);
        assert_eq!(Lang::from(LangArg::En), Lang::En);
    }

    #[test]
    fn record_types_by_path() {
        let cmd = clap::Command::new("t").arg(
            clap::Arg::new("type")
                .long("type")
                .value_parser(record_type()),
        );
        for rt in RecordType::ALL {
            let m = cmd
                .clone()
                .try_get_matches_from(["t", "--type", rt.path()])
                .unwrap();
            assert_eq!(m.get_one::<RecordType>("type"), Some(&rt));
        }
        let err = cmd
            .try_get_matches_from(["t", "--type", "delegation"])
            .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue);
    }
}

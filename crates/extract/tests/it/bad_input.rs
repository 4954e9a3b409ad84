//! Hostile and awkward DOCX and text files: a DOCX's external relationships
//! are never followed, its images never inflated, its text parts inflate
//! only so far (a zip bomb is refused with a clear message); an "ANSI" text
//! typed in the legacy TCVN3 or VNI fonts gets a warning. Never a panic or
//! a hang.

use std::io::Write;
use std::time::{Duration, Instant};

use ngoaivu_extract::{DOCX_TEXT_MAX, ReadError, read_document, text_from_docx};
use proptest::prelude::*;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:v="urn:schemas-microsoft-com:vml""#;

/// A part of a DOCX: its name and how its bytes are written.
enum Part<'a> {
    Xml(&'a str),
    /// `n` bytes of `byte`, written a MiB at a time (they deflate to
    /// almost nothing).
    Run {
        byte: u8,
        n: u64,
    },
    /// XML with a run of `n` copies of `byte` between `head` and `tail`.
    Padded {
        head: &'a str,
        byte: u8,
        n: u64,
        tail: &'a str,
    },
}

fn docx(parts: &[(&str, Part<'_>)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let run = |z: &mut zip::ZipWriter<_>, byte: u8, n: u64| {
            let chunk = vec![byte; 1 << 20];
            let mut left = n;
            while left > 0 {
                let k = left.min(chunk.len() as u64) as usize;
                z.write_all(&chunk[..k]).unwrap();
                left -= k as u64;
            }
        };
        for (name, part) in parts {
            z.start_file(*name, opts).unwrap();
            match part {
                Part::Xml(x) => z.write_all(x.as_bytes()).unwrap(),
                Part::Run { byte, n } => run(&mut z, *byte, *n),
                Part::Padded {
                    head,
                    byte,
                    n,
                    tail,
                } => {
                    z.write_all(head.as_bytes()).unwrap();
                    run(&mut z, *byte, *n);
                    z.write_all(tail.as_bytes()).unwrap();
                }
            }
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

const TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

fn body(paragraphs: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{paragraphs}</w:body></w:document>"#
    )
}

/// Every kind of external relationship Word knows (a hyperlink, a linked
/// picture, a sub-document, an alternative-format chunk, an attached
/// template, an INCLUDETEXT field) pointing at a local server and at a local
/// file: nothing is fetched, nothing of the file is read, and the document's
/// own text (with the hyperlink's words) is.
#[test]
fn external_relationships_are_never_followed() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/bao-cao", listener.local_addr().unwrap());
    let dir = std::env::temp_dir().join(format!("ngoaivu-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let secret = dir.join("secret.txt");
    std::fs::write(
        &secret,
        "Bí mật: năm 2022 tỉnh đón 777 đoàn khách nước ngoài.",
    )
    .unwrap();
    let file_url = format!(
        "file:///{}",
        secret.display().to_string().trim_start_matches('/')
    );

    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="{url}" TargetMode="External"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="{url}/anh.png" TargetMode="External"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/subDocument" Target="{file_url}" TargetMode="External"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="{file_url}" TargetMode="External"/>
<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject" Target="{url}/ole.bin" TargetMode="External"/>
</Relationships>"#
    );
    let settings_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="{url}/mau.dotm" TargetMode="External"/></Relationships>"#
    );
    let settings = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings {W}><w:attachedTemplate r:id="rId1"/></w:settings>"#
    );
    let doc = body(&format!(
        r#"<w:p><w:r><w:t>Năm 2022, tỉnh đón 30 đoàn khách nước ngoài.</w:t></w:r></w:p>
<w:p><w:hyperlink r:id="rId1"><w:r><w:t>Xem báo cáo đầy đủ</w:t></w:r></w:hyperlink></w:p>
<w:p><w:r><w:pict><v:shape><v:imagedata r:id="rId2" o:title="" xmlns:o="urn:schemas-microsoft-com:office:office"/></v:shape></w:pict></w:r></w:p>
<w:subDoc r:id="rId3"/>
<w:altChunk r:id="rId4"/>
<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> INCLUDETEXT "{}" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
<w:p><w:r><w:t>Hết.</w:t></w:r></w:p>"#,
        secret.display()
    ));
    let bytes = docx(&[
        ("[Content_Types].xml", Part::Xml(TYPES)),
        ("word/document.xml", Part::Xml(&doc)),
        ("word/_rels/document.xml.rels", Part::Xml(&rels)),
        ("word/settings.xml", Part::Xml(&settings)),
        ("word/_rels/settings.xml.rels", Part::Xml(&settings_rels)),
    ]);
    let started = Instant::now();
    let d = read_document(&bytes, Some("lien-ket.docx")).unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(
        d.text,
        "Năm 2022, tỉnh đón 30 đoàn khách nước ngoài.\nXem báo cáo đầy đủ\nHết.\n"
    );
    assert!(!d.text.contains("777") && !d.text.contains("Bí mật"));
    // Nothing connected to the server.
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("the reader connected to {url}: {other:?}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A picture of 300 MiB (deflated to a few hundred KiB) beside a short
/// text: read at once, the picture never inflated. Its compressed bytes are
/// then damaged, which would be an error to anything inflating it: still read.
#[test]
fn huge_images_are_never_inflated() {
    let doc = body("<w:p><w:r><w:t>Năm 2022, tỉnh đón 30 đoàn khách nước ngoài.</w:t></w:r></w:p>");
    let mut bytes = docx(&[
        ("[Content_Types].xml", Part::Xml(TYPES)),
        ("word/document.xml", Part::Xml(&doc)),
        (
            "word/media/image1.png",
            Part::Run {
                byte: 0,
                n: 300 << 20,
            },
        ),
    ]);
    let (start, len) = {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let f = z.by_name("word/media/image1.png").unwrap();
        assert_eq!(f.size(), 300 << 20);
        (f.data_start() as usize, f.compressed_size() as usize)
    };
    for round in 0..2 {
        let started = Instant::now();
        let t = text_from_docx(&bytes).unwrap();
        let dt = started.elapsed();
        assert_eq!(t, "Năm 2022, tỉnh đón 30 đoàn khách nước ngoài.\n");
        // Inflating 300 MiB takes seconds in a debug build.
        assert!(dt < Duration::from_millis(500), "round {round}: {dt:?}");
        bytes[start + len / 3..start + len / 2].fill(0xFF);
    }
}

fn assert_too_big(r: Result<ngoaivu_extract::ReadDocument, ReadError>, part: &str) {
    match r {
        Err(e @ ReadError::DocxTooBig { .. }) => {
            assert_eq!(e.code(), "docx_too_big");
            let m = e.message();
            assert!(
                m.en.contains(part) && m.en.contains("64 MiB") && m.en.contains("zip bomb"),
                "{}",
                m.en
            );
            assert!(
                m.vi.contains(part) && m.vi.contains("64 MiB") && m.vi.contains("DOCX"),
                "{}",
                m.vi
            );
        }
        other => panic!("{:?}", other.map(|d| d.text.len())),
    }
}

/// A `word/document.xml` that inflates to 200 MiB (a zip bomb): refused,
/// with a message in both languages, before it is inflated in full.
#[test]
fn a_zip_bomb_in_the_text_is_refused() {
    let head =
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p><w:r><w:t>"#);
    let tail = "</w:t></w:r></w:p></w:body></w:document>";
    let bytes = docx(&[
        ("[Content_Types].xml", Part::Xml(TYPES)),
        (
            "word/document.xml",
            Part::Padded {
                head: &head,
                byte: b'a',
                n: 200 << 20,
                tail,
            },
        ),
    ]);
    assert!(bytes.len() < 2 << 20, "{}", bytes.len());
    let started = Instant::now();
    assert_too_big(read_document(&bytes, Some("bom.docx")), "word/document.xml");
    assert!(started.elapsed() < Duration::from_secs(10));

    // The same bomb with its sizes in the archive rewritten to 1 KiB: the
    // bytes actually inflated are counted, not the sizes declared.
    let mut lying = bytes.clone();
    let name = b"word/document.xml";
    for (sig, size_at) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
        let mut i = 0;
        while let Some(p) = lying[i..].windows(4).position(|w| w == sig) {
            let at = i + p;
            let name_at = if sig == b"PK\x03\x04" {
                at + 30
            } else {
                at + 46
            };
            if lying.get(name_at..name_at + name.len()) == Some(&name[..]) {
                lying[at + size_at..at + size_at + 4].copy_from_slice(&1024u32.to_le_bytes());
            }
            i = at + 4;
        }
    }
    let started = Instant::now();
    match read_document(&lying, Some("bom.docx")) {
        Err(e @ ReadError::DocxTooBig { .. }) => assert_eq!(e.code(), "docx_too_big"),
        // The zip library may refuse the lie itself: also a clear error.
        Err(e @ ReadError::Docx(_)) => assert!(e.message().vi.contains("DOCX")),
        other => panic!("{:?}", other.map(|d| d.text.len())),
    }
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// The limit is on the text parts together: a document under it with
/// footnotes that take it over is refused, naming the footnotes.
#[test]
fn the_limit_counts_all_text_parts() {
    let half = DOCX_TEXT_MAX / 2 + 1024;
    let head = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p><w:r><w:t>Năm 2022"#
    );
    let notes_head = format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}>"#);
    let bytes = docx(&[
        (
            "word/document.xml",
            Part::Padded {
                head: &head,
                byte: b' ',
                n: half,
                tail: "</w:t></w:r></w:p></w:body></w:document>",
            },
        ),
        (
            "word/footnotes.xml",
            Part::Padded {
                head: &notes_head,
                byte: b' ',
                n: half,
                tail: "</w:footnotes>",
            },
        ),
    ]);
    assert_too_big(read_document(&bytes, None), "word/footnotes.xml");
}

/// A document with more elements and attributes than the reader puts in a
/// tree (some 45 MiB of short paragraphs): its text is still read, by the
/// tag scanner, one paragraph a line.
#[test]
fn a_document_too_big_for_a_tree_is_still_read() {
    let para = r#"<w:p w:rsidR="00A1" w:rsidRDefault="00A1"><w:r><w:t>Năm 2022, tỉnh đón 30 đoàn.</w:t></w:r></w:p>"#;
    let n = 450_000;
    let doc = body(&para.repeat(n));
    assert!((doc.len() as u64) < DOCX_TEXT_MAX);
    let bytes = docx(&[("word/document.xml", Part::Xml(&doc))]);
    let started = Instant::now();
    let t = text_from_docx(&bytes).unwrap();
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(t.lines().count(), n);
    assert!(t.lines().all(|l| l == "Năm 2022, tỉnh đón 30 đoàn."));
}

/// An "ANSI" text file (Windows-1252 bytes, as old editors saved it) typed
/// in the TCVN3 or the VNI fonts: read, with a warning naming the encoding.
#[test]
fn legacy_encodings_saved_as_ansi_get_a_warning() {
    let latin1 = |s: &str| -> Vec<u8> {
        s.chars()
            .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
            .collect()
    };
    let tcvn3 = "Th«ng b¸o kÕt qu¶ c«ng t¸c ®èi ngo¹i n¨m 2022 cña tØnh. Trong n¨m, tØnh ®· ®ãn 30 ®oµn kh¸ch n\u{AD}íc ngoµi.";
    let vni = "Thoâng baùo keát quaû coâng taùc ñoái ngoaïi naêm 2022 cuûa tænh. Trong naêm, tænh ñaõ ñoùn 30 ñoaøn khaùch nöôùc ngoaøi.";
    for (text, name) in [(tcvn3, "TCVN3"), (vni, "VNI")] {
        let bytes = latin1(text);
        assert!(std::str::from_utf8(&bytes).is_err());
        let d = read_document(&bytes, Some("cu.txt")).unwrap();
        assert_eq!(d.text, text);
        assert!(
            d.warnings
                .iter()
                .any(|w| w.en.contains(name) && w.vi.contains(name)),
            "{name}: {:?}",
            d.warnings
        );
    }
    // Windows-1252's own characters, and UTF-8 kept where it is valid.
    let mut mixed = "Năm 2022 – ".as_bytes().to_vec();
    mixed.extend([0x93, b'x', 0x94, b' ', 0x80, b' ', 0xE9]);
    assert_eq!(
        read_document(&mixed, Some("a.txt")).unwrap().text,
        "Năm 2022 – “x” € é"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// A real DOCX with bytes overwritten anywhere: an error or a text,
    /// never a panic, and quickly.
    #[test]
    fn mutated_docx_never_panic(pos in 0usize..4096, byte in any::<u8>(), len in 1usize..32) {
        let doc = body(r#"<w:p><w:r><w:t>Năm 2022, tỉnh đón 30 đoàn khách nước ngoài; kim ngạch xuất khẩu đạt 1.200 triệu USD.</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Lào</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#);
        let mut b = docx(&[
            ("[Content_Types].xml", Part::Xml(TYPES)),
            ("word/document.xml", Part::Xml(&doc)),
        ]);
        let p = pos % b.len();
        let end = (p + len).min(b.len());
        for x in &mut b[p..end] {
            *x = byte;
        }
        let started = Instant::now();
        if let Ok(d) = read_document(&b, Some("x.docx")) {
            let _ = ngoaivu_extract::extract(&d.text, None);
        }
        prop_assert!(started.elapsed() < Duration::from_secs(10));
    }
}

//! Table-driven tests of every pattern the reader knows, on sentences written
//! for the purpose (not taken from the fixtures).

use ngoaivu_extract::{
    DocDate, Facts, Indicator as I, Observation, PartnershipKind as K, Period as P, Qualifier as Q,
    Unit as U, extract,
};

fn d(s: &str) -> Option<DocDate> {
    Some(DocDate::parse(s).unwrap())
}

/// Expected observation: indicator, locality, period, value, unit, qualifier, change.
type Exp = (I, &'static str, P, f64, U, Q, Option<f64>);

fn has(f: &Facts, e: &Exp) -> bool {
    f.observations.iter().any(|o: &Observation| {
        o.indicator == e.0
            && o.locality == e.1
            && o.period == e.2
            && (o.value - e.3).abs() <= 1e-6 * e.3.abs().max(1.0)
            && o.unit == e.4
            && o.qualifier == e.5
            && match (e.6, o.change_pct) {
                (None, None) => true,
                (Some(a), Some(b)) => (a - b).abs() < 1e-6,
                _ => false,
            }
    })
}

/// Each case: text, date, the observations it must give (exactly these).
fn check(cases: &[(&str, &str, Vec<Exp>)]) {
    let mut failures = Vec::new();
    for (text, date, exp) in cases {
        let f = extract(text, d(date));
        let ok = exp.iter().all(|e| has(&f, e)) && f.observations.len() == exp.len();
        if !ok {
            failures.push(format!(
                "TEXT: {text}\n  expected: {exp:?}\n  got: {:#?}",
                f.observations
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn number_forms() {
    check(&[
        (
            "Năm 2014, các địa phương đã đăng ký mới 1.588 dự án đầu tư nước ngoài.",
            "2015-01-20",
            vec![(
                I::FdiProjects,
                "Việt Nam",
                P::Year(2014),
                1588.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        (
            "Đến nay, tỉnh Quảng Nam có 200 dự án FDI với tổng vốn đăng ký 370,34 triệu USD.",
            "2019-06-01",
            vec![
                (
                    I::FdiProjects,
                    "Quảng Nam",
                    P::AsOf(2019),
                    200.0,
                    U::Count,
                    Q::Exact,
                    None,
                ),
                (
                    I::FdiCapitalRegistered,
                    "Quảng Nam",
                    P::AsOf(2019),
                    370_340_000.0,
                    U::Usd,
                    Q::Exact,
                    None,
                ),
            ],
        ),
        (
            "Năm 2021, tổng vốn ODA và vốn vay ưu đãi ký kết của tỉnh Hà Giang đạt 4,019 tỷ USD.",
            "2022",
            vec![(
                I::OdaCapital,
                "Hà Giang",
                P::Year(2021),
                4_019_000_000.0,
                U::Usd,
                Q::Exact,
                None,
            )],
        ),
        (
            "Tỉnh Bến Tre đã giải ngân vốn ODA 8.636 triệu đồng trong năm 2020.",
            "2021",
            vec![(
                I::OdaCapital,
                "Bến Tre",
                P::Year(2020),
                8_636_000_000.0,
                U::Vnd,
                Q::Exact,
                None,
            )],
        ),
        (
            "Kim ngạch xuất khẩu của tỉnh Long An năm 2019 đạt trên 2 tỷ USD.",
            "2020",
            vec![(
                I::TradeExport,
                "Long An",
                P::Year(2019),
                2e9,
                U::Usd,
                Q::Over,
                None,
            )],
        ),
        (
            "Tính đến nay, có khoảng 18.019 kiều bào quê gốc Bạc Liêu.",
            "2020",
            vec![(
                I::OverseasVnPopulation,
                "Bạc Liêu",
                P::AsOf(2020),
                18019.0,
                U::People,
                Q::About,
                None,
            )],
        ),
        (
            "Năm 2019, tỉnh Sóc Trăng có 04 dự án ODA còn hoạt động.",
            "2020",
            vec![(
                I::OdaProjects,
                "Sóc Trăng",
                P::AsOf(2019),
                4.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        (
            "Năm 2020, tỉnh Cà Mau tiếp nhận viện trợ phi chính phủ nước ngoài 1,5 nghìn tỷ đồng.",
            "2021",
            vec![(
                I::NgoAidAmount,
                "Cà Mau",
                P::Year(2020),
                1.5e12,
                U::Vnd,
                Q::Exact,
                None,
            )],
        ),
        (
            "Năm 2020, tỉnh Kiên Giang nhận viện trợ phi chính phủ trị giá 3,286,743 USD.",
            "2021",
            vec![(
                I::NgoAidAmount,
                "Kiên Giang",
                P::Year(2020),
                3_286_743.0,
                U::Usd,
                Q::Exact,
                None,
            )],
        ),
    ]);
}

#[test]
fn english_separators_where_a_text_uses_them() {
    // The text writes 1,250,000 and 2.5: English convention, so "3,286" is three thousand.
    let text = "Năm 2020, tỉnh Kiên Giang nhận viện trợ phi chính phủ trị giá 1,250,000 USD và đón 3,286 lượt nhà đầu tư; tăng trưởng 2.5 lần.";
    let f = extract(text, d("2021"));
    assert!(
        has(
            &f,
            &(
                I::NgoAidAmount,
                "Kiên Giang",
                P::Year(2020),
                1_250_000.0,
                U::Usd,
                Q::Exact,
                None
            )
        ),
        "{f:#?}"
    );
    assert!(
        has(
            &f,
            &(
                I::InvestorsVisits,
                "Kiên Giang",
                P::Year(2020),
                3286.0,
                U::Count,
                Q::Exact,
                None
            )
        ),
        "{f:#?}"
    );
}

#[test]
fn numbers_in_words() {
    check(&[
        (
            "Năm 2018, tỉnh Gia Lai cấp phép cho bốn dự án đầu tư nước ngoài và ba dự án ODA.",
            "2019",
            vec![
                (
                    I::FdiProjects,
                    "Gia Lai",
                    P::Year(2018),
                    4.0,
                    U::Count,
                    Q::Exact,
                    None,
                ),
                (
                    I::OdaProjects,
                    "Gia Lai",
                    P::Year(2018),
                    3.0,
                    U::Count,
                    Q::Exact,
                    None,
                ),
            ],
        ),
        (
            "Trong năm 2022, tỉnh Phú Yên đã ký kết mười hai thỏa thuận quốc tế.",
            "2023",
            vec![(
                I::AgreementsSigned,
                "Phú Yên",
                P::Year(2022),
                12.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        // "Một số", "Ba là" and "năm 2019" are not numbers of anything.
        (
            "Ba là, một số dự án ODA của tỉnh Yên Bái chậm tiến độ trong năm 2019.",
            "2020",
            vec![],
        ),
    ]);
}

#[test]
fn period_forms() {
    check(&[
        (
            "Giai đoạn 2012 - 2016, tỉnh Trà Vinh đã tiếp nhận 48 chương trình, dự án viện trợ phi chính phủ nước ngoài với tổng số tiền trên 56 tỷ đồng.",
            "2017",
            vec![
                (
                    I::NgoAidPrograms,
                    "Trà Vinh",
                    P::Range {
                        from: 2012,
                        to: 2016,
                    },
                    48.0,
                    U::Count,
                    Q::Exact,
                    None,
                ),
                (
                    I::NgoAidAmount,
                    "Trà Vinh",
                    P::Range {
                        from: 2012,
                        to: 2016,
                    },
                    56e9,
                    U::Vnd,
                    Q::Over,
                    None,
                ),
            ],
        ),
        (
            "Từ năm 2016 đến nay, tỉnh Hậu Giang đã đón hơn 800 đoàn khách nước ngoài.",
            "2020",
            vec![(
                I::DelegationsInbound,
                "Hậu Giang",
                P::Since(2016),
                800.0,
                U::Count,
                Q::Over,
                None,
            )],
        ),
        (
            "Trong nhiệm kỳ 2015-2020, tỉnh Ninh Thuận đã ký kết 9 thỏa thuận hợp tác quốc tế.",
            "2020",
            vec![(
                I::AgreementsSigned,
                "Ninh Thuận",
                P::Range {
                    from: 2015,
                    to: 2020,
                },
                9.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        (
            "Hiện nay, tỉnh Bình Phước có 70 dự án FDI còn hiệu lực.",
            "2022-12-20",
            vec![(
                I::FdiProjects,
                "Bình Phước",
                P::AsOf(2022),
                70.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        // "Trong năm" is the year the text is about; "từ đầu năm đến nay" counts as the year.
        (
            "Năm 2014, tỉnh Hà Nam đã ký 5 bản ghi nhớ với doanh nghiệp nước ngoài. Trong năm đã đón 30 đoàn vào.",
            "2015-01-27",
            vec![
                (
                    I::MousSigned,
                    "Hà Nam",
                    P::Year(2014),
                    5.0,
                    U::Count,
                    Q::Exact,
                    None,
                ),
                (
                    I::DelegationsInbound,
                    "Hà Nam",
                    P::Year(2014),
                    30.0,
                    U::Count,
                    Q::Exact,
                    None,
                ),
            ],
        ),
        (
            "Từ đầu năm đến nay, tỉnh Lào Cai đã cử 15 đoàn ra nước ngoài.",
            "2023-11-30",
            vec![(
                I::DelegationsOutbound,
                "Lào Cai",
                P::Year(2023),
                15.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        // Part-year figures are left out; targets too.
        (
            "6 tháng đầu năm 2023, tỉnh Điện Biên đón 12 đoàn khách nước ngoài. Quý I, tỉnh cử 3 đoàn ra.",
            "2023-07-01",
            vec![],
        ),
        (
            "Tỉnh Lai Châu phấn đấu đến năm 2030 thu hút 50 dự án FDI.",
            "2023",
            vec![],
        ),
        // No year in the text: the report's year; "hàng năm" too.
        (
            "Bản tin đối ngoại của tỉnh Cao Bằng phát hành 12 kỳ/năm.",
            "2021-05-05",
            vec![(
                I::BulletinsIssues,
                "Cao Bằng",
                P::Year(2021),
                12.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        // Carried from the sentence before.
        (
            "Từ sau Hội nghị Ngoại vụ toàn quốc lần thứ 18, tỉnh Kon Tum ký mới 7 thỏa thuận quốc tế. Tỉnh cũng cấp phép cho hai dự án đầu tư nước ngoài mới.",
            "2018-08-12",
            vec![
                (
                    I::AgreementsSigned,
                    "Kon Tum",
                    P::Since(2016),
                    7.0,
                    U::Count,
                    Q::Exact,
                    None,
                ),
                (
                    I::FdiProjects,
                    "Kon Tum",
                    P::Since(2016),
                    2.0,
                    U::Count,
                    Q::Exact,
                    None,
                ),
            ],
        ),
    ]);
}

#[test]
fn growth_forms() {
    check(&[
        (
            "Năm 2022, kim ngạch xuất khẩu của tỉnh Vĩnh Phúc đạt 793 triệu USD, tăng 37,91% so với năm 2021.",
            "2022-12-20",
            vec![(
                I::TradeExport,
                "Vĩnh Phúc",
                P::Year(2022),
                793e6,
                U::Usd,
                Q::Exact,
                Some(37.91),
            )],
        ),
        (
            "Năm 2022, kim ngạch nhập khẩu của tỉnh Bắc Ninh đạt 332 triệu USD, giảm 5% so năm trước.",
            "2022-12-20",
            vec![(
                I::TradeImport,
                "Bắc Ninh",
                P::Year(2022),
                332e6,
                U::Usd,
                Q::Exact,
                Some(-5.0),
            )],
        ),
        (
            "Năm 2022, kiều hối về tỉnh Nghệ An đạt 400 triệu USD, bằng 101% so với cùng kỳ.",
            "2023",
            vec![(
                I::Remittances,
                "Nghệ An",
                P::Year(2022),
                400e6,
                U::Usd,
                Q::Exact,
                Some(1.0),
            )],
        ),
        (
            "GRDP của tỉnh Thái Bình năm 2022 ước đạt 37.010 tỷ đồng, tăng 8,2%; tỷ trọng nông nghiệp 35,1%.",
            "2022-12-20",
            vec![(
                I::Grdp,
                "Thái Bình",
                P::Year(2022),
                37_010e9,
                U::Vnd,
                Q::About,
                Some(8.2),
            )],
        ),
        // An absolute change is not a level.
        (
            "Năm 2022, tỉnh Hòa Bình đón 20 đoàn khách nước ngoài, tăng 5 đoàn so với năm 2021.",
            "2022",
            vec![(
                I::DelegationsInbound,
                "Hòa Bình",
                P::Year(2022),
                20.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
    ]);
}

#[test]
fn qualifiers() {
    check(&[
        (
            "Năm 2020, tỉnh Hà Tĩnh tiếp nhận viện trợ phi chính phủ trên 4,5 triệu USD.",
            "2021",
            vec![(
                I::NgoAidAmount,
                "Hà Tĩnh",
                P::Year(2020),
                4.5e6,
                U::Usd,
                Q::Over,
                None,
            )],
        ),
        (
            "Năm 2020, tỉnh Quảng Bình tiếp nhận viện trợ phi chính phủ dưới 1 triệu USD.",
            "2021",
            vec![(
                I::NgoAidAmount,
                "Quảng Bình",
                P::Year(2020),
                1e6,
                U::Usd,
                Q::Under,
                None,
            )],
        ),
        (
            "Năm 2020, kiều hối về tỉnh Hải Dương đạt gần 300 triệu USD.",
            "2021",
            vec![(
                I::Remittances,
                "Hải Dương",
                P::Year(2020),
                300e6,
                U::Usd,
                Q::About,
                None,
            )],
        ),
        // "ước đạt trên": the word nearest the number counts.
        (
            "Năm 2020, kim ngạch xuất khẩu của tỉnh Nam Định ước đạt trên 3 tỷ USD.",
            "2021",
            vec![(
                I::TradeExport,
                "Nam Định",
                P::Year(2020),
                3e9,
                U::Usd,
                Q::Over,
                None,
            )],
        ),
        (
            "Năm 2020, kim ngạch xuất khẩu của tỉnh Ninh Bình ước đạt 1,2 tỷ USD.",
            "2021",
            vec![(
                I::TradeExport,
                "Ninh Bình",
                P::Year(2020),
                1.2e9,
                U::Usd,
                Q::About,
                None,
            )],
        ),
    ]);
}

#[test]
fn wholes_not_parts_and_no_restatements() {
    check(&[
        (
            "Năm 2022, tỉnh Tuyên Quang tiếp đón 40 lượt nhà đầu tư, trong đó có 24 lượt nhà đầu tư nước ngoài.",
            "2022",
            vec![(
                I::InvestorsVisits,
                "Tuyên Quang",
                P::Year(2022),
                40.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        (
            "Năm 2019, lượng kiều hối gửi về tỉnh Thanh Hóa đạt khoảng 80 triệu USD, tương đương 1.840 tỷ đồng.",
            "2020",
            vec![(
                I::Remittances,
                "Thanh Hóa",
                P::Year(2019),
                80e6,
                U::Usd,
                Q::About,
                None,
            )],
        ),
        (
            "Năm 2021, tỉnh Quảng Ngãi ký kết 6 thỏa thuận và bản ghi nhớ với đối tác nước ngoài.",
            "2022",
            vec![(
                I::AgreementsSigned,
                "Quảng Ngãi",
                P::Year(2021),
                6.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
    ]);
}

#[test]
fn province_variants_regions_and_the_nation() {
    check(&[
        (
            "Năm 2021, TP. HCM thu hút 500 dự án FDI.",
            "2022",
            vec![(
                I::FdiProjects,
                "Hồ Chí Minh",
                P::Year(2021),
                500.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        (
            "Năm 2021, Thành phố Hồ Chí Minh đón 300 đoàn khách quốc tế.",
            "2022",
            vec![(
                I::DelegationsInbound,
                "Hồ Chí Minh",
                P::Year(2021),
                300.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        (
            "Năm 2021, tỉnh Thừa Thiên - Huế ký 4 thỏa thuận quốc tế.",
            "2022",
            vec![(
                I::AgreementsSigned,
                "Thừa Thiên Huế",
                P::Year(2021),
                4.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        (
            "Năm 2021, tỉnh Khánh Hoà đón 50 đoàn khách nước ngoài.",
            "2022",
            vec![(
                I::DelegationsInbound,
                "Khánh Hòa",
                P::Year(2021),
                50.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        (
            "Năm 2021, tỉnh Bà Rịa-Vũng Tàu có 20 dự án FDI mới.",
            "2022",
            vec![(
                I::FdiProjects,
                "Bà Rịa - Vũng Tàu",
                P::Year(2021),
                20.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        // A region is not a province: its figure is left out.
        (
            "Năm 2021, các tỉnh ĐBSCL thu hút 150 dự án FDI.",
            "2022",
            vec![],
        ),
        // Compared against a region: the figure is the subject's.
        (
            "Tiền Giang luôn dẫn đầu so với các tỉnh ở ĐBSCL với kim ngạch xuất khẩu năm 2021 đạt 3 tỷ USD.",
            "2022",
            vec![(
                I::TradeExport,
                "Tiền Giang",
                P::Year(2021),
                3e9,
                U::Usd,
                Q::Exact,
                None,
            )],
        ),
        // National figures.
        (
            "Năm 2014, cả nước có 1.588 dự án FDI mới.",
            "2015",
            vec![(
                I::FdiProjects,
                "Việt Nam",
                P::Year(2014),
                1588.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        // After the 2025 reorganisation, a legacy province is named as the unit that absorbed it.
        (
            "Năm 2025, tỉnh Bến Tre cũ đón 10 đoàn khách nước ngoài.",
            "2025-12-01",
            vec![(
                I::DelegationsInbound,
                "Vĩnh Long",
                P::Year(2025),
                10.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
    ]);
}

#[test]
fn subject_detection() {
    let f = extract(
        "Tỉnh Đắk Lắk đẩy mạnh hợp tác quốc tế.\nNăm 2022, tỉnh đón 15 đoàn khách nước ngoài.",
        d("2022"),
    );
    assert_eq!(f.subject.name, "Đắk Lắk");
    assert_eq!(f.observations[0].locality, "Đắk Lắk");
    let f = extract(
        "Tổng kết công tác đối ngoại địa phương.\nNăm 2014, các địa phương đã ký 53 thỏa thuận quốc tế.",
        d("2015"),
    );
    assert_eq!(f.subject.name, "Việt Nam");
    assert_eq!(
        serde_json::to_value(&f.subject).unwrap()["level"],
        "national"
    );
}

/// Expected partnership: partner, country, kind.
fn partners(text: &str, exp: &[(&str, Option<&str>, K)]) {
    let f = extract(text, d("2020"));
    let got: Vec<(String, Option<String>, K)> = f
        .partnerships
        .iter()
        .map(|p| (p.partner.clone(), p.partner_country.clone(), p.kind))
        .collect();
    let want: Vec<(String, Option<String>, K)> = exp
        .iter()
        .map(|(a, b, k)| (a.to_string(), b.map(str::to_string), *k))
        .collect();
    assert_eq!(got, want, "TEXT: {text}");
}

#[test]
fn partner_patterns_for_unseen_names() {
    // Names that are in no vocabulary: the patterns alone.
    partners(
        "Tỉnh Hà Giang đã ký kết thỏa thuận hợp tác với tỉnh Zorvan (Campuchia) và thành phố Qelmora, Hàn Quốc.",
        &[
            ("Zorvan", Some("KH"), K::Agreement),
            ("Qelmora", Some("KR"), K::Agreement),
        ],
    );
    partners(
        "Tỉnh Sơn La thiết lập quan hệ kết nghĩa với tỉnh Trandel - Lào và bang Westmoor - Úc.",
        &[
            ("Trandel", Some("LA"), K::Twinning),
            ("Westmoor", Some("AU"), K::Twinning),
        ],
    );
    partners(
        "Tỉnh Lạng Sơn đã ký thỏa thuận hợp tác giữa Lạng Sơn và Ostravel - Hoa Kỳ giai đoạn 2018 - 2022.",
        &[("Ostravel", Some("US"), K::Agreement)],
    );
    partners(
        "Tỉnh Bắc Giang ký kết bản ghi nhớ với các tỉnh Alderon, Brevik, Castavia (Australia).",
        &[
            ("Alderon", Some("AU"), K::Agreement),
            ("Brevik", Some("AU"), K::Agreement),
            ("Castavia", Some("AU"), K::Agreement),
        ],
    );
    partners(
        "Tỉnh Quảng Trị thiết lập quan hệ hợp tác với Trường Đại học Norwell - Mỹ và Tập đoàn Kestrel Holdings - Nhật Bản.",
        &[
            ("Trường Đại học Norwell", Some("US"), K::Cooperation),
            ("Tập đoàn Kestrel Holdings", Some("JP"), K::Cooperation),
        ],
    );
    // Twinning binds localities; organisations in the same list are cooperation.
    partners(
        "Tỉnh Phú Thọ đã thiết lập quan hệ kết nghĩa với tỉnh Varnholm - Mozambique, Bộ Nông nghiệp - Mozambique.",
        &[
            ("Varnholm", Some("MZ"), K::Twinning),
            ("Bộ Nông nghiệp", Some("MZ"), K::Cooperation),
        ],
    );
}

#[test]
fn partner_vocabulary_and_non_partners() {
    // Known names: the vocabulary gives the country.
    partners(
        "Năm 2019, tỉnh Quảng Nam ký kết thỏa thuận hợp tác với tỉnh Savannakhet.",
        &[("Savannakhet", Some("LA"), K::Agreement)],
    );
    // Countries, Vietnamese places, meetings and plans are not partners.
    partners(
        "Tỉnh Bình Định đã ký kết hợp tác hữu nghị với các quốc gia như: Lào, Campuchia, Hàn Quốc.",
        &[],
    );
    partners(
        "Thỏa thuận hợp tác giữa tỉnh Tiền Giang và TP. HCM được ký năm 2019.",
        &[],
    );
    partners(
        "Tỉnh đã tiếp và làm việc với Hiệp hội Doanh nhân Zeta - Hàn Quốc để trao đổi khả năng hợp tác.",
        &[],
    );
    partners(
        "Tỉnh dự kiến ký kết thỏa thuận với tỉnh Zorvan (Campuchia) trong năm tới.",
        &[],
    );
    // Runtime additions.
    let ex = ngoaivu_extract::Extractor::new()
        .with_partners(
            "name,aliases,country,kind,source\nQuornshire,Quorn Shire,GB,locality,test\n",
        )
        .unwrap();
    let f = ex.extract(
        "Tỉnh Hà Nam thiết lập quan hệ hợp tác với Quornshire.",
        d("2020"),
    );
    assert_eq!(f.partnerships.len(), 1, "{f:#?}");
    assert_eq!(f.partnerships[0].partner_country.as_deref(), Some("GB"));
    assert!(
        ngoaivu_extract::Extractor::new()
            .with_partners("name,aliases,country,kind\nX,,ZZ,locality\n")
            .is_err()
    );
}

#[test]
fn countries_by_their_vietnamese_and_english_names() {
    partners(
        "Tỉnh Cần Thơ ký kết thỏa thuận với thành phố Pellmont (Hoa Kỳ), thành phố Dunrae (Mỹ), bang Korvale - Úc và bang Tessaly - Australia.",
        &[
            ("Pellmont", Some("US"), K::Agreement),
            ("Dunrae", Some("US"), K::Agreement),
            ("Korvale", Some("AU"), K::Agreement),
            ("Tessaly", Some("AU"), K::Agreement),
        ],
    );
}

#[test]
fn normalisation_nfd_nbsp_dashes_quotes() {
    use unicode_normalization::UnicodeNormalization;
    let nfc = "Năm 2021, tỉnh Đồng Tháp đón 45 đoàn khách nước ngoài.";
    let nfd: String = nfc.nfd().collect();
    assert_ne!(nfc, nfd);
    let f = extract(&nfd, d("2022"));
    assert_eq!(f.subject.name, "Đồng Tháp");
    assert_eq!(f.observations.len(), 1);
    // The span is in the NFD input's bytes.
    let [a, b] = f.observations[0].span;
    let s: String = nfd[a..b].nfc().collect();
    assert!(s.starts_with("45 đoàn"), "{s:?}");
    // No-break spaces, en dashes, ellipsis and typographic quotes.
    let t = "Giai đoạn 2016\u{00A0}\u{2013}\u{00A0}2020, \u{201C}tỉnh\u{201D} An\u{00A0}Giang ký kết 8\u{00A0}thỏa thuận quốc tế\u{2026} tỉnh Kampot \u{2013} Campuchia cũng ký thỏa thuận.";
    let f = extract(t, d("2021"));
    assert!(
        has(
            &f,
            &(
                I::AgreementsSigned,
                "An Giang",
                P::Range {
                    from: 2016,
                    to: 2020
                },
                8.0,
                U::Count,
                Q::Exact,
                None
            )
        ),
        "{f:#?}"
    );
    let [a, b] = f.observations[0].span;
    assert!(t[a..b].starts_with('8'), "{:?}", &t[a..b]);
}

#[test]
fn html_input() {
    let html = r#"<!DOCTYPE html><html><head><title>Sở Ngoại vụ</title><script>var x = "Năm 2020, tỉnh có 999 dự án FDI.";</script>
        <style>.a{}</style></head><body>
        <nav><ul><li><a href="/">Trang ch&#7911;</a></li><li>Năm 2020 có 888 đoàn vào</li></ul></nav>
        <div class="main-menu">Năm 2020, tỉnh Hà Nam đón 777 đoàn khách nước ngoài.</div>
        <article><h1>T&#7881;nh Ninh B&igrave;nh h&#7897;i nh&#7853;p</h1>
        <p>Năm 2020, t&#7881;nh Ninh B&#236;nh đ&oacute;n 25&nbsp;đo&agrave;n kh&aacute;ch nước ngo&agrave;i &amp; chuyên gia.</p>
        <p>Kim ngạch xuất khẩu năm 2020 đạt 1,5&nbsp;tỷ USD.</p></article>
        <footer>Năm 2020, tỉnh Hà Nam ký 666 thỏa thuận.</footer></body></html>"#;
    let text = ngoaivu_extract::detect_and_read(html.as_bytes(), Some("tin.html")).unwrap();
    assert!(
        !text.contains("999")
            && !text.contains("888")
            && !text.contains("777")
            && !text.contains("666"),
        "{text}"
    );
    assert!(
        text.contains("Năm 2020, tỉnh Ninh Bình đón 25\u{a0}đoàn khách nước ngoài & chuyên gia."),
        "{text}"
    );
    // Sniffed without a name too.
    assert_eq!(
        ngoaivu_extract::detect_and_read(html.as_bytes(), None).unwrap(),
        text
    );
    let f = extract(&text, d("2021"));
    assert_eq!(f.subject.name, "Ninh Bình");
    assert!(
        has(
            &f,
            &(
                I::DelegationsInbound,
                "Ninh Bình",
                P::Year(2020),
                25.0,
                U::Count,
                Q::Exact,
                None
            )
        ),
        "{f:#?}"
    );
    assert!(
        has(
            &f,
            &(
                I::TradeExport,
                "Ninh Bình",
                P::Year(2020),
                1.5e9,
                U::Usd,
                Q::Exact,
                None
            )
        ),
        "{f:#?}"
    );
    assert_eq!(f.observations.len(), 2);
}

fn tiny_docx(paragraphs: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("[Content_Types].xml", opts).unwrap();
        z.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#).unwrap();
        z.start_file("word/document.xml", opts).unwrap();
        let mut xml = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
        );
        for p in paragraphs {
            // Split each paragraph over two runs, as Word does.
            let mid = p
                .char_indices()
                .nth(p.chars().count() / 2)
                .map_or(0, |(i, _)| i);
            let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
            xml.push_str(&format!(
                r#"<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
                esc(&p[..mid]),
                esc(&p[mid..])
            ));
        }
        xml.push_str("</w:body></w:document>");
        z.write_all(xml.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn docx_input() {
    let bytes = tiny_docx(&[
        "Báo cáo công tác đối ngoại tỉnh Lâm Đồng",
        "Năm 2021, tỉnh Lâm Đồng đón 35 đoàn khách nước ngoài.",
        "Kim ngạch xuất khẩu đạt 900 triệu USD, tăng 10% so với năm 2020.",
    ]);
    let text = ngoaivu_extract::detect_and_read(&bytes, Some("bao-cao.docx")).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert_eq!(ngoaivu_extract::text_from_docx(&bytes).unwrap(), text);
    assert_eq!(
        ngoaivu_extract::detect_and_read(&bytes, None).unwrap(),
        text
    );
    let f = extract(&text, d("2022"));
    assert!(
        has(
            &f,
            &(
                I::DelegationsInbound,
                "Lâm Đồng",
                P::Year(2021),
                35.0,
                U::Count,
                Q::Exact,
                None
            )
        ),
        "{f:#?}"
    );
    assert!(
        has(
            &f,
            &(
                I::TradeExport,
                "Lâm Đồng",
                P::Year(2021),
                900e6,
                U::Usd,
                Q::Exact,
                Some(10.0)
            )
        ),
        "{f:#?}"
    );
    // A zip that is not a DOCX, and bytes that are not a zip.
    let mut not_docx = std::io::Cursor::new(Vec::new());
    {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(&mut not_docx);
        z.start_file("a.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"x").unwrap();
        z.finish().unwrap();
    }
    let e = ngoaivu_extract::text_from_docx(not_docx.get_ref())
        .unwrap_err()
        .to_string();
    assert!(e.contains("word/document.xml"), "{e}");
    assert!(ngoaivu_extract::detect_and_read(b"PK\x03\x04garbage", Some("x.docx")).is_err());
}

#[test]
fn json_is_the_spec_format() {
    let f = extract(
        "Đến nay, tỉnh Vĩnh Long có 39 dự án FDI với tổng số vốn đăng ký 370,34 triệu USD.",
        d("2017-04-13"),
    );
    let v = serde_json::to_value(&f).unwrap();
    assert_eq!(
        v["subject"],
        serde_json::json!({"name": "Vĩnh Long", "level": "province"})
    );
    let o = &v["observations"][1];
    assert_eq!(o["indicator"], "fdi.capital.registered");
    assert_eq!(o["period"], serde_json::json!({"as_of": 2017}));
    assert_eq!(o["value"], serde_json::json!(370340000));
    assert_eq!(o["unit"], "USD");
    assert_eq!(o["qualifier"], "exact");
    assert!(o["change_pct"].is_null());
    assert_eq!(o["span"].as_array().unwrap().len(), 2);
    let back: Facts = serde_json::from_value(v).unwrap();
    assert_eq!(back, f);
}

#[test]
fn more_report_phrasings() {
    check(&[
        // Colon forms of delegation counts.
        (
            "Năm 2023, tỉnh Yên Bái: đoàn ra 25 đoàn; đoàn vào 52 đoàn.",
            "2023-12-01",
            vec![
                (
                    I::DelegationsOutbound,
                    "Yên Bái",
                    P::Year(2023),
                    25.0,
                    U::Count,
                    Q::Exact,
                    None,
                ),
                (
                    I::DelegationsInbound,
                    "Yên Bái",
                    P::Year(2023),
                    52.0,
                    U::Count,
                    Q::Exact,
                    None,
                ),
            ],
        ),
        // A compound amount.
        (
            "Năm 2023, tỉnh Bắc Kạn tiếp nhận viện trợ phi chính phủ 2 tỷ 500 triệu đồng.",
            "2023-12-01",
            vec![(
                I::NgoAidAmount,
                "Bắc Kạn",
                P::Year(2023),
                2.5e9,
                U::Vnd,
                Q::Exact,
                None,
            )],
        ),
        // A period still running at the report's date is accumulated since its start.
        (
            "Từ đầu nhiệm kỳ 2020 - 2025 đến nay, tỉnh Hưng Yên đã đón 120 đoàn khách nước ngoài.",
            "2023-06-01",
            vec![(
                I::DelegationsInbound,
                "Hưng Yên",
                P::Since(2020),
                120.0,
                U::Count,
                Q::Exact,
                None,
            )],
        ),
        // Disbursed FDI is not registered capital; GRDP per head is not GRDP.
        (
            "Năm 2023, vốn FDI giải ngân của tỉnh Bình Dương đạt 1,5 tỷ USD; GRDP bình quân đầu người đạt 7.000 USD.",
            "2023-12-01",
            vec![],
        ),
        // Stock then flow in the same paragraph: "đến nay" does not make exports a stock.
        (
            "Lũy kế đến nay, tỉnh Đồng Nai có 1.500 dự án FDI còn hiệu lực. Kim ngạch xuất khẩu đạt 20 tỷ USD.",
            "2023-12-01",
            vec![
                (
                    I::FdiProjects,
                    "Đồng Nai",
                    P::AsOf(2023),
                    1500.0,
                    U::Count,
                    Q::Exact,
                    None,
                ),
                (
                    I::TradeExport,
                    "Đồng Nai",
                    P::Year(2023),
                    20e9,
                    U::Usd,
                    Q::Exact,
                    None,
                ),
            ],
        ),
    ]);
}

#[test]
fn partner_named_before_its_cue() {
    partners(
        "Năm 2019, tỉnh Quảng Trị và tỉnh Zorvan (Lào) đã ký kết biên bản ghi nhớ hợp tác.",
        &[("Zorvan", Some("LA"), K::Agreement)],
    );
    // A visit is not a partnership, even when cooperation is its purpose.
    partners(
        "Đoàn đại biểu tỉnh Zorvan (Lào) đã đến thăm và làm việc tại tỉnh nhằm tăng cường hợp tác.",
        &[],
    );
}

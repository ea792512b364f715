"""The pure selection rules of pontive/recruitment/rules.py, one test per rule with its source clause
(seed 002 = Perwal Bekasi 131.A/2019; seed 000 = KAK Pontianak 2020). No app, no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pontive.recruitment import rules
from pontive.recruitment.demo import load_categories_data

CATEGORIES = {c["code"]: c for c in load_categories_data()}
ALL_DOCUMENTS = frozenset({"cv", "admin_docs", "experience_statement", "capability_statement"})
CLOSING = dt.date(2026, 11, 30)
MAJORS = ["Teknik Informatika", "Sistem Informasi", "Ilmu Komputer"]


def category(code: str) -> rules.CategoryRule:
    """The category rule as the seed defines it (the reference data an admin may later edit)."""
    c = CATEGORIES[code]
    return rules.CategoryRule(c["name"], c["min_years"], c["certificate_required"], tuple(c["accepted_certificates"]))


def team(**changes) -> rules.TeamFacts:
    facts = {
        "non_asn": True,
        "home_opd": True,
        "experience_years": Decimal("5"),
        "experience_signer": "Kepala Bidang Aplikasi Informatika",
        "experience_signed_on": dt.date(2026, 11, 2),
        "documents": ALL_DOCUMENTS,
        "certificates": (),
    }
    facts.update(changes)
    return rules.TeamFacts(**facts)


def contract(**changes) -> rules.ContractFacts:
    facts = {
        "citizenship_wni": True,
        "birth_date": dt.date(1998, 5, 17),
        "npwp": "09.254.294.3-407.000",
        "degree": "S1",
        "major": "Teknik Informatika",
        "accreditation": "Baik Sekali",
        "gpa": Decimal("3.10"),
        "ktp_city": "Kota Pontianak",
        "not_bound_by_contract": True,
        "documents": frozenset({"cv", "ktp", "diploma"}),
    }
    facts.update(changes)
    return rules.ContractFacts(**facts)


def team_result(code: str, facts: rules.TeamFacts, requirement: str) -> rules.Requirement:
    return _pick(rules.check_team_application(facts, category(code)), requirement)


def contract_result(facts: rules.ContractFacts, requirement: str, local_city: str = "Pontianak") -> rules.Requirement:
    results = rules.check_contract_application(
        facts, closing_date=CLOSING, accepted_majors=MAJORS, local_city=local_city
    )
    return _pick(results, requirement)


def _pick(results: list[rules.Requirement], code: str) -> rules.Requirement:
    matches = [r for r in results if r.code == code]
    assert len(matches) == 1, [r.code for r in results]
    return matches[0]


# --- the seed's categories ----------------------------------------------------------------------


def test_seed_defines_the_seven_categories_of_002_section_4_and_17():
    """002 §4(2), §17: seven categories; 002 §18b: 2 years for junior, 4 for the others."""
    assert len(CATEGORIES) == 7
    years = {c["name"]: c["min_years"] for c in CATEGORIES.values()}
    assert years == {
        "Fullstack Programmer": 4,
        "Junior Programmer": 2,
        "Senior Network Administrator": 4,
        "Junior Network Administrator": 2,
        "Senior System Administrator": 4,
        "Junior System Administrator": 2,
        "Data Center Professional": 4,
    }


def test_a_complete_team_application_passes_every_gate():
    results = rules.check_team_application(
        team(certificates=("Sertifikat MTCNA 2024",)), category("senior_network_admin")
    )
    assert rules.all_gates_passed(results), [r.reason for r in results if not r.passed]


# --- programmer team: 002 §16(3)a, §18, §19 -------------------------------------------------------


def test_002_s18a_only_non_asn_employees_may_join_the_team():
    """002 §18a: Pegawai Non ASN."""
    assert team_result("junior_programmer", team(), "non_asn").passed
    refused = team_result("junior_programmer", team(non_asn=False), "non_asn")
    assert not refused.passed and refused.source == "002 §18a"
    assert "berstatus ASN" in refused.reason


def test_002_s16_3a_the_applicant_names_their_home_opd():
    """002 §16(3)a: an employee of the city's own units."""
    assert team_result("junior_programmer", team(), "home_opd").passed
    assert not team_result("junior_programmer", team(home_opd=False), "home_opd").passed


@pytest.mark.parametrize(
    ("code", "years", "passed"),
    [
        ("junior_programmer", "2", True),
        ("junior_programmer", "1.5", False),
        ("junior_network_admin", "2", True),
        ("junior_system_admin", "1.5", False),
        ("senior_system_admin", "4", True),
        ("senior_system_admin", "3.5", False),
        ("senior_network_admin", "4", True),
        ("fullstack", "3.5", False),
        ("data_center_professional", "4", True),
    ],
)
def test_002_s18b_minimum_years_two_for_junior_four_for_senior(code, years, passed):
    """002 §18b: at least 2 years of ICT work for a junior category, 4 for senior, fullstack and
    professional; exactly the minimum passes."""
    result = team_result(code, team(experience_years=Decimal(years)), "experience")
    assert result.passed is passed
    assert result.source == "002 §18b"


def test_002_s18b_reason_names_the_years_and_the_minimum():
    """002 §18b: the reason reads "Pengalaman 3 tahun, minimal 4 tahun untuk Senior System Administrator"."""
    result = team_result("senior_system_admin", team(experience_years=Decimal("3")), "experience")
    assert not result.passed
    assert result.reason == "Pengalaman 3 tahun, minimal 4 tahun untuk Senior System Administrator."
    half = team_result("junior_programmer", team(experience_years=Decimal("1.5")), "experience")
    assert half.reason.startswith("Pengalaman 1,5 tahun, minimal 2 tahun")


def test_002_s18b_missing_years_fail():
    result = team_result("junior_programmer", team(experience_years=None), "experience")
    assert not result.passed and "belum diisi" in result.reason


@pytest.mark.parametrize(
    "changes",
    [
        {"experience_signer": "  "},
        {"experience_signed_on": None},
        {"documents": ALL_DOCUMENTS - {"experience_statement"}},
    ],
    ids=["no signer", "no date", "no letter"],
)
def test_002_s18b_experience_statement_needs_the_letter_its_signer_and_date(changes):
    """002 §18b: experience proven by a statement signed by the head of the unit."""
    assert team_result("junior_programmer", team(), "experience_statement").passed
    result = team_result("junior_programmer", team(**changes), "experience_statement")
    assert not result.passed and result.source == "002 §18b"


def test_002_s18c_capability_statement_is_required():
    """002 §18c: a statement of being able to carry out the duties."""
    assert team_result("junior_programmer", team(), "capability_statement").passed
    result = team_result(
        "junior_programmer", team(documents=ALL_DOCUMENTS - {"capability_statement"}), "capability_statement"
    )
    assert not result.passed and result.source == "002 §18c"


@pytest.mark.parametrize(("kind", "source"), [("cv", "002 §16(3)a.1"), ("admin_docs", "002 §16(3)a.2")])
def test_002_s16_3a_cv_and_administrative_documents_are_required(kind, source):
    """002 §16(3)a: CV (daftar riwayat hidup) and the administrative requirements."""
    assert team_result("junior_programmer", team(), kind).passed
    result = team_result("junior_programmer", team(documents=ALL_DOCUMENTS - {kind}), kind)
    assert not result.passed and result.source == source
    assert "belum dilampirkan" in result.reason


@pytest.mark.parametrize(
    ("code", "accepted", "refused"),
    [
        (
            "senior_network_admin",
            ["MTCNA", "Sertifikat CCNA 200-301", "mtcre", "CompTIA Network+ N10-008"],
            ["CompTIA Linux+", "MTCINE", "Sertifikat Jaringan"],
        ),
        (
            "senior_system_admin",
            ["CompTIA Linux+", "RHCE", "GCUX", "LPIC-1", "CDCP"],
            ["MTCNA", "RHCSA", "CompTIA Network+"],
        ),
        ("data_center_professional", ["CDCP", "CDCS 2025", "Sertifikat CDCE"], ["CCNA", "CDC", "Sertifikat"]),
        (
            "fullstack",
            ["Sertifikat Python Developer", "Oracle Certified Java Programmer", "Node.js Application Developer", "R"],
            ["Sertifikat", "Desain Grafis", "Microsoft Office Specialist"],
        ),
    ],
)
def test_002_s19_certificate_rule_of_each_certified_category(code, accepted, refused):
    """002 §19: the certified categories need one of their listed certificates (DESIGN §1 table)."""
    for name in accepted:
        result = team_result(code, team(certificates=(name,)), "certificate")
        assert result.passed, (code, name)
        assert name in result.reason and result.source == "002 §19"
    for name in refused:
        result = team_result(code, team(certificates=(name,)), "certificate")
        assert not result.passed, (code, name)
    assert not team_result(code, team(certificates=()), "certificate").passed


def test_002_s19_one_accepted_certificate_among_others_is_enough():
    result = team_result("senior_network_admin", team(certificates=("TOEFL", "Sertifikat MTCNA 2024")), "certificate")
    assert result.passed and "Sertifikat MTCNA 2024" in result.reason


def test_002_s19_certificates_match_as_whole_words():
    """002 §19: "Sertifikat" contains the letter r but is not the R certificate of Fullstack."""
    assert rules.matching_certificate(["Sertifikat"], ["R"]) is None
    assert rules.matching_certificate(["Sertifikat Pemrograman R"], ["R"]) == "Sertifikat Pemrograman R"
    assert rules.matching_certificate(["Professional Javanese"], ["Java"]) is None
    assert rules.matching_certificate(["RHCE"], ["rhce"]) == "RHCE"


@pytest.mark.parametrize("code", ["junior_programmer", "junior_network_admin", "junior_system_admin"])
def test_002_s19_junior_categories_need_no_certificate(code):
    """002 §19: only the senior, fullstack and professional categories name certificates."""
    results = rules.check_team_application(team(certificates=()), category(code))
    assert "certificate" not in {r.code for r in results}
    assert rules.all_gates_passed(results)


# --- contract workers: 000 §10 ----------------------------------------------------------------------


def test_000_s10a_citizenship_wni():
    """000 §10A: Warga Negara Indonesia."""
    assert contract_result(contract(), "wni").passed
    assert not contract_result(contract(citizenship_wni=False), "wni").passed
    assert not contract_result(contract(citizenship_wni=None), "wni").passed


@pytest.mark.parametrize(
    ("birth", "passed"),
    [
        (dt.date(2005, 11, 30), True),  # 21st birthday on the closing date
        (dt.date(2005, 12, 1), False),  # 21st birthday the day after: still 20
        (dt.date(1990, 12, 1), True),  # 36th birthday the day after: still 35
        (dt.date(1990, 11, 30), False),  # 36th birthday on the closing date
    ],
)
def test_000_s10a_age_21_to_35_on_the_closing_date(birth, passed):
    """000 §10A: aged 21 to 35, counted on the round's closing date."""
    result = contract_result(contract(birth_date=birth), "age")
    assert result.passed is passed
    assert "pada 2026-11-30" in result.reason


def test_000_s10a_age_needs_a_birth_date():
    assert not contract_result(contract(birth_date=None), "age").passed


@pytest.mark.parametrize(
    ("npwp", "passed"),
    [
        ("09.254.294.3-407.000", True),  # 15 digits, dots and dash stripped
        ("0925.4294.3407.0001", True),  # 16 digits (the NIK-based NPWP)
        ("09.254.294.3-407.00", False),  # 14
        ("", False),
        (None, False),
    ],
)
def test_000_s10a_npwp_has_15_or_16_digits(npwp, passed):
    """000 §10A: an NPWP is present."""
    assert contract_result(contract(npwp=npwp), "npwp").passed is passed


def test_000_s10a_npwp_digits_strips_punctuation():
    assert rules.npwp_digits("09.254.294.3-407.000") == "092542943407000"
    assert contract_result(contract(npwp=""), "npwp").reason == "NPWP belum dicantumkan."


@pytest.mark.parametrize(("degree", "passed"), [("S1", True), ("d4", True), ("S2", True), ("S3", True), ("D3", False)])
def test_000_s10b_bachelor_degree_or_higher(degree, passed):
    """000 §10B: at least a bachelor's degree (S1)."""
    assert contract_result(contract(degree=degree), "degree").passed is passed


@pytest.mark.parametrize(
    ("accreditation", "passed"),
    [("A", True), ("Unggul", True), ("", False), ("Tidak Terakreditasi", False), ("belum terakreditasi", False)],
)
def test_000_s10b_institution_is_accredited(accreditation, passed):
    """000 §10B: from an accredited institution."""
    assert contract_result(contract(accreditation=accreditation), "accreditation").passed is passed


@pytest.mark.parametrize(
    ("major", "passed"), [("Teknik Informatika", True), ("  sistem INFORMASI ", True), ("Akuntansi", False)]
)
def test_000_s10b_accepted_major_case_insensitive(major, passed):
    """000 §10B: a major from the accepted list, whatever its capitals."""
    assert contract_result(contract(major=major), "major").passed is passed


@pytest.mark.parametrize(("gpa", "passed"), [("2.75", True), ("2.74", False), ("4.00", True), (None, False)])
def test_000_s10b_gpa_at_least_2_75(gpa, passed):
    """000 §10B: IPK at least 2,75."""
    result = contract_result(contract(gpa=None if gpa is None else Decimal(gpa)), "gpa")
    assert result.passed is passed
    if gpa == "2.74":
        assert result.reason == "IPK 2,74; minimal 2,75."


@pytest.mark.parametrize(("bound", "passed"), [(True, True), (False, False), (None, False)])
def test_000_s10a_not_bound_by_another_contract(bound, passed):
    """000 §10A (khusus): not bound by another contract or job."""
    assert contract_result(contract(not_bound_by_contract=bound), "not_bound").passed is passed


def test_000_s10a_local_ktp_is_preferred_but_not_a_gate():
    """000 §10A: a local KTP is preferred (a tie-breaker); an outside KTP never fails the check."""
    results = rules.check_contract_application(
        contract(ktp_city="Kota Singkawang"), closing_date=CLOSING, accepted_majors=MAJORS, local_city="Pontianak"
    )
    local = _pick(results, "local_ktp")
    assert not local.passed and local.gate is False
    assert rules.all_gates_passed(results)
    assert rules.all_gates_passed([r.as_dict() for r in results])


def test_000_s10a_kota_bekasi_is_the_same_city_as_bekasi():
    assert rules.same_city("Kota Bekasi", "Bekasi")
    assert rules.same_city(" bekasi ", "KOTA BEKASI")
    assert not rules.same_city("Kabupaten Bogor", "Bekasi")
    assert not rules.same_city("", "")
    assert contract_result(contract(ktp_city="Kota Bekasi"), "local_ktp", local_city="Bekasi").passed


def test_000_s10_documents_cv_ktp_and_diploma():
    for kind in ("cv", "ktp", "diploma"):
        assert contract_result(contract(), kind).passed
        assert not contract_result(contract(documents=frozenset({"cv", "ktp", "diploma"} - {kind})), kind).passed


# --- completeness before submission ------------------------------------------------------------------


def test_002_s16_3a_a_complete_team_application_misses_nothing():
    assert rules.missing_for_team_submission(team(), has_category=True) == []


def test_002_s16_3a_an_empty_team_application_lists_everything_missing():
    empty = rules.TeamFacts(non_asn=True, home_opd=False, experience_years=None)
    assert rules.missing_for_team_submission(empty, has_category=False) == [
        "Pilih kategori yang dilamar.",
        "Pilih Perangkat Daerah asal.",
        "Isi lama pengalaman kerja TIK.",
        "Isi penanda tangan dan tanggal surat pernyataan pengalaman.",
        "Unggah daftar riwayat hidup.",
        "Unggah persyaratan administrasi.",
        "Unggah surat pernyataan pengalaman.",
        "Unggah surat pernyataan kemampuan.",
    ]


def test_000_s10_contract_completeness():
    assert rules.missing_for_contract_submission(contract()) == []
    empty = rules.ContractFacts(
        citizenship_wni=None,
        birth_date=None,
        npwp=None,
        degree="",
        major="",
        accreditation="",
        gpa=None,
        ktp_city="",
        not_bound_by_contract=None,
    )
    assert rules.missing_for_contract_submission(empty) == [
        "Nyatakan kewarganegaraan.",
        "Isi tanggal lahir.",
        "Isi NPWP.",
        "Isi jenjang pendidikan.",
        "Isi jurusan.",
        "Isi akreditasi.",
        "Isi IPK.",
        "Isi kota sesuai KTP.",
        "Nyatakan apakah Anda terikat kontrak lain.",
        "Unggah daftar riwayat hidup.",
        "Unggah KTP.",
        "Unggah ijazah dan transkrip.",
    ]
    # A "no" is an answer: a declared non-WNI is incomplete only in the check, not at submission.
    assert "Nyatakan kewarganegaraan." not in rules.missing_for_contract_submission(contract(citizenship_wni=False))


# --- statuses --------------------------------------------------------------------------------------


ALLOWED = [
    ("draft", "submitted"),
    ("draft", "withdrawn"),
    ("submitted", "admin_passed"),
    ("submitted", "admin_failed"),
    ("submitted", "withdrawn"),
    ("admin_passed", "interview"),
    ("interview", "practical"),
    ("interview", "interview_failed"),
    ("practical", "passed"),
    ("practical", "practical_failed"),
    ("passed", "selected"),
    ("passed", "not_selected"),
    ("selected", "appointed"),
]


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_002_s16_every_listed_move_is_allowed(current, target):
    """002 §16(2)–(4): the stages in their order."""
    rules.check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("interview", "submitted"),  # backwards
        ("practical", "interview"),  # backwards
        ("admin_failed", "admin_passed"),  # a final status
        ("submitted", "interview"),  # skips the administrative check
        ("admin_passed", "practical"),  # skips the interview
        ("interview", "passed"),  # skips the practical test
        ("passed", "appointed"),  # skips the announcement
        ("appointed", "selected"),
        ("withdrawn", "submitted"),
    ],
)
def test_issue3_backwards_and_skipped_moves_are_refused(current, target):
    """Issue 3 "moving a stage backwards": refused with a message naming both statuses."""
    with pytest.raises(rules.TransitionError) as error:
        rules.check_transition(current, target)
    assert rules.STATUS_LABELS[current] in str(error.value)
    assert rules.STATUS_LABELS[target] in str(error.value)


def test_final_statuses_lead_nowhere():
    for status in rules.FINAL_STATUSES:
        assert not rules.TRANSITIONS.get(status)


# --- scores, stage results, final score, ranking -------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (100, 100), ("85", 85), (" 70 ", 70)])
def test_002_s16_3_score_accepts_whole_numbers_0_to_100(value, expected):
    """002 §16(3)c–d, issue 3: a panel score is a whole number from 0 to 100."""
    assert rules.check_score(value) == expected


@pytest.mark.parametrize("value", [-1, 101, 7.5, "7,5", "", None, "abc"])
def test_issue3_score_outside_0_to_100_or_not_whole_is_refused(value):
    with pytest.raises(rules.ScoreError):
        rules.check_score(value)


def test_issue3_s6_stage_result_is_the_mean_with_two_decimals():
    """Issue 3 §6: stage result = mean of the panel's scores against the pass mark."""
    result = rules.stage_result([80, 75, 71], 70, 2)
    assert result.mean == Decimal("75.33") and result.passed and result.count == 3
    assert rules.stage_result([70, 71, 71], 70).mean == Decimal("70.67")  # rounded half up


def test_issue3_s6_stage_passes_at_exactly_the_mark():
    assert rules.stage_result([70, 70], 70, 2).passed
    below = rules.stage_result([69, 70], 70, 2)
    assert below.mean == Decimal("69.50") and not below.passed


def test_issue3_s6_too_few_panel_scores_are_refused():
    with pytest.raises(rules.ScoreError, match="minimal 2 penilai"):
        rules.stage_result([90], 70, 2)
    with pytest.raises(rules.ScoreError):
        rules.stage_result([], 70, 0)


def test_issue3_s7_final_score_weights_the_stages():
    """Issue 3 §7 (DESIGN §1 "stage weights"): final = interview × w1 + practical × w2, w1 + w2 = 100."""
    assert rules.final_score(Decimal("80"), Decimal("90"), 40, 60) == Decimal("86.00")
    assert rules.final_score(Decimal("75.33"), Decimal("70.67"), 50, 50) == Decimal("73.00")
    assert rules.final_score(Decimal("100"), Decimal("0"), 100, 0) == Decimal("100.00")


@pytest.mark.parametrize(("w1", "w2"), [(50, 60), (40, 50), (-10, 110)])
def test_issue3_s7_weights_not_summing_to_100_are_refused(w1, w2):
    with pytest.raises(ValueError, match="berjumlah 100"):
        rules.final_score(Decimal("80"), Decimal("80"), w1, w2)


def _at(day: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, 9, 0)


def test_002_s16_ranking_per_category_within_the_quota():
    """002 §16(2), §16(4); issue 3 §7: ranked per category by final score; the first `quota` are selected."""
    candidates = [
        rules.Candidate(1, "fullstack", Decimal("80")),
        rules.Candidate(2, "fullstack", Decimal("90")),
        rules.Candidate(3, "fullstack", Decimal("85")),
        rules.Candidate(4, "junior", Decimal("70")),
        rules.Candidate(5, "network", Decimal("99")),
    ]
    placements = rules.rank_candidates(candidates, {"fullstack": 2, "junior": 1})
    assert placements[2] == rules.Placement(1, True)
    assert placements[3] == rules.Placement(2, True)
    assert placements[1] == rules.Placement(3, False)
    assert placements[4] == rules.Placement(1, True)
    assert placements[5] == rules.Placement(1, False)  # no quota for this category


def test_000_s10a_equal_scores_local_ktp_first_then_earlier_submission():
    """000 §10A "diutamakan": on equal scores a local KTP ranks first; then the earlier submission."""
    candidates = [
        rules.Candidate(1, None, Decimal("80"), local_ktp=False, submitted_at=_at(1)),
        rules.Candidate(2, None, Decimal("80"), local_ktp=True, submitted_at=_at(5)),
        rules.Candidate(3, None, Decimal("80"), local_ktp=True, submitted_at=_at(3)),
        rules.Candidate(4, None, Decimal("81"), local_ktp=False, submitted_at=_at(9)),
    ]
    placements = rules.rank_candidates(candidates, {None: 2})
    assert [cid for cid, _ in sorted(placements.items(), key=lambda kv: kv[1].rank)] == [4, 3, 2, 1]
    assert {cid for cid, p in placements.items() if p.selected} == {4, 3}


@pytest.mark.parametrize(
    ("status", "today", "is_open"),
    [
        ("open", dt.date(2026, 11, 1), True),  # the first day
        ("open", dt.date(2026, 11, 30), True),  # the last day
        ("open", dt.date(2026, 10, 31), False),  # the day before
        ("open", dt.date(2026, 12, 1), False),  # the day after
        ("draft", dt.date(2026, 11, 15), False),
        ("closed", dt.date(2026, 11, 15), False),
    ],
)
def test_issue3_s2_filing_only_while_the_round_is_open(status, today, is_open):
    """Issue 3 §2: an application can only be filed while the round is open."""
    assert rules.round_is_open(status, dt.date(2026, 11, 1), dt.date(2026, 11, 30), today) is is_open

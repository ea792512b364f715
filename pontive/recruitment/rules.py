"""Pure selection rules (002 §16–19; 000 §10): the administrative check, stage results, final
score, ranking within the quota, and which status may follow which.

No Flask, no database, no clock: every date is an argument.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def N_(text: str) -> str:
    """Marks a label for translation (pybabel extract -k N_); the template translates it with _()."""
    return text


TWO_PLACES = Decimal("0.01")

# --- statuses ---------------------------------------------------------------------------------

STATUS_LABELS = {
    "draft": "Draf",
    "submitted": "Diajukan",
    "admin_failed": "Tidak memenuhi syarat administratif",
    "admin_passed": "Lolos administratif",
    "interview": "Wawancara",
    "interview_failed": "Tidak lolos wawancara",
    "practical": "Uji kompetensi teknis",
    "practical_failed": "Tidak lolos uji kompetensi teknis",
    "passed": "Lulus semua tahap",
    "selected": "Diterima",
    "not_selected": "Lulus, di luar kuota",
    "appointed": "Diangkat",
    "withdrawn": "Ditarik",
}

# Which status may follow which. A stage never moves backwards (issue 3 "moving a stage backwards").
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"submitted", "withdrawn"}),
    "submitted": frozenset({"admin_passed", "admin_failed", "withdrawn"}),  # 002 §16(3)b
    "admin_passed": frozenset({"interview"}),  # call letter, 002 §16(3)b
    "interview": frozenset({"practical", "interview_failed"}),  # 002 §16(3)c
    "practical": frozenset({"passed", "practical_failed"}),  # 002 §16(3)d
    "passed": frozenset({"selected", "not_selected"}),  # 002 §16(2), §16(4)
    "selected": frozenset({"appointed"}),  # 002 §4(1)
}
FINAL_STATUSES = frozenset(
    {"admin_failed", "interview_failed", "practical_failed", "not_selected", "appointed", "withdrawn"}
)


class TransitionError(ValueError):
    pass


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise TransitionError(
            f"Lamaran berstatus “{STATUS_LABELS.get(current, current)}” tidak dapat dipindahkan ke "
            f"“{STATUS_LABELS.get(target, target)}”."
        )


# --- the administrative check -----------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """One requirement's result, with its reason in Indonesian and its source clause."""

    code: str
    label: str
    passed: bool
    reason: str
    source: str
    gate: bool = True  # False: shown and used for ranking, but never fails the application

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "passed": self.passed,
            "reason": self.reason,
            "source": self.source,
            "gate": self.gate,
        }


@dataclass(frozen=True)
class CategoryRule:
    name: str
    min_years: int
    certificate_required: bool = False
    accepted_certificates: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamFacts:
    """What a programmer-team application says (002 §16(3)a, §18, §19)."""

    non_asn: bool
    home_opd: bool
    experience_years: Decimal | None
    experience_signer: str = ""
    experience_signed_on: dt.date | None = None
    documents: frozenset[str] = field(default_factory=frozenset)
    certificates: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContractFacts:
    """What a contract-worker application says (000 §10)."""

    citizenship_wni: bool | None
    birth_date: dt.date | None
    npwp: str | None
    degree: str
    major: str
    accreditation: str
    gpa: Decimal | None
    ktp_city: str
    not_bound_by_contract: bool | None
    documents: frozenset[str] = field(default_factory=frozenset)


def _years(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def matching_certificate(certificates: Iterable[str], accepted: Iterable[str]) -> str | None:
    """The first certificate naming an accepted one as a whole word, case-insensitive: "Sertifikat
    MTCNA 2024" matches MTCNA; "Sertifikat" does not match "R" although it contains the letter."""
    patterns = [re.compile(rf"(?<![a-z0-9]){re.escape(a.strip().lower())}(?![a-z0-9])") for a in accepted if a.strip()]
    for cert in certificates:
        name = cert.lower()
        if any(p.search(name) for p in patterns):
            return cert
    return None


def _document(kinds: frozenset[str], kind: str, label: str, source: str) -> Requirement:
    present = kind in kinds
    return Requirement(
        kind, label, present, f"{label} dilampirkan." if present else f"{label} belum dilampirkan.", source
    )


def check_team_application(facts: TeamFacts, category: CategoryRule) -> list[Requirement]:
    results = [
        Requirement(
            "non_asn",
            N_("Pegawai Non ASN"),
            facts.non_asn,
            "Pelamar adalah Pegawai Non ASN."
            if facts.non_asn
            else "Pelamar berstatus ASN; seleksi Tim Programmer untuk Pegawai Non ASN.",
            "002 §18a",
        ),
        Requirement(
            "home_opd",
            N_("Pegawai di lingkungan Pemerintah Kota"),
            facts.home_opd,
            "Perangkat Daerah asal disebutkan." if facts.home_opd else "Perangkat Daerah asal belum disebutkan.",
            "002 §16(3)a",
        ),
        _document(facts.documents, "cv", N_("Daftar riwayat hidup"), "002 §16(3)a.1"),
        _document(facts.documents, "admin_docs", N_("Persyaratan administrasi"), "002 §16(3)a.2"),
    ]
    years = facts.experience_years
    if years is None:
        results.append(
            Requirement(
                "experience", N_("Pengalaman kerja TIK"), False, "Lama pengalaman kerja belum diisi.", "002 §18b"
            )
        )
    else:
        enough = years >= category.min_years
        results.append(
            Requirement(
                "experience",
                N_("Pengalaman kerja TIK"),
                enough,
                f"Pengalaman {_years(years)} tahun, minimal {category.min_years} tahun untuk {category.name}.",
                "002 §18b",
            )
        )
    statement_ok = (
        "experience_statement" in facts.documents
        and bool(facts.experience_signer.strip())
        and facts.experience_signed_on is not None
    )
    results.append(
        Requirement(
            "experience_statement",
            N_("Surat pernyataan pengalaman dari pimpinan unit kerja"),
            statement_ok,
            f"Ditandatangani {facts.experience_signer.strip()}."
            if statement_ok
            else "Surat pernyataan pengalaman, penanda tangan, atau tanggalnya belum lengkap.",
            "002 §18b",
        )
    )
    results.append(
        _document(facts.documents, "capability_statement", N_("Surat pernyataan mampu menjalankan tugas"), "002 §18c")
    )
    if category.certificate_required:
        found = matching_certificate(facts.certificates, category.accepted_certificates)
        accepted = " / ".join(category.accepted_certificates)
        results.append(
            Requirement(
                "certificate",
                N_("Sertifikat keahlian"),
                found is not None,
                f"Sertifikat {found} diterima untuk {category.name}."
                if found
                else f"Tidak ada sertifikat yang diterima untuk {category.name} ({accepted}).",
                "002 §19",
            )
        )
    return results


# 000 §10A: age 21–35; §10B: S1 from an accredited institution, listed major, GPA ≥ 2.75.
MIN_AGE, MAX_AGE = 21, 35
MIN_GPA = Decimal("2.75")
BACHELOR_OR_HIGHER = frozenset({"S1", "D4", "S2", "S3"})
NOT_ACCREDITED = frozenset({"", "tidak terakreditasi", "belum terakreditasi"})


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def npwp_digits(npwp: str | None) -> str:
    return "".join(ch for ch in (npwp or "") if ch.isdigit())


def same_city(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        s = s.strip().lower()
        for prefix in ("kota ", "kabupaten ", "kab. "):
            if s.startswith(prefix):
                s = s[len(prefix) :]
        return s

    return bool(a.strip()) and norm(a) == norm(b)


def check_contract_application(
    facts: ContractFacts, *, closing_date: dt.date, accepted_majors: Sequence[str], local_city: str, format_date=None
) -> list[Requirement]:
    fmt = format_date or (lambda d: d.isoformat())
    results = [
        Requirement(
            "wni",
            N_("Warga Negara Indonesia"),
            bool(facts.citizenship_wni),
            "Pelamar WNI." if facts.citizenship_wni else "Pelamar tidak menyatakan diri WNI.",
            "000 §10A",
        )
    ]
    if facts.birth_date is None:
        results.append(Requirement("age", N_("Usia 21–35 tahun"), False, "Tanggal lahir belum diisi.", "000 §10A"))
    else:
        age = age_on(facts.birth_date, closing_date)
        results.append(
            Requirement(
                "age",
                N_("Usia 21–35 tahun"),
                MIN_AGE <= age <= MAX_AGE,
                f"Usia {age} tahun pada {fmt(closing_date)} (penutupan); batas {MIN_AGE}–{MAX_AGE} tahun.",
                "000 §10A",
            )
        )
    digits = npwp_digits(facts.npwp)
    results.append(
        Requirement(
            "npwp",
            N_("Memiliki NPWP"),
            len(digits) in (15, 16),
            "NPWP dicantumkan."
            if len(digits) in (15, 16)
            else ("NPWP belum dicantumkan." if not digits else "NPWP harus 15 atau 16 digit."),
            "000 §10A",
        )
    )
    degree = facts.degree.strip().upper()
    results.append(
        Requirement(
            "degree",
            N_("Minimal Sarjana (S1)"),
            degree in BACHELOR_OR_HIGHER,
            f"Pendidikan {degree or '—'}; minimal S1.",
            "000 §10B",
        )
    )
    accredited = facts.accreditation.strip().lower() not in NOT_ACCREDITED
    results.append(
        Requirement(
            "accreditation",
            N_("Perguruan tinggi terakreditasi"),
            accredited,
            f"Akreditasi {facts.accreditation.strip()}." if accredited else "Perguruan tinggi belum terakreditasi.",
            "000 §10B",
        )
    )
    major_ok = facts.major.strip().lower() in {m.strip().lower() for m in accepted_majors}
    results.append(
        Requirement(
            "major",
            N_("Jurusan yang diterima"),
            major_ok,
            f"Jurusan {facts.major.strip() or '—'} "
            + (
                "termasuk jurusan yang diterima."
                if major_ok
                else "tidak ada dalam daftar; tim seleksi dapat menilai relevansinya."
            ),
            "000 §10B",
        )
    )
    gpa_ok = facts.gpa is not None and facts.gpa >= MIN_GPA
    results.append(
        Requirement(
            "gpa",
            N_("IPK minimal 2,75"),
            gpa_ok,
            "IPK belum diisi." if facts.gpa is None else f"IPK {str(facts.gpa).replace('.', ',')}; minimal 2,75.",
            "000 §10B",
        )
    )
    results.append(
        Requirement(
            "not_bound",
            N_("Tidak terikat kontrak lain"),
            bool(facts.not_bound_by_contract),
            "Menyatakan tidak terikat kontrak lain."
            if facts.not_bound_by_contract
            else "Belum menyatakan tidak terikat kontrak atau pekerjaan lain.",
            "000 §10A (khusus)",
        )
    )
    results.append(_document(facts.documents, "cv", N_("Daftar riwayat hidup"), "000 §10"))
    results.append(_document(facts.documents, "ktp", N_("KTP"), "000 §10A"))
    results.append(_document(facts.documents, "diploma", N_("Ijazah dan transkrip"), "000 §10B"))
    local = same_city(facts.ktp_city, local_city)
    results.append(
        Requirement(
            "local_ktp",
            f"KTP {local_city}",
            local,
            f"KTP {facts.ktp_city.strip() or '—'}" + (" — diutamakan pada nilai yang sama." if local else "."),
            "000 §10A",
            gate=False,
        )
    )
    return results


def all_gates_passed(results: Iterable[Requirement | dict[str, Any]]) -> bool:
    def get(r, key):
        return r[key] if isinstance(r, dict) else getattr(r, key)

    return all(get(r, "passed") for r in results if get(r, "gate"))


# --- completeness before submission -------------------------------------------------------------


def missing_for_team_submission(facts: TeamFacts, has_category: bool) -> list[str]:
    missing = []
    if not has_category:
        missing.append(N_("Pilih kategori yang dilamar."))
    if not facts.home_opd:
        missing.append(N_("Pilih Perangkat Daerah asal."))
    if facts.experience_years is None:
        missing.append(N_("Isi lama pengalaman kerja TIK."))
    if not facts.experience_signer.strip() or facts.experience_signed_on is None:
        missing.append(N_("Isi penanda tangan dan tanggal surat pernyataan pengalaman."))
    for kind, message in (
        ("cv", N_("Unggah daftar riwayat hidup.")),
        ("admin_docs", N_("Unggah persyaratan administrasi.")),
        ("experience_statement", N_("Unggah surat pernyataan pengalaman.")),
        ("capability_statement", N_("Unggah surat pernyataan kemampuan.")),
    ):
        if kind not in facts.documents:
            missing.append(message)
    return missing


def missing_for_contract_submission(facts: ContractFacts) -> list[str]:
    missing = []
    if facts.citizenship_wni is None:
        missing.append(N_("Nyatakan kewarganegaraan."))
    if facts.birth_date is None:
        missing.append(N_("Isi tanggal lahir."))
    if not npwp_digits(facts.npwp):
        missing.append(N_("Isi NPWP."))
    for value, message in (
        (facts.degree, N_("Isi jenjang pendidikan.")),
        (facts.major, N_("Isi jurusan.")),
        (facts.accreditation, N_("Isi akreditasi.")),
    ):
        if not value.strip():
            missing.append(message)
    if facts.gpa is None:
        missing.append(N_("Isi IPK."))
    if not facts.ktp_city.strip():
        missing.append(N_("Isi kota sesuai KTP."))
    if facts.not_bound_by_contract is None:
        missing.append(N_("Nyatakan apakah Anda terikat kontrak lain."))
    for kind, message in (
        ("cv", N_("Unggah daftar riwayat hidup.")),
        ("ktp", N_("Unggah KTP.")),
        ("diploma", N_("Unggah ijazah dan transkrip.")),
    ):
        if kind not in facts.documents:
            missing.append(message)
    return missing


# --- stages, final score, ranking ---------------------------------------------------------------


class ScoreError(ValueError):
    pass


def check_score(value: Any) -> int:
    """A panel score is a whole number from 0 to 100 (issue 3 "a score outside 0–100")."""
    text = str(value if value is not None else "").strip()
    if not text.isdigit():
        raise ScoreError("Nilai harus berupa bilangan bulat 0–100.")
    score = int(text)
    if score > 100:
        raise ScoreError("Nilai harus antara 0 dan 100.")
    return score


@dataclass(frozen=True)
class StageResult:
    mean: Decimal
    passed: bool
    count: int


def stage_result(scores: Sequence[int], pass_mark: int, min_scores: int = 1) -> StageResult:
    """Stage result = mean of the panel's scores against the pass mark (issue 3 §6; 002 §16(2))."""
    if len(scores) < max(min_scores, 1):
        raise ScoreError(f"Baru {len(scores)} penilai memberi nilai; minimal {max(min_scores, 1)} penilai.")
    mean = (Decimal(sum(scores)) / len(scores)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return StageResult(mean, mean >= pass_mark, len(scores))


def final_score(interview: Decimal, practical: Decimal, weight_interview: int, weight_practical: int) -> Decimal:
    if weight_interview + weight_practical != 100 or min(weight_interview, weight_practical) < 0:
        raise ValueError("Bobot wawancara dan uji praktik harus berjumlah 100.")
    total = (interview * weight_interview + practical * weight_practical) / Decimal(100)
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Candidate:
    id: int
    group: Any  # the category (team rounds) or None (contract rounds)
    final_score: Decimal
    local_ktp: bool = False
    submitted_at: dt.datetime | None = None


@dataclass(frozen=True)
class Placement:
    rank: int
    selected: bool


def rank_candidates(candidates: Iterable[Candidate], quotas: dict[Any, int]) -> dict[int, Placement]:
    """Rank per category by final score; on equal scores a local KTP goes first (000 §10A
    "diutamakan"), then the earlier submission. The first `quota` of each category are selected."""
    groups: dict[Any, list[Candidate]] = {}
    for c in candidates:
        groups.setdefault(c.group, []).append(c)
    placements = {}
    for group, members in groups.items():
        members.sort(key=lambda c: (-c.final_score, not c.local_ktp, c.submitted_at or dt.datetime.max, c.id))
        quota = quotas.get(group, 0)
        for position, c in enumerate(members, start=1):
            placements[c.id] = Placement(position, position <= quota)
    return placements


def round_is_open(status: str, open_date: dt.date, close_date: dt.date, today: dt.date) -> bool:
    """Applications may be filed only while the round is open (issue 3 §2)."""
    return status == "open" and open_date <= today <= close_date

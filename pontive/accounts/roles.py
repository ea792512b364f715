"""The roles of DESIGN.md "Users and roles"; pure, so rules and views can share them."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    ADMIN = "admin"
    PEMBINA = "pembina"
    KETUA = "ketua"
    SEKRETARIS = "sekretaris"
    KOORDINATOR = "koordinator"
    ANGGOTA = "anggota"
    PANEL = "panel"
    PELAMAR = "pelamar"
    PPK = "ppk"
    PPTK = "pptk"
    KONTRAK = "kontrak"
    OPERATOR_OPD = "operator_opd"


# Roles whose grant names the one OPD it applies to (DESIGN: "some grants are scoped to one OPD").
OPD_SCOPED = frozenset({Role.KOORDINATOR, Role.OPERATOR_OPD})

ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "Administrator Sistem",
    Role.PEMBINA: "Pembina (Sekretaris Daerah)",
    Role.KETUA: "Ketua Tim (Kepala Diskominfo)",
    Role.SEKRETARIS: "Sekretaris Tim",
    Role.KOORDINATOR: "Koordinator OPD",
    Role.ANGGOTA: "Anggota Tim Programmer",
    Role.PANEL: "Tim Seleksi",
    Role.PELAMAR: "Pelamar",
    Role.PPK: "Pejabat Pembuat Komitmen (PPK)",
    Role.PPTK: "PPTK",
    Role.KONTRAK: "Tenaga Kontrak",
    Role.OPERATOR_OPD: "Operator Aplikasi OPD",
}

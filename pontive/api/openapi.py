"""The OpenAPI 3.1 document of ``/api/v1``, written by hand as a Python dict.

Served as JSON at ``/api/v1/openapi.json`` and rendered as the reference page ``/api/v1/docs``.
Tests hold it to the routes: every rule of the ``api`` blueprint is documented with its methods,
nothing else is, and each operation's ``x-roles`` is the roles its view declares. Enumerations come
from the areas' rules, so a new application status cannot be forgotten here.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from markupsafe import Markup, escape

from pontive import __version__
from pontive.catalogue import rules as catalogue_rules
from pontive.team.models import MembershipStatus

MAX_ID = 2**31 - 1


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/problem+json": {"schema": _ref("Problem")}}}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _path_id(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }


def _enum(values) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
DATE = {"type": "string", "format": "date"}
DECIMAL = {"type": "string", "pattern": r"^[0-9]+\.[0-9]{2}$", "examples": ["2.00"]}

# Responses every token-protected operation can give.
TOKEN_RESPONSES = {
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "429": {"$ref": "#/components/responses/TooManyRequests"},
    "500": {"$ref": "#/components/responses/ServerError"},
}
PAGE_PARAMETERS = [{"$ref": "#/components/parameters/page"}, {"$ref": "#/components/parameters/per_page"}]


def _page_of(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total", "pages"],
        "properties": {
            "items": {"type": "array", "items": _ref(item)},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 0},
        },
    }


PAGED_HEADERS = {
    "Link": {
        "description": "RFC 8288: tautan `first`, `prev`, `next`, `last` dengan filter yang sama.",
        "schema": STRING,
    },
    "X-Total-Count": {"description": "Jumlah seluruh data (sama dengan `total`).", "schema": INTEGER},
}

SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": "Problem details (RFC 9457); `detail` dalam bahasa Indonesia.",
        "required": ["type", "title", "status", "detail", "instance"],
        "properties": {
            "type": {"type": "string", "description": "URI jenis masalah; halaman dokumentasi menjelaskannya."},
            "title": STRING,
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": STRING,
            "instance": {"type": "string", "description": "Path permintaan yang gagal."},
            "errors": {
                "type": "array",
                "description": "Untuk 400 dan 422: parameter atau kolom yang salah.",
                "items": _ref("FieldError"),
            },
        },
    },
    "FieldError": {
        "type": "object",
        "required": ["field", "detail"],
        "properties": {"field": STRING, "detail": STRING},
    },
    "Opd": {
        "type": "object",
        "required": ["id", "name", "short_name"],
        "properties": {"id": INTEGER, "name": STRING, "short_name": STRING},
    },
    "Application": {
        "type": "object",
        "description": "`server_name` dan `ip_address` hanya untuk admin, ketua, sekretaris, pemelihara "
        "aplikasi, dan operator OPD pemiliknya.",
        "required": ["id", "name", "owner_opd_id", "owner_opd", "kind", "status"],
        "properties": {
            "id": INTEGER,
            "name": STRING,
            "description": STRING,
            "owner_opd_id": INTEGER,
            "owner_opd": _ref("Opd"),
            "kind": _enum(catalogue_rules.KINDS),
            "integrated": {"type": "boolean"},
            "status": _enum(catalogue_rules.STATUSES),
            "url": STRING,
            "repo_url": _nullable(STRING),
            "repo_host": STRING,
            "repo_branch": STRING,
            "repo_visibility": _enum(catalogue_rules.VISIBILITY),
            "hosting_location": {"type": "string", "enum": ["", *catalogue_rules.HOSTING]},
            "server_name": STRING,
            "ip_address": STRING,
            "operating_system": STRING,
            "web_server": STRING,
            "runtime": STRING,
            "database": STRING,
            "asset_number": STRING,
            "warranty_until": _nullable(DATE),
            "updated_at": {"type": "string", "format": "date-time"},
        },
    },
    "IntegrationLink": {
        "type": "object",
        "required": ["application", "description"],
        "properties": {
            "application": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": INTEGER, "name": STRING},
            },
            "description": STRING,
        },
    },
    "ApplicationDetail": {
        "allOf": [
            _ref("Application"),
            {
                "type": "object",
                "required": ["integrations", "maintainers"],
                "properties": {
                    "integrations": {
                        "type": "object",
                        "required": ["provides_to", "consumes_from"],
                        "properties": {
                            "provides_to": {"type": "array", "items": _ref("IntegrationLink")},
                            "consumes_from": {"type": "array", "items": _ref("IntegrationLink")},
                        },
                    },
                    "maintainers": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "name"],
                            "properties": {"id": INTEGER, "name": STRING},
                        },
                    },
                },
            },
        ]
    },
    "ApplicationPage": _page_of("Application"),
    "Member": {
        "type": "object",
        "required": ["id", "member", "category", "placement_opd", "term", "decree_number", "status"],
        "properties": {
            "id": {"type": "integer", "description": "Nomor keanggotaan (satu masa tugas)."},
            "member": {"type": "object", "required": ["id", "name"], "properties": {"id": INTEGER, "name": STRING}},
            "category": _nullable(
                {"type": "object", "required": ["id", "name"], "properties": {"id": INTEGER, "name": STRING}}
            ),
            "placement_opd": _nullable(_ref("Opd")),
            "term": {"type": "object", "required": ["start", "end"], "properties": {"start": DATE, "end": DATE}},
            "decree_number": STRING,
            "status": _enum(s.value for s in MembershipStatus),
        },
    },
    "MemberPage": _page_of("Member"),
    "ActionPlan": {
        "type": "object",
        "required": [
            "id",
            "rhk",
            "year",
            "month",
            "description",
            "target",
            "unit",
            "realisation",
            "evidence_count",
            "report_status",
            "locked",
        ],
        "properties": {
            "id": INTEGER,
            "rhk": {
                "type": "object",
                "description": "Rencana hasil kerja (RHK) tempat rencana aksi ini berada.",
                "required": ["id", "title"],
                "properties": {"id": INTEGER, "title": STRING},
            },
            "year": INTEGER,
            "month": {"type": "integer", "minimum": 1, "maximum": 12},
            "description": STRING,
            "target": DECIMAL,
            "unit": STRING,
            "realisation": _nullable(
                {
                    "type": "object",
                    "required": ["value", "note"],
                    "properties": {"value": _nullable(DECIMAL), "note": STRING},
                }
            ),
            "evidence_count": {"type": "integer", "minimum": 0},
            "report_status": _nullable(_enum(["draft", "submitted", "returned", "validated"])),
            "locked": {"type": "boolean", "description": "Bulan sudah diajukan atau divalidasi: tidak dapat diubah."},
        },
    },
    "ActionPlanList": {
        "type": "object",
        "required": ["year", "month", "items"],
        "properties": {
            "year": INTEGER,
            "month": _nullable({"type": "integer", "minimum": 1, "maximum": 12}),
            "items": {"type": "array", "items": _ref("ActionPlan")},
        },
    },
    "RealisationInput": {
        "type": "object",
        "required": ["value"],
        "properties": {
            "value": {
                "description": 'Realisasi: angka tidak negatif, boleh dengan koma desimal ("2,5").',
                "anyOf": [{"type": "string", "examples": ["2", "2,5"]}, {"type": "number", "minimum": 0}],
            },
            "note": {"type": "string", "maxLength": 2000},
        },
    },
    "RealisationForm": {
        "type": "object",
        "required": ["value"],
        "properties": {
            "value": {"type": "string", "examples": ["2"]},
            "note": {"type": "string", "maxLength": 2000},
            "evidence": {
                "type": "string",
                "contentMediaType": "application/octet-stream",
                "description": "Bukti dukung: PDF, JPEG, atau PNG, dalam batas unggah Pontive (bawaan 5 MB).",
            },
        },
    },
    "Me": {
        "type": "object",
        "required": ["id", "username", "name", "roles"],
        "properties": {
            "id": INTEGER,
            "username": STRING,
            "name": STRING,
            "roles": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["role", "label", "opd"],
                    "properties": {"role": STRING, "label": STRING, "opd": _nullable(_ref("Opd"))},
                },
            },
        },
    },
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Pontive API",
        "version": "1.0.0",
        "summary": "Katalog aplikasi, anggota tim, dan rencana aksi dengan realisasinya.",
        "description": (
            "API JSON Pontive untuk sistem lain milik pemerintah kota (misalnya integrasi e-Kinerja). "
            "Setiap permintaan (kecuali dokumen ini dan halaman referensinya) memakai token pribadi: "
            "buat di halaman **Akun saya → Token API**, lalu kirim `Authorization: Bearer pnt_…`. "
            "Token mewarisi hak pemiliknya; cookie sesi peramban tidak berlaku. Kesalahan dijawab sebagai "
            "problem details (RFC 9457). Daftar dibagi per halaman (`page`, `per_page` paling banyak 100)."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "tags": [
        {"name": "dokumentasi", "description": "Dokumen ini dan halaman referensinya."},
        {"name": "akun", "description": "Pemilik token."},
        {"name": "katalog", "description": "Katalog aplikasi kota."},
        {"name": "tim", "description": "Anggota Tim Programmer."},
        {"name": "kinerja", "description": 'Rencana aksi dan realisasi (004 "API rencana aksi").'},
    ],
    "paths": {
        "/openapi.json": {
            "get": {
                "operationId": "openapi_document",
                "tags": ["dokumentasi"],
                "summary": "Dokumen OpenAPI ini",
                "security": [],
                "x-roles": None,
                "responses": {"200": _json("Dokumen OpenAPI 3.1.", {"type": "object"})},
            }
        },
        "/docs": {
            "get": {
                "operationId": "docs",
                "tags": ["dokumentasi"],
                "summary": "Halaman referensi API (HTML)",
                "security": [],
                "x-roles": None,
                "responses": {
                    "200": {"description": "Halaman HTML.", "content": {"text/html": {"schema": STRING}}},
                },
            }
        },
        "/me": {
            "get": {
                "operationId": "me",
                "tags": ["akun"],
                "summary": "Pemilik token",
                "description": "Nama pengguna, nama, dan peran pemilik token.",
                "x-roles": [],
                "responses": {"200": _json("Pemilik token.", _ref("Me")), **TOKEN_RESPONSES},
            }
        },
        "/applications": {
            "get": {
                "operationId": "applications",
                "tags": ["katalog"],
                "summary": "Daftar aplikasi kota",
                "description": "Semua token boleh membaca. Alamat IP dan nama server hanya tampil bagi peran "
                "yang memerlukannya.",
                "x-roles": [],
                "parameters": [
                    _query("q", "Cari pada nama dan deskripsi.", {"type": "string", "maxLength": 100}),
                    _query("opd", "Nomor OPD pemilik.", {"type": "integer", "minimum": 1, "maximum": MAX_ID}),
                    _query("kind", "Jenis aplikasi.", _enum(catalogue_rules.KINDS)),
                    _query("status", "Status aplikasi.", _enum(catalogue_rules.STATUSES)),
                    _query("hosting", "Lokasi hosting.", _enum(catalogue_rules.HOSTING)),
                    _query(
                        "warranty_ending",
                        f"Hanya garansi yang berakhir dalam {catalogue_rules.WARRANTY_NOTICE_DAYS} hari.",
                        {"type": "boolean"},
                    ),
                    _query(
                        "sort",
                        "Urutan; awali dengan `-` untuk urutan menurun.",
                        {
                            **_enum(
                                [
                                    "name",
                                    "-name",
                                    "status",
                                    "-status",
                                    "warranty_until",
                                    "-warranty_until",
                                    "updated_at",
                                    "-updated_at",
                                ]
                            ),
                            "default": "name",
                        },
                    ),
                    *PAGE_PARAMETERS,
                ],
                "responses": {
                    "200": {**_json("Satu halaman aplikasi.", _ref("ApplicationPage")), "headers": PAGED_HEADERS},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    **TOKEN_RESPONSES,
                },
            }
        },
        "/applications/{app_id}": {
            "get": {
                "operationId": "application",
                "tags": ["katalog"],
                "summary": "Rincian satu aplikasi",
                "description": "Dengan integrasinya (memberi data kepada / mengambil data dari) dan pemeliharanya.",
                "x-roles": [],
                "parameters": [_path_id("app_id", "Nomor aplikasi.")],
                "responses": {
                    "200": _json("Rincian aplikasi.", _ref("ApplicationDetail")),
                    "404": {"$ref": "#/components/responses/NotFound"},
                    **TOKEN_RESPONSES,
                },
            }
        },
        "/members": {
            "get": {
                "operationId": "members",
                "tags": ["tim"],
                "summary": "Anggota Tim Programmer",
                "description": "Untuk ketua, sekretaris, pembina, dan admin; koordinator hanya melihat anggota "
                "di OPD yang dikoordinasikannya. Tanpa `status`: anggota yang sedang bertugas.",
                "x-roles": ["admin", "ketua", "koordinator", "pembina", "sekretaris"],
                "parameters": [
                    _query("opd", "Nomor OPD penempatan.", {"type": "integer", "minimum": 1, "maximum": MAX_ID}),
                    _query("status", "Status keanggotaan.", _enum(s.value for s in MembershipStatus)),
                    _query("q", "Cari pada nama anggota.", {"type": "string", "maxLength": 100}),
                    *PAGE_PARAMETERS,
                ],
                "responses": {
                    "200": {**_json("Satu halaman anggota.", _ref("MemberPage")), "headers": PAGED_HEADERS},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "403": {"$ref": "#/components/responses/Forbidden"},
                    **TOKEN_RESPONSES,
                },
            }
        },
        "/me/action-plans": {
            "get": {
                "operationId": "my_action_plans",
                "tags": ["kinerja"],
                "summary": "Rencana aksi pemilik token",
                "description": "Untuk anggota: rencana aksi satu tahun (atau satu bulan) dengan target, "
                "realisasi, jumlah bukti dukung, status laporan bulanan, dan kunci bulan.",
                "x-roles": ["anggota"],
                "parameters": [
                    _query(
                        "year",
                        "Tahun; bawaan: tahun ini.",
                        {"type": "integer", "minimum": 2000, "maximum": 2100, "examples": [2026]},
                    ),
                    _query(
                        "month", "Bulan 1–12; tanpa bulan: setahun.", {"type": "integer", "minimum": 1, "maximum": 12}
                    ),
                ],
                "responses": {
                    "200": _json("Rencana aksi.", _ref("ActionPlanList")),
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "403": {"$ref": "#/components/responses/Forbidden"},
                    **TOKEN_RESPONSES,
                },
            }
        },
        "/action-plans/{action_plan_id}/realisation": {
            "post": {
                "operationId": "submit_realisation",
                "tags": ["kinerja"],
                "summary": "Kirim realisasi satu rencana aksi",
                "description": "Menyimpan realisasi (dan catatan) di laporan bulan rencana aksi itu; dengan "
                "multipart, berkas `evidence` ditambahkan sebagai bukti dukung. Bulan yang sudah diajukan "
                "atau divalidasi terkunci (409). Rencana aksi orang lain tidak ditemukan (404).",
                "x-roles": ["anggota"],
                "parameters": [_path_id("action_plan_id", "Nomor rencana aksi.")],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": _ref("RealisationInput")},
                        "multipart/form-data": {"schema": _ref("RealisationForm")},
                    },
                },
                "responses": {
                    "200": _json("Rencana aksi dengan realisasi yang tersimpan.", _ref("ActionPlan")),
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "403": {"$ref": "#/components/responses/Forbidden"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "409": _problem("Bulan ini sudah diajukan atau divalidasi dan terkunci."),
                    "413": _problem("Berkas bukti dukung atau permintaan terlalu besar."),
                    "415": _problem("Jenis konten bukan JSON atau multipart."),
                    "422": _problem("Realisasi bukan angka, catatan terlalu panjang, atau berkas ditolak."),
                    **TOKEN_RESPONSES,
                },
            }
        },
    },
    "components": {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "pnt_…",
                "description": "Token pribadi dari halaman Akun saya → Token API. Ditampilkan sekali saat dibuat.",
            }
        },
        "parameters": {
            "page": {
                "name": "page",
                "in": "query",
                "required": False,
                "description": "Nomor halaman, mulai dari 1.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID, "default": 1},
            },
            "per_page": {
                "name": "per_page",
                "in": "query",
                "required": False,
                "description": "Data per halaman; nilai di atas 100 dibatasi menjadi 100.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID, "default": 25},
            },
        },
        "responses": {
            "BadRequest": _problem("Parameter atau isi permintaan tidak valid (lihat `errors`)."),
            "Unauthorized": {
                **_problem("Token tidak ada, salah bentuk, dicabut, atau milik akun nonaktif."),
                "headers": {"WWW-Authenticate": {"description": "Tantangan `Bearer` (RFC 6750).", "schema": STRING}},
            },
            "Forbidden": _problem("Peran pemilik token tidak mencakup data ini."),
            "NotFound": _problem("Data tidak ditemukan."),
            "TooManyRequests": {
                **_problem("Batas permintaan per token terlampaui."),
                "headers": {"Retry-After": {"description": "Detik sebelum mencoba lagi.", "schema": INTEGER}},
            },
            "ServerError": _problem("Kesalahan server."),
        },
        "schemas": SCHEMAS,
    },
}
DOCUMENT["info"]["x-pontive-version"] = __version__


def document() -> dict[str, Any]:
    """A fresh copy, so no caller can change the served document."""
    return copy.deepcopy(DOCUMENT)


METHODS = ("get", "put", "post", "delete", "patch")


def operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The operations in document order, flattened for the reference page."""
    result = []
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                result.append({"path": path, "method": method.upper(), **item[method]})
    return result


def resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` (one level is all this document uses)."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    if not ref:
        return node
    target: Any = doc
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target


def ref_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref") if isinstance(node, dict) else None
    return ref.rsplit("/", 1)[-1] if ref else None


def type_label(schema: dict[str, Any]) -> str:
    """A short human label for a schema: "string (date)", "Opd", "array of ActionPlan", "integer | null"."""
    if not isinstance(schema, dict):
        return ""
    name = ref_name(schema)
    if name:
        return name
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(type_label(s) for s in schema[key])
    if "allOf" in schema:
        return " + ".join(type_label(s) for s in schema["allOf"])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"array of {type_label(schema.get('items', {}))}"
    label = kind
    if "format" in schema:
        label += f" ({schema['format']})"
    if "enum" in schema:
        label += ": " + ", ".join(str(v) if v != "" else "“”" for v in schema["enum"])
    return label


_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def inline_markup(text: str | None) -> Markup:
    """The two bits of Markdown the descriptions use, `code` and **bold**, as HTML (escaped first)."""
    html = str(escape(text or ""))
    html = _CODE.sub(r"<code>\1</code>", html)
    return Markup(_BOLD.sub(r"<strong>\1</strong>", html))  # noqa: S704 - built from escaped text

"""Every URL pattern × every persona: the status each one gets.

``ROUTES`` has one row per named pattern of the URLconf (pages and the /api/v1/ router alike):
how to build its kwargs from the module's world (tests/security/conftest.py) and, per method,
the status of each persona in the column order below. A pattern without a row fails
``test_every_url_pattern_has_a_row``: a new page or endpoint needs its row before it lands.

The rules the rows follow (DESIGN.md "Who may see and do what"):
- anonymous: a page redirects to the login (302), the API answers 401;
- a record outside the persona's scope: 404, in pages and API alike;
- the API: a record in scope that the persona may not change, or a step of another role: 403;
  a step the role may take but not from the record's state: 409;
- pages refuse a step with a message and a redirect (302), and re-show an invalid form (200);
- a POST-only page answers GET with 405 once signed in.

Target records belong to ``org.staf`` (the bawahan): the kabid (atasan) sees them as their
subordinate's, the kadinkes (atasan_lain) and pemda B (staf_bkpsdm_b, pegawai_b) do not.

Left out on purpose, each tested elsewhere in this file:
- ``admin/``: Django's admin (``test_the_admin_is_for_superusers_only``);
- the router's format-suffix variants (``/api/v1/pegawai/<nip>.json``): the same views as the
  rows without suffix (``test_format_suffix_variants_follow_the_same_scope``);
- static files: not in the URLconf (WhiteNoise serves them, DEBUG is off).
"""

import json
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.penilaian.models import BerAKHLAK
from tests.factories import golongan

from .conftest import PERSONAS

# Column order of every expectation string:
#   anonymous  staf_bkpsdm  staf_bkpsdm_b  atasan  bawahan  atasan_lain  pegawai_b  superuser


def codes(spec):
    """``{persona: status}``; a ``-`` column is not requested (see the row's comment for why)."""
    values = spec.split()
    assert len(values) == len(PERSONAS), spec
    return {persona: int(value) for persona, value in zip(PERSONAS, values, strict=True) if value != "-"}


@dataclass(frozen=True)
class Check:
    method: str
    expect: str
    data: object = None  # dict, or a function of the world returning one
    query: object = None  # idem, sent as the query string
    api: bool = False
    fresh_client: bool = False  # the request ends the session (logout)


@dataclass(frozen=True)
class Row:
    kwargs: object = None  # function of the world returning the URL kwargs
    checks: tuple = field(default_factory=tuple)


def row(kwargs, *checks):
    return Row(kwargs, checks)


def GET(spec, query=None):
    return Check("get", spec, query=query)


def POST(spec, data=None, **kwargs):
    return Check("post", spec, data=data, **kwargs)


def API(method, spec, data=None, query=None):
    return Check(method, spec, data=data, query=query, api=True)


# ---------------------------------------------------------------------------------------------
# Common expectations


PAGE_ALL = "302 200 200 200 200 200 200 200"
PAGE_STAFF = "302 200 200 404 404 404 404 200"  # BKPSDM staff of any pemda and the superuser
PAGE_STAF_SEES = "302 200 404 200 200 404 404 200"  # a record of org.staf: self, atasan, own BKPSDM
PAGE_STAF_MANAGED = "302 200 404 404 404 404 404 200"  # changed by own BKPSDM only
PAGE_PEMDA_A = "302 200 404 200 200 200 404 200"  # not personal: every pegawai of pemda A
PAGE_POST_ONLY = "302 405 405 405 405 405 405 405"
REDIRECT_ALL = "302 302 302 302 302 302 302 302"

API_ALL = "401 200 200 200 200 200 200 200"
API_STAF_SEES = "401 200 404 200 200 404 404 200"
API_PEMDA_A = "401 200 404 200 200 200 404 200"
API_405 = "401 405 405 405 405 405 405 405"  # a method the endpoint does not have
API_STAFF = "401 200 200 403 403 403 403 200"  # reports over the pegawai BKPSDM staff manage
API_CREATE_STAFF = "401 400 400 403 403 403 403 400"  # empty body: staff get the field errors
API_WRITE_STAF = "401 400 404 403 403 404 404 400"  # empty body on a record of org.staf
API_WRITE_PEMDA_A = "401 400 404 403 403 403 404 400"  # empty body on master data of pemda A


PELATIHAN_STAFF = "302 200 200 403 403 403 403 200"  # pelatihan, imports: staff pages refuse others with 403
IMPORT_JOB = "302 200 404 403 403 403 403 200"  # an import of staf_bkpsdm
PELATIHAN_MANAGED = "302 200 404 403 403 403 404 200"  # pemda A's catalogue: seen by its pegawai
PELATIHAN_STAF_MANAGED = "302 200 404 403 403 404 404 200"  # org.staf's record: seen by the atasan


def riwayat_version(attr, **extra):
    return lambda w: {"version": getattr(w, attr).version, **extra}


def nip(w):
    return {"nip": w.org.staf.nip}


def pk(attr):
    def kwargs(w):
        obj = w
        for part in attr.split("."):
            obj = getattr(obj, part)
        return {"pk": obj.pk}

    return kwargs


def skp_version(w, **extra):
    return {"version": w.skp.version, **extra}


def sert_version(w, **extra):
    return {"version": w.sertifikasi.version, **extra}


def ratings(w, **extra):
    return skp_version(
        w, rating_perilaku=2, rating_berakhlak=dict.fromkeys(BerAKHLAK.values, 2), umpan_balik="Baik.", **extra
    )


ROUTES = {
    # Core and accounts ---------------------------------------------------------------------
    "home": row(None, GET(PAGE_ALL)),
    "health": row(None, GET("200 200 200 200 200 200 200 200")),
    "akun:login": row(None, GET("200 302 302 302 302 302 302 302")),
    "akun:logout": row(
        None,
        GET("405 405 405 405 405 405 405 405"),
        POST(REDIRECT_ALL, fresh_client=True),
    ),
    "akun:token_list": row(None, GET(PAGE_STAFF)),
    "akun:token_create": row(None, GET(PAGE_STAFF), POST(PAGE_STAFF, {})),
    # The token of staf_bkpsdm: pemda B's staff may not touch it.
    "akun:token_revoke": row(pk("token"), GET(PAGE_STAF_MANAGED), POST("302 302 404 404 404 404 404 302")),
    # Pegawai pages -------------------------------------------------------------------------
    "pegawai:list": row(None, GET(PAGE_ALL)),
    "pegawai:create": row(None, GET(PAGE_STAFF), POST(PAGE_STAFF, {})),
    "pegawai:unit_list": row(None, GET(PAGE_ALL)),
    "pegawai:jabatan_list": row(None, GET(PAGE_ALL)),
    "pegawai:jabatan_detail": row(pk("org.j_staf"), GET(PAGE_PEMDA_A)),
    "pegawai:detail": row(nip, GET(PAGE_STAF_SEES)),
    "pegawai:edit": row(nip, GET(PAGE_STAF_MANAGED), POST(PAGE_STAF_MANAGED, {})),
    "pegawai:audit": row(nip, GET(PAGE_STAF_SEES)),
    "pegawai:riwayat_jabatan_add": row(nip, GET(PAGE_STAF_MANAGED), POST(PAGE_STAF_MANAGED, {})),
    "pegawai:riwayat_pangkat_add": row(nip, GET(PAGE_STAF_MANAGED), POST(PAGE_STAF_MANAGED, {})),
    "pegawai:riwayat_pendidikan_add": row(nip, GET(PAGE_STAF_MANAGED), POST(PAGE_STAF_MANAGED, {})),
    "pegawai:riwayat_penghargaan_add": row(nip, GET(PAGE_STAF_MANAGED), POST(PAGE_STAF_MANAGED, {})),
    "pegawai:riwayat_hukuman_disiplin_add": row(nip, GET(PAGE_STAF_MANAGED), POST(PAGE_STAF_MANAGED, {})),
    "pegawai:riwayat_delete": row(
        lambda w: {"nip": w.org.staf.nip, "jenis": "pendidikan", "pk": w.pendidikan.pk},
        GET(PAGE_STAF_MANAGED),
        POST("302 302 404 404 404 404 404 302"),
    ),
    # Standar kinerja pages -------------------------------------------------------------------
    "standar_kinerja:index": row(None, GET(PAGE_ALL)),
    "standar_kinerja:kompetensi_list": row(None, GET(PAGE_ALL)),
    "standar_kinerja:kompetensi_create": row(None, GET(PAGE_STAFF), POST(PAGE_STAFF, {})),
    "standar_kinerja:detail": row(pk("org.j_staf"), GET(PAGE_PEMDA_A)),
    "standar_kinerja:indikator_edit": row(pk("org.j_staf"), GET(PAGE_STAF_MANAGED), POST(PAGE_STAF_MANAGED, {})),
    "standar_kinerja:kompetensi_edit": row(pk("org.j_staf"), GET(PAGE_STAF_MANAGED), POST(PAGE_STAF_MANAGED, {})),
    "standar_kinerja:salin": row(pk("org.j_staf"), GET(PAGE_STAF_MANAGED), POST(PAGE_STAF_MANAGED, {})),
    # Penilaian pages: lists and periods ------------------------------------------------------
    "penilaian:index": row(None, GET(REDIRECT_ALL)),
    "penilaian:saya": row(None, GET(PAGE_ALL)),
    # Accounts without a pegawai (pemda B's staff, the superuser) have no SKP to start.
    "penilaian:mulai": row(None, GET(PAGE_POST_ONLY), POST("302 302 404 302 302 302 302 404", {})),
    "penilaian:bawahan": row(None, GET(PAGE_ALL)),
    "penilaian:daftar": row(None, GET(PAGE_STAFF)),
    "penilaian:distribusi": row(None, GET(PAGE_STAFF)),
    "penilaian:periode_list": row(None, GET(PAGE_STAFF), POST(PAGE_STAFF, {})),
    "penilaian:periode_detail": row(pk("periode"), GET(PAGE_STAF_MANAGED)),
    "penilaian:periode_status": row(
        pk("periode"), GET(PAGE_POST_ONLY), POST("302 302 404 404 404 404 404 302", {"status": "ditutup"})
    ),
    "penilaian:periode_capaian": row(pk("periode"), GET(PAGE_POST_ONLY), POST("302 302 404 404 404 404 404 302", {})),
    "penilaian:periode_generate": row(pk("periode"), GET(PAGE_POST_ONLY), POST(PAGE_STAF_MANAGED, {})),
    # Penilaian pages: one SKP (of org.staf, penilai: the kabid) ------------------------------
    "penilaian:detail": row(pk("skp"), GET(PAGE_STAF_SEES)),
    "penilaian:dokumen": row(pk("skp"), GET(PAGE_STAF_SEES)),
    # A step refused by role is a message and a redirect, like one taken.
    "penilaian:langkah": row(
        lambda w: {"pk": w.skp.pk, "step": "ajukan"},
        GET(PAGE_POST_ONLY),
        POST("302 302 404 302 302 404 404 302", skp_version),
    ),
    "penilaian:rencana_add": row(pk("skp"), GET(PAGE_POST_ONLY), POST(PAGE_STAF_SEES, {})),
    "penilaian:rencana_edit": row(
        lambda w: {"pk": w.skp.pk, "rencana_pk": w.rencana.pk}, GET(PAGE_POST_ONLY), POST(PAGE_STAF_SEES, {})
    ),
    "penilaian:rencana_delete": row(
        lambda w: {"pk": w.skp.pk, "rencana_pk": w.rencana.pk}, GET(PAGE_POST_ONLY), POST(PAGE_STAF_SEES, {})
    ),
    "penilaian:ekspektasi": row(pk("skp"), GET(PAGE_POST_ONLY), POST(PAGE_STAF_SEES, {})),
    "penilaian:penilai": row(pk("skp"), GET(PAGE_POST_ONLY), POST(PAGE_STAF_SEES, {})),
    "penilaian:realisasi": row(
        lambda w: {"pk": w.skp.pk, "rencana_pk": w.rencana.pk, "periode_ke": 1},
        GET(PAGE_POST_ONLY),
        POST(PAGE_STAF_SEES, {}),
    ),
    "penilaian:umpan_balik": row(
        lambda w: {"pk": w.skp.pk, "rencana_pk": w.rencana.pk, "periode_ke": 1},
        GET(PAGE_POST_ONLY),
        POST(PAGE_STAF_SEES, {}),
    ),
    "penilaian:evaluasi": row(
        lambda w: {"pk": w.skp.pk, "periode_ke": 1}, GET(PAGE_POST_ONLY), POST(PAGE_STAF_SEES, {})
    ),
    "penilaian:bukti": row(lambda w: {"pk": w.skp.pk, "realisasi_pk": w.realisasi.pk}, GET(PAGE_STAF_SEES)),
    # Sertifikasi pages: a certificate org.staf submitted (not verified yet) -------------------
    "sertifikasi:index": row(None, GET(REDIRECT_ALL)),
    "sertifikasi:saya": row(None, GET(PAGE_ALL)),
    "sertifikasi:create": row(None, GET(PAGE_ALL), POST(PAGE_ALL, {})),
    "sertifikasi:daftar": row(None, GET(PAGE_STAFF)),
    "sertifikasi:antrean": row(None, GET(PAGE_STAFF)),
    "sertifikasi:per_unit": row(None, GET(PAGE_STAFF)),
    "sertifikasi:detail": row(pk("sertifikasi"), GET(PAGE_STAF_SEES)),
    # The atasan sees it but may not change it: a message and back to the certificate.
    "sertifikasi:edit": row(
        pk("sertifikasi"), GET("302 200 404 302 200 404 404 200"), POST("302 200 404 302 200 404 404 200", {})
    ),
    "sertifikasi:delete": row(
        pk("sertifikasi"), GET("302 200 404 302 200 404 404 200"), POST("302 302 404 302 302 404 404 302", {})
    ),
    "sertifikasi:bukti": row(pk("sertifikasi"), GET(PAGE_STAF_SEES)),
    "sertifikasi:verifikasi": row(
        pk("sertifikasi"), GET(PAGE_POST_ONLY), POST("302 302 404 302 302 404 404 302", sert_version)
    ),
    "sertifikasi:tolak": row(
        pk("sertifikasi"),
        GET(PAGE_POST_ONLY),
        POST("302 302 404 302 302 404 404 302", lambda w: sert_version(w, alasan="Berkas tidak terbaca.")),
    ),
    # API: root, schema and docs --------------------------------------------------------------
    "api-root": row(None, GET(API_ALL)),
    # The same document for everyone, and each request builds it anew (seconds): three personas.
    "api-schema": row(None, GET("200 200 - - - - - 200")),
    "api-docs": row(None, GET("200 200 200 200 200 200 200 200")),
    "api-redoc": row(None, GET("200 200 200 200 200 200 200 200")),
    # API: pegawai and the organisation -------------------------------------------------------
    "pegawai-list": row(None, GET(API_ALL), API("post", API_CREATE_STAFF, {})),
    "pegawai-detail": row(
        nip,
        GET(API_STAF_SEES),
        API("patch", API_WRITE_STAF, {}),
        API("put", API_WRITE_STAF, {}),
        API("delete", API_405),
    ),
    "unit-kerja-list": row(None, GET(API_ALL), API("post", API_CREATE_STAFF, {})),
    "unit-kerja-detail": row(pk("org.bidang"), GET(API_PEMDA_A), API("patch", API_405, {})),
    "jabatan-list": row(None, GET(API_ALL), API("post", API_CREATE_STAFF, {})),
    # An empty PATCH changes nothing: 200 for who may change the jabatan.
    "jabatan-detail": row(pk("org.j_staf"), GET(API_PEMDA_A), API("patch", "401 200 404 403 403 403 404 200", {})),
    "golongan-list": row(None, GET(API_ALL), API("post", API_405, {})),
    "golongan-detail": row(lambda w: {"pk": golongan("III/a").pk}, GET(API_ALL)),
    "riwayat-jabatan-list": row(None, GET(API_ALL), API("post", API_CREATE_STAFF, {})),
    # The only definitif jabatan of a pegawai cannot be deleted (400), nor by the superuser.
    "riwayat-jabatan-detail": row(
        pk("riwayat_jabatan"), GET(API_STAF_SEES), API("delete", "401 400 404 403 403 404 404 400")
    ),
    "riwayat-pangkat-list": row(None, GET(API_ALL), API("post", API_CREATE_STAFF, {})),
    "riwayat-pangkat-detail": row(
        pk("riwayat_pangkat"), GET(API_STAF_SEES), API("delete", "401 204 404 403 403 404 404 204")
    ),
    "riwayat-pendidikan-list": row(None, GET(API_ALL), API("post", API_CREATE_STAFF, {})),
    "riwayat-pendidikan-detail": row(
        pk("pendidikan"), GET(API_STAF_SEES), API("delete", "401 204 404 403 403 404 404 204")
    ),
    "riwayat-penghargaan-list": row(None, GET(API_ALL), API("post", API_CREATE_STAFF, {})),
    "riwayat-penghargaan-detail": row(
        pk("penghargaan"), GET(API_STAF_SEES), API("delete", "401 204 404 403 403 404 404 204")
    ),
    # A disciplinary penalty is personal data: not for the atasan (404), like NIK and address.
    "riwayat-hukuman-disiplin-list": row(None, GET(API_ALL), API("post", API_CREATE_STAFF, {})),
    "riwayat-hukuman-disiplin-detail": row(
        pk("hukuman"), GET("401 200 404 404 200 404 404 200"), API("delete", "401 204 404 404 403 404 404 204")
    ),
    # API: standards --------------------------------------------------------------------------
    "standar-kinerja-list": row(None, GET(API_ALL)),
    "standar-kinerja-detail": row(
        lambda w: {"jabatan_id": w.org.j_staf.pk}, GET(API_PEMDA_A), API("put", API_WRITE_PEMDA_A, {})
    ),
    "standar-kinerja-salin": row(
        lambda w: {"jabatan_id": w.org.j_staf.pk}, GET(API_405), API("post", API_WRITE_PEMDA_A, {})
    ),
    "kompetensi-list": row(None, GET(API_ALL), API("post", API_CREATE_STAFF, {})),
    "kompetensi-detail": row(lambda w: {"pk": 1}, GET(API_ALL)),
    # API: periods ----------------------------------------------------------------------------
    "periode-penilaian-list": row(None, GET(API_ALL), API("post", API_CREATE_STAFF, {})),
    "periode-penilaian-detail": row(pk("periode"), GET(API_PEMDA_A)),
    "periode-penilaian-buka": row(pk("periode"), GET(API_405), API("post", "401 200 404 403 403 403 404 200")),
    "periode-penilaian-tutup": row(pk("periode"), GET(API_405), API("post", "401 200 404 403 403 403 404 200")),
    "periode-penilaian-capaian": row(pk("periode"), GET(API_405), API("post", API_WRITE_PEMDA_A, {})),
    "periode-penilaian-distribusi": row(pk("periode"), GET(API_PEMDA_A)),
    # API: the SKP of org.staf in state draf. Role first (403), then state (409). -------------
    "penilaian-list": row(None, GET(API_ALL), API("post", "401 400 400 400 400 400 400 400", {})),
    "penilaian-detail": row(pk("skp"), GET(API_STAF_SEES)),
    "penilaian-ajukan": row(pk("skp"), GET(API_405), API("post", "401 403 404 403 200 404 404 403", skp_version)),
    "penilaian-kembalikan": row(
        pk("skp"),
        GET(API_405),
        API("post", "401 403 404 409 403 404 404 403", lambda w: skp_version(w, catatan="Perbaiki target.")),
    ),
    "penilaian-setujui": row(pk("skp"), GET(API_405), API("post", "401 403 404 409 403 404 404 403", skp_version)),
    "penilaian-penilai": row(
        pk("skp"),
        GET(API_405),
        API("post", "401 200 404 403 403 404 404 200", lambda w: skp_version(w, nip=w.org.kabid.nip)),
    ),
    "penilaian-rencana": row(
        pk("skp"),
        GET(API_405),
        API(
            "post",
            "401 403 404 403 200 404 404 403",
            lambda w: skp_version(
                w,
                jenis="utama",
                uraian="Terlaksananya pendataan sekolah swasta",
                aspek="kuantitas",
                indikator="Jumlah sekolah swasta terdata",
                target=12,
                satuan="sekolah",
                urutan=3,
            ),
        ),
    ),
    "penilaian-rencana-item": row(
        lambda w: {"pk": w.skp.pk, "rencana_id": w.rencana.pk},
        GET(API_405),
        API("patch", "401 403 404 403 200 404 404 403", lambda w: skp_version(w, satuan="persen")),
        API("delete", "401 403 404 403 200 404 404 403", query=skp_version),
    ),
    "penilaian-ekspektasi": row(
        pk("skp"),
        GET(API_405),
        API("post", "401 403 404 200 403 404 404 403", lambda w: skp_version(w, konsekuensi="Teguran.")),
    ),
    "penilaian-realisasi": row(
        pk("skp"),
        GET(API_405),
        API(
            "post",
            "401 403 404 403 409 404 404 403",
            lambda w: skp_version(w, rencana=w.rencana.pk, periode_ke=2, realisasi="Selesai."),
        ),
    ),
    "penilaian-umpan-balik": row(
        pk("skp"),
        GET(API_405),
        API(
            "post",
            "401 403 404 409 403 404 404 403",
            lambda w: skp_version(w, rencana=w.rencana.pk, periode_ke=1, umpan_balik="Lanjutkan."),
        ),
    ),
    "penilaian-evaluasi-periodik": row(
        pk("skp"),
        GET(API_405),
        API("post", "401 403 404 409 403 404 404 403", lambda w: ratings(w, periode_ke=1, rating_hasil_kerja=2)),
    ),
    "penilaian-nilai": row(pk("skp"), GET(API_405), API("post", "401 403 404 409 403 404 404 403", ratings)),
    "penilaian-terima": row(pk("skp"), GET(API_405), API("post", "401 403 404 403 409 404 404 403", skp_version)),
    "penilaian-keberatan": row(
        pk("skp"),
        GET(API_405),
        API("post", "401 403 404 403 409 404 404 403", lambda w: skp_version(w, alasan="Tidak sesuai.")),
    ),
    # The kadis is the atasan pejabat penilai: no persona column of its own, so 403 everywhere.
    "penilaian-putuskan-keberatan": row(
        pk("skp"),
        GET(API_405),
        API("post", "401 403 404 403 403 404 404 403", lambda w: skp_version(w, keputusan="Ditolak.")),
    ),
    "penilaian-finalkan": row(pk("skp"), GET(API_405), API("post", "401 409 404 403 403 404 404 409", skp_version)),
    "penilaian-buka-kembali": row(
        pk("skp"),
        GET(API_405),
        API("post", "401 409 404 403 403 404 404 409", lambda w: skp_version(w, alasan="Salah nilai.")),
    ),
    # API: certificates (org.staf's, submitted) -----------------------------------------------
    "sertifikasi-list": row(None, GET(API_ALL), API("post", "401 400 400 400 400 400 400 400", {})),
    "sertifikasi-detail": row(
        pk("sertifikasi"),
        GET(API_STAF_SEES),
        API("patch", "401 200 404 403 200 404 404 200", sert_version),
        API("delete", "401 204 404 403 204 404 404 204", query=sert_version),
    ),
    "sertifikasi-verifikasi": row(
        pk("sertifikasi"), GET(API_405), API("post", "401 200 404 403 403 404 404 200", sert_version)
    ),
    "sertifikasi-tolak": row(
        pk("sertifikasi"),
        GET(API_405),
        API("post", "401 200 404 403 403 404 404 200", lambda w: sert_version(w, alasan="Berkas tidak terbaca.")),
    ),
    # Audit log ------------------------------------------------------------------------------
    # For BKPSDM staff and superusers; others are refused outright (403): the page is no secret.
    "core:audit": row(None, GET("302 200 200 403 403 403 403 200")),
    # Imports: for BKPSDM staff and superusers (403 for others); a job is its uploader's (404).
    "impor:index": row(None, GET(PELATIHAN_STAFF), POST(PELATIHAN_STAFF, {})),
    "impor:job": row(pk("import_job"), GET(IMPORT_JOB)),
    "impor:job_status": row(pk("import_job"), GET(IMPORT_JOB)),
    "impor:job_errors_csv": row(pk("import_job"), GET(IMPORT_JOB)),
    "impor:template_xlsx": row(lambda w: {"kind": "pegawai"}, GET(PELATIHAN_STAFF)),
    "impor:template_csv": row(lambda w: {"kind": "pegawai", "sheet": "pegawai"}, GET(PELATIHAN_STAFF)),
    # Pelatihan pages: pemda A's catalogue, org.staf's records -------------------------------
    # A record or catalogue entry seen but not the persona's to change: 403, like the API.
    "pelatihan:index": row(None, GET(REDIRECT_ALL)),
    "pelatihan:katalog": row(None, GET(PAGE_ALL)),
    "pelatihan:create": row(None, GET(PELATIHAN_STAFF), POST(PELATIHAN_STAFF, {})),
    "pelatihan:detail": row(pk("pelatihan"), GET(PAGE_PEMDA_A)),
    "pelatihan:edit": row(pk("pelatihan"), GET(PELATIHAN_MANAGED), POST(PELATIHAN_MANAGED, {})),
    # Everyone of pemda A with a pegawai applies (org.staf already has: a message); not an account without one.
    "pelatihan:daftar": row(pk("pelatihan"), GET(PAGE_POST_ONLY), POST("302 302 404 302 302 302 404 403", {})),
    "pelatihan:daftarkan": row(pk("pelatihan"), GET(PELATIHAN_MANAGED), POST(PELATIHAN_MANAGED, {})),
    "pelatihan:hasil": row(pk("pelatihan"), GET(PELATIHAN_MANAGED)),
    "pelatihan:penyelenggara_list": row(None, GET(PELATIHAN_STAFF)),
    "pelatihan:penyelenggara_create": row(None, GET(PELATIHAN_STAFF), POST(PELATIHAN_STAFF, {})),
    "pelatihan:penyelenggara_edit": row(pk("penyelenggara"), GET(PELATIHAN_MANAGED), POST(PELATIHAN_MANAGED, {})),
    "pelatihan:saya": row(None, GET(PAGE_ALL)),
    "pelatihan:mandiri_create": row(None, GET(PAGE_ALL), POST(PAGE_ALL, {})),
    "pelatihan:persetujuan": row(None, GET("302 200 403 200 200 200 200 403")),
    "pelatihan:antrean": row(None, GET(PELATIHAN_STAFF)),
    # org.staf's outside training, waiting for verification: the atasan sees it, may not change it.
    "pelatihan:riwayat": row(pk("mandiri"), GET(PAGE_STAF_SEES)),
    "pelatihan:bukti": row(pk("mandiri"), GET(PAGE_STAF_SEES)),
    "pelatihan:riwayat_edit": row(
        pk("mandiri"), GET("302 200 404 403 200 404 404 200"), POST("302 200 404 403 200 404 404 200", {})
    ),
    "pelatihan:riwayat_delete": row(
        pk("mandiri"), GET("302 200 404 403 200 404 404 200"), POST("302 302 404 403 302 404 404 302", {})
    ),
    # org.staf's registration waits for the kabid: only they may agree.
    "pelatihan:langkah": row(
        lambda w: {"pk": w.pendaftaran.pk, "step": "atasan_setujui"},
        GET(PAGE_POST_ONLY),
        POST("302 403 404 302 403 404 404 403", lambda w: {"version": w.pendaftaran.version}),
    ),
    "pelatihan:rekap_jp": row(None, GET(PELATIHAN_STAFF)),
    "pelatihan:rekap_jp_kurang": row(None, GET(PELATIHAN_STAFF)),
    # Staff, and an atasan for their subordinates (read only); a pegawai without any: 403.
    "pelatihan:kebutuhan": row(None, GET("302 200 200 200 403 200 403 200")),
    "pelatihan:asesmen_pegawai": row(nip, GET(PAGE_STAF_SEES)),
    "pelatihan:asesmen_tambah": row(nip, GET(PELATIHAN_STAF_MANAGED), POST(PELATIHAN_STAF_MANAGED, {})),
    "pelatihan:asesmen_ubah": row(pk("asesmen"), GET(PELATIHAN_STAF_MANAGED), POST(PELATIHAN_STAF_MANAGED, {})),
    "pelatihan:asesmen_hapus": row(
        pk("asesmen"), GET(PELATIHAN_STAF_MANAGED), POST("302 302 404 403 403 404 404 302", {})
    ),
    # Training-record lists: staff see those they manage (403 for others); one pegawai's for whoever sees them.
    "pelatihan:riwayat_daftar": row(None, GET(PELATIHAN_STAFF)),
    "pelatihan:riwayat_pegawai": row(nip, GET(PAGE_STAF_SEES)),
    # Karier: the dashboard is a BKPSDM tool (others 403: the page is no secret) --------------
    "karier:dashboard": row(None, GET(PELATIHAN_STAFF)),
    # Each user's own notices: org.staf's is nobody else's (404).
    "karier:notifikasi": row(None, GET(PAGE_ALL)),
    "karier:notifikasi_buka": row(pk("notifikasi"), GET(PAGE_POST_ONLY), POST("302 404 404 404 302 404 404 404", {})),
    "karier:notifikasi_baca_semua": row(None, GET(PAGE_POST_ONLY), POST(REDIRECT_ALL, {})),
    "dasbor-list": row(None, GET(API_STAFF)),
    # API: pelatihan ---------------------------------------------------------------------------
    "penyelenggara-list": row(None, GET(API_ALL), API("post", API_CREATE_STAFF, {})),
    "penyelenggara-detail": row(pk("penyelenggara"), GET(API_PEMDA_A), API("patch", API_WRITE_PEMDA_A, {})),
    "pelatihan-list": row(None, GET(API_ALL), API("post", API_CREATE_STAFF, {})),
    "pelatihan-detail": row(pk("pelatihan"), GET(API_PEMDA_A), API("patch", API_WRITE_PEMDA_A, {})),
    "pelatihan-daftar": row(pk("pelatihan"), GET(API_405), API("post", "401 201 404 201 409 201 404 403", {})),
    "pelatihan-daftarkan": row(pk("pelatihan"), GET(API_405), API("post", API_WRITE_PEMDA_A, {})),
    "pelatihan-hasil": row(pk("pelatihan"), GET(API_405), API("post", API_WRITE_PEMDA_A, {})),
    "riwayat-pelatihan-list": row(None, GET(API_ALL), API("post", "401 400 400 400 400 400 400 400", {})),
    "riwayat-pelatihan-detail": row(
        pk("mandiri"),
        GET(API_STAF_SEES),
        API("patch", "401 200 404 403 200 404 404 200", lambda w: {"version": w.mandiri.version}),
        API("delete", "401 204 404 403 204 404 404 204", query=lambda w: {"version": w.mandiri.version}),
    ),
    "riwayat-pelatihan-bukti": row(pk("mandiri"), GET(API_STAF_SEES)),
    "riwayat-pelatihan-verifikasi": row(
        pk("mandiri"), GET(API_405), API("post", "401 200 404 403 403 404 404 200", riwayat_version("mandiri"))
    ),
    "riwayat-pelatihan-atasan-setujui": row(
        pk("pendaftaran"),
        GET(API_405),
        API("post", "401 403 404 200 403 404 404 403", riwayat_version("pendaftaran")),
    ),
    "riwayat-pelatihan-atasan-tolak": row(
        pk("pendaftaran"),
        GET(API_405),
        API("post", "401 403 404 200 403 404 404 403", riwayat_version("pendaftaran", alasan="Belum perlu.")),
    ),
    "riwayat-pelatihan-konfirmasi": row(
        pk("pendaftaran"), GET(API_405), API("post", "401 200 404 403 403 404 404 200", riwayat_version("pendaftaran"))
    ),
    "riwayat-pelatihan-tolak": row(
        pk("pendaftaran"),
        GET(API_405),
        API("post", "401 200 404 403 403 404 404 200", riwayat_version("pendaftaran", alasan="Kuota penuh.")),
    ),
    "riwayat-pelatihan-batalkan": row(
        pk("pendaftaran"), GET(API_405), API("post", "401 200 404 403 200 404 404 200", riwayat_version("pendaftaran"))
    ),
    # Not yet confirmed: the result waits (409) for who may record it.
    "riwayat-pelatihan-hasil": row(
        pk("pendaftaran"),
        GET(API_405),
        API("post", "401 409 404 403 403 404 404 409", riwayat_version("pendaftaran", hadir=True)),
    ),
    "asesmen-kompetensi-list": row(None, GET(API_ALL), API("post", API_CREATE_STAFF, {})),
    "asesmen-kompetensi-detail": row(
        pk("asesmen"),
        GET(API_STAF_SEES),
        API("patch", API_WRITE_STAF, {}),
        API("delete", "401 204 404 403 403 404 404 204", query=lambda w: {"version": w.asesmen.version}),
    ),
    "kompetensi-gap-detail": row(nip, GET(API_STAF_SEES)),
    "rekap-jp-list": row(None, GET("401 200 200 403 403 403 403 200")),
    "kurang-jp-list": row(None, GET("401 200 200 403 403 403 403 200")),
    "kebutuhan-pelatihan-list": row(None, GET(API_ALL, query={"jenis": "jp"})),
    # Karier: eligibility lists, talent matrix and succession are BKPSDM tools (403 for others);
    # the career page follows the pegawai ----------------------------------------------------
    "karier:kenaikan_pangkat": row(None, GET(PELATIHAN_STAFF)),
    "karier:kgb": row(None, GET(PELATIHAN_STAFF)),
    "karier:pensiun": row(None, GET(PELATIHAN_STAFF)),
    "karier:talenta": row(None, GET(PELATIHAN_STAFF)),
    "karier:talenta_kotak": row(lambda w: {"kotak": 9}, GET(PELATIHAN_STAFF)),
    "karier:suksesi": row(None, GET(PELATIHAN_STAFF)),
    "karier:karier_pegawai": row(nip, GET(PAGE_STAF_SEES)),
    "kenaikan-pangkat-list": row(None, GET("401 200 200 403 403 403 403 200")),
    "kgb-list": row(None, GET("401 200 200 403 403 403 403 200")),
    "pensiun-list": row(None, GET("401 200 200 403 403 403 403 200")),
    "talenta-list": row(None, GET("401 200 200 403 403 403 403 200")),
    "talenta-pegawai-list": row(None, GET("401 200 200 403 403 403 403 200", query={"kotak": 9})),
    "suksesi-list": row(None, GET("401 200 200 403 403 403 403 200")),
}


# ---------------------------------------------------------------------------------------------
# Walking the URLconf


def _is_skipped(route, pattern):
    if route.startswith("admin/"):
        return True
    # The router's format-suffix variants (``\.(?P<format>[a-z0-9]+)``).
    regex = getattr(pattern.pattern, "regex", None)
    return "format" in (regex.groupindex if regex is not None else {}) or "<drf_format_suffix:format>" in route


def url_patterns(patterns=None, prefix="", namespace=None):
    """``(name, route)`` of every pattern, recursing into includes; ``name`` is namespaced."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from url_patterns(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern) and not _is_skipped(route, pattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, route


def test_every_url_pattern_has_a_row():
    found = {}
    for name, route in url_patterns():
        assert name, f"URL pattern {route!r} has no name: name it and add its row to ROUTES in {__file__}"
        found[name] = route
    missing = sorted(set(found) - set(ROUTES))
    assert not missing, (
        f"URL patterns without a row in ROUTES of {__file__} (how to build their kwargs and the status "
        "each persona gets): " + ", ".join(f"{name} ({found[name]})" for name in missing)
    )
    stale = sorted(set(ROUTES) - set(found))
    assert not stale, f"Rows of ROUTES for URL patterns that no longer exist: {', '.join(stale)}"


# ---------------------------------------------------------------------------------------------
# The matrix


def _value(value, w):
    return value(w) if callable(value) else value


def _client(world_clients, w, persona, check):
    if persona == "anonymous":
        return Client() if check.fresh_client else world_clients.anonymous
    if check.fresh_client:
        client = Client()
        client.force_login(getattr(w.persona, persona))
        return client
    return getattr(world_clients, persona)


def _send(client, check, url, w):
    query = _value(check.query, w)
    if query:
        url = f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}"
    data = _value(check.data, w)
    if check.method == "get":
        return client.get(url)
    if check.api:
        body = "" if data is None else json.dumps(data)
        return client.generic(check.method.upper(), url, body, content_type="application/json")
    return getattr(client, check.method)(url, data or {})


def _is_login_redirect(response):
    return response["Location"].startswith(reverse("akun:login"))


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_persona_gets_the_status_its_scope_gives(name, w, world_clients):
    entry = ROUTES[name]
    url = reverse(name, kwargs=entry.kwargs(w) if entry.kwargs else None)
    wrong = []
    for check in entry.checks:
        for persona, expected in codes(check.expect).items():
            client = _client(world_clients, w, persona, check)
            # Each request in a savepoint of its own: a write by one persona is undone before the next.
            with transaction.atomic():
                response = _send(client, check, url, w)
                transaction.set_rollback(True)
            got = response.status_code
            if got != expected:
                wrong.append(f"{check.method.upper()} {url} as {persona}: {got}, expected {expected}")
            elif persona == "anonymous" and got == 302 and not _is_login_redirect(response):
                wrong.append(f"{check.method.upper()} {url} as anonymous: redirects to {response['Location']}")
    assert not wrong, "\n".join(wrong)


# ---------------------------------------------------------------------------------------------
# What the table leaves out


def test_the_admin_is_for_superusers_only(w, world_clients):
    for persona in PERSONAS:
        response = getattr(world_clients, persona).get(reverse("admin:index"))
        if persona == "superuser":
            assert response.status_code == 200
        else:
            assert response.status_code == 302, persona
            assert response["Location"].startswith(reverse("admin:login")), persona


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("pegawai-detail", nip),
        ("sertifikasi-detail", pk("sertifikasi")),
        ("penilaian-detail", pk("skp")),
        ("pegawai-list", lambda w: {}),
    ],
    ids=["pegawai-detail", "sertifikasi-detail", "penilaian-detail", "pegawai-list"],
)
def test_format_suffix_variants_follow_the_same_scope(name, kwargs, w, world_clients):
    plain = reverse(name, kwargs=kwargs(w) or None)
    suffixed = reverse(name, kwargs={**kwargs(w), "format": "json"})
    assert suffixed.endswith(".json")
    for persona in PERSONAS:
        client = getattr(world_clients, persona)
        expected = client.get(plain).status_code
        response = client.get(suffixed)
        assert response.status_code == expected, (persona, suffixed)
        if expected == 200:
            assert response.json() == client.get(plain).json()

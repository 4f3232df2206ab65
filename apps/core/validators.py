"""Validators for the identity numbers of DOMAIN §1: NIP (Perka BKN 22/2007) and NIK."""

import datetime as dt
import re

from django.core.exceptions import ValidationError

_DIGITS = re.compile(r"^[0-9]+$")


def _date_or_none(year, month, day):
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_nip(nip):
    """Split a NIP into (birth date, TMT year, TMT month, gender digit); ValidationError if bad."""
    if not isinstance(nip, str) or not _DIGITS.match(nip):
        raise ValidationError("NIP hanya boleh berisi angka.", code="nip_digits")
    if len(nip) != 18:
        raise ValidationError("NIP harus 18 digit (saat ini %(n)d digit).", code="nip_length", params={"n": len(nip)})
    lahir = _date_or_none(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if lahir is None:
        raise ValidationError("Digit 1–8 NIP (tanggal lahir YYYYMMDD) bukan tanggal yang valid.", code="nip_birth")
    tmt_tahun, tmt_bulan = int(nip[8:12]), int(nip[12:14])
    if not 1 <= tmt_bulan <= 12:
        raise ValidationError("Digit 13–14 NIP (bulan TMT CPNS) harus 01 sampai 12.", code="nip_tmt_month")
    if tmt_tahun <= lahir.year:
        raise ValidationError("Digit 9–12 NIP (tahun TMT CPNS) harus setelah tahun lahir.", code="nip_tmt_year")
    if nip[14] not in "12":
        raise ValidationError("Digit 15 NIP (jenis kelamin) harus 1 (pria) atau 2 (wanita).", code="nip_gender")
    if nip[15:18] == "000":
        raise ValidationError("Digit 16–18 NIP (nomor urut) tidak boleh 000.", code="nip_sequence")
    return lahir, tmt_tahun, tmt_bulan, nip[14]


def validate_nip(nip):
    parse_nip(nip)


def validate_nip_matches(nip, *, tanggal_lahir=None, jenis_kelamin=None):
    """The birth date and gender on the record must agree with the NIP (DOMAIN §1)."""
    lahir, _, _, gender = parse_nip(nip)
    errors = {}
    if tanggal_lahir is not None and tanggal_lahir != lahir:
        errors["tanggal_lahir"] = ValidationError(
            "Tanggal lahir tidak sesuai dengan NIP (NIP menyatakan %(tgl)s).",
            code="nip_birth_mismatch",
            params={"tgl": lahir.strftime("%d-%m-%Y")},
        )
    if jenis_kelamin is not None and jenis_kelamin != gender:
        errors["jenis_kelamin"] = ValidationError(
            "Jenis kelamin tidak sesuai dengan digit 15 NIP.", code="nip_gender_mismatch"
        )
    if errors:
        raise ValidationError(errors)


def validate_nik(nik):
    """NIK: 16 digits; digits 7–12 are DDMMYY of birth, with +40 on the day for women."""
    if not _DIGITS.match(nik or ""):
        raise ValidationError("NIK hanya boleh berisi angka.", code="nik_digits")
    if len(nik) != 16:
        raise ValidationError("NIK harus 16 digit.", code="nik_length")
    day, month = int(nik[6:8]), int(nik[8:10])
    if day > 40:
        day -= 40
    # The century is not in the NIK; a 29 February must exist in one of the candidate years.
    yy = int(nik[10:12])
    if not any(_date_or_none(century + yy, month, day) for century in (1900, 2000)):
        raise ValidationError("Digit 7–12 NIK (tanggal lahir DDMMYY) bukan tanggal yang valid.", code="nik_birth")
    if nik[12:16] == "0000":
        raise ValidationError("Digit 13–16 NIK (nomor urut) tidak boleh 0000.", code="nik_sequence")


def nik_matches(nik, *, tanggal_lahir, jenis_kelamin):
    """True when the NIK's birth date (and +40 for women) agrees with the record."""
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    is_wanita = day > 40
    if is_wanita:
        day -= 40
    same_date = (day, month, yy) == (tanggal_lahir.day, tanggal_lahir.month, tanggal_lahir.year % 100)
    return same_date and is_wanita == (jenis_kelamin == "2")


def format_nip(nip):
    """Display form ``YYYYMMDD YYYYMM G NNN``."""
    if not nip or len(nip) != 18:
        return nip or ""
    return f"{nip[0:8]} {nip[8:14]} {nip[14]} {nip[15:18]}"

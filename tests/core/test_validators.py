import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.core.validators import format_nip, nik_matches, parse_nip, validate_nik, validate_nip, validate_nip_matches

GOOD_NIP = "196608011988031001"


def codes(exc_info):
    return {e.code for e in exc_info.value.error_list}


def test_a_good_nip_splits_into_birth_date_tmt_and_gender():
    assert parse_nip(GOOD_NIP) == (dt.date(1966, 8, 1), 1988, 3, "1")


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("196602301988031001", "nip_birth"),  # 30 February
        ("196613011988031001", "nip_birth"),  # month 13 in the birth date
        ("196608011988131001", "nip_tmt_month"),  # TMT month 13
        ("196608011988001001", "nip_tmt_month"),  # TMT month 00
        ("196608011966031001", "nip_tmt_year"),  # TMT in the birth year
        ("196608011988033001", "nip_gender"),  # gender digit 3
        ("196608011988031000", "nip_sequence"),  # sequence 000
        ("19660801198803100", "nip_length"),  # 17 digits
        ("1966080119880310011", "nip_length"),  # 19 digits
        ("19660801198803100A", "nip_digits"),  # a letter
        ("1966 0801 1988031001", "nip_digits"),  # spaces are for display only
        ("", "nip_digits"),
    ],
)
def test_a_bad_nip_is_refused_with_its_reason(nip, code):
    with pytest.raises(ValidationError) as exc_info:
        validate_nip(nip)
    assert codes(exc_info) == {code}
    assert exc_info.value.messages[0]  # an Indonesian sentence, not a code


def test_a_nip_on_29_february_of_a_leap_year_is_valid():
    validate_nip("198402292008012003")


def test_the_birth_date_on_the_record_must_agree_with_the_nip():
    with pytest.raises(ValidationError) as exc_info:
        validate_nip_matches(GOOD_NIP, tanggal_lahir=dt.date(1966, 8, 2), jenis_kelamin="1")
    assert set(exc_info.value.error_dict) == {"tanggal_lahir"}


def test_the_gender_on_the_record_must_agree_with_the_nip():
    with pytest.raises(ValidationError) as exc_info:
        validate_nip_matches(GOOD_NIP, tanggal_lahir=dt.date(1966, 8, 1), jenis_kelamin="2")
    assert set(exc_info.value.error_dict) == {"jenis_kelamin"}


def test_a_matching_record_passes():
    validate_nip_matches(GOOD_NIP, tanggal_lahir=dt.date(1966, 8, 1), jenis_kelamin="1")


def test_the_nip_is_displayed_in_four_groups():
    assert format_nip(GOOD_NIP) == "19660801 198803 1 001"


@pytest.mark.parametrize(
    "nik",
    ["1101010108660001", "1101014108660001"],  # a man born 01-08-66; a woman (+40 on the day)
)
def test_a_good_nik_is_accepted(nik):
    validate_nik(nik)


@pytest.mark.parametrize(
    "nik",
    [
        "110101010866000",
        "11010101086600a1",
        "1101013208660001",
        "1101017208660001",
        "1101010113660001",
        "1101010108660000",
    ],
)
def test_a_bad_nik_is_refused(nik):
    with pytest.raises(ValidationError):
        validate_nik(nik)


def test_the_nik_day_carries_plus_40_for_women_only():
    lahir = dt.date(1966, 8, 1)
    assert nik_matches("1101014108660001", tanggal_lahir=lahir, jenis_kelamin="2")
    assert not nik_matches("1101014108660001", tanggal_lahir=lahir, jenis_kelamin="1")
    assert nik_matches("1101010108660001", tanggal_lahir=lahir, jenis_kelamin="1")
    assert not nik_matches("1101010208660001", tanggal_lahir=lahir, jenis_kelamin="1")

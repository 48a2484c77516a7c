"""The API's registration answers with every problem at once, in the service's words, named as the
request names the fields (issue 13 item 8)."""

import datetime

import pytest

from hamkke.cases.models import Case
from hamkke.testing import make_rrn, with_wrong_check_digit

pytestmark = pytest.mark.django_db


def test_every_problem_of_a_registration_in_one_400(world, api_as):
    rrn = with_wrong_check_digit(make_rrn(datetime.date(1953, 8, 14), "M"))
    body = {
        "dong": "없는동",
        "address": "중구 을지로 1",
        "first_contact_on": "2999-01-01",
        "head": {"name": "김민수", "birth_date": "2999-01-01", "sex": "M", "rrn": rrn},
    }
    response = api_as("lead_worker").post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400, response.json()
    fields = response.json()["fields"]
    assert fields["dong"] == ["이 시군구에 없는 행정동입니다. 행정동 이름을 확인하세요."]
    future = "미래 날짜는 입력할 수 없습니다 — 오늘 또는 이전 날짜를 입력하세요"
    assert fields["first_contact_on"] == [future] and fields["head.birth_date"] == [future]
    assert fields["head.rrn"] == [
        "주민등록번호 검증번호가 맞지 않습니다. 다시 확인하세요.",
        "주민등록번호의 생년월일이 입력한 생년월일과 다릅니다. 둘 중 틀린 쪽을 고치세요.",
    ]
    assert not Case.objects.filter(household__address="중구 을지로 1").exists()

"""The money of a mission by deployment model, seen by finance only, every look logged."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from catalogue.models import DeploymentType
from placements.models import Case, SalaryAccess, SalaryTopUp
from portal import roles
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def pay_for(case, code, **fields):
    Case.objects.filter(pk=case.pk).update(deployment_type=DeploymentType.objects.get(code=code))
    case.refresh_from_db()
    return SalaryTopUp(case=case, **fields)


def test_an_integrated_expert_has_a_local_salary_and_a_top_up_with_currencies(case):
    pay_for(
        case,
        "integrated",
        local_salary=Decimal("450000"),
        local_currency="XOF",
        top_up=Decimal("2100.50"),
    ).full_clean()
    with pytest.raises(ValidationError) as error:
        pay_for(
            case, "integrated", local_salary=Decimal("450000"), local_currency="XOF"
        ).full_clean()
    assert "top_up" in error.value.message_dict


def test_a_national_expert_has_the_financed_local_salary_and_no_top_up(case):
    pay_for(case, "national", local_salary=Decimal("600000"), local_currency="XOF").full_clean()
    with pytest.raises(ValidationError) as error:
        pay_for(
            case, "national", local_salary=Decimal("1"), local_currency="XOF", top_up=Decimal("1")
        ).full_clean()
    assert "top_up" in error.value.message_dict


def test_a_technical_assistant_has_the_giz_contract_reference(case):
    pay_for(case, "technical_assistant", giz_contract_reference="81234567").full_clean()
    with pytest.raises(ValidationError) as error:
        pay_for(case, "technical_assistant").full_clean()
    assert "giz_contract_reference" in error.value.message_dict


def test_a_salary_needs_its_currency(case):
    with pytest.raises(ValidationError) as error:
        pay_for(case, "national", local_salary=Decimal("600000")).full_clean()
    assert "local_currency" in error.value.message_dict


@pytest.mark.parametrize(
    ("role", "sees"),
    [(roles.FINANCE, True), (roles.SKEW, False), (roles.GIZ, False), (roles.COORDINATOR, False)],
)
def test_only_finance_sees_salary_data_and_every_look_is_logged(case, role, sees):
    pay = pay_for(
        case,
        "integrated",
        local_salary=Decimal("450000"),
        local_currency="XOF",
        top_up=Decimal("2100"),
    )
    pay.save()
    user = make_user(f"{role.split()[0]}@example.org", role=role, staff=True, mfa=True)
    browser = Client()
    browser.force_login(user)

    listing = browser.get(reverse("admin:placements_salarytopup_changelist"))
    page = browser.get(reverse("admin:placements_salarytopup_change", args=[pay.pk]))
    case_page = browser.get(reverse("admin:placements_case_change", args=[case.pk]))

    if sees:
        assert listing.status_code == page.status_code == 200
        assert "2100" in page.content.decode()
        assert "2100" in case_page.content.decode()
        logged = list(SalaryAccess.objects.filter(user=user).values_list("action", "case"))
        assert sorted(logged, key=str) == sorted(
            [("list", None), ("view", case.pk), ("view", case.pk)], key=str
        )
    else:
        assert listing.status_code == page.status_code == 403
        assert "2100" not in case_page.content.decode()
        assert not SalaryAccess.objects.filter(user=user).exists()

"""Form pieces with behaviour of their own."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from roadmaps.forms import IndicatorValueForm, PlainSelect
from tests import factories


class _Choose(forms.Form):
    colour = forms.ChoiceField(choices=[("", "—"), ("r", "красный"), ("g", "<b>зелёный</b>")])


def test_a_plain_select_draws_what_djangos_select_draws():
    plain = _Choose({"colour": "g"})
    plain.fields["colour"].widget = PlainSelect(choices=plain.fields["colour"].choices)
    assert parse_html(str(plain["colour"])) == parse_html(str(_Choose({"colour": "g"})["colour"]))


@pytest.mark.django_db
def test_the_indicator_value_form_keeps_the_organisation_and_year_typed_when_refused():
    schools = [factories.OrganizationFactory(short_name=f"Школа № {n}") for n in (1, 2, 3)]
    form = IndicatorValueForm(
        {"organization": str(schools[1].pk), "year": "2025", "value": "много"},
        organizations=schools,
        years=range(2024, 2027),
    )
    assert not form.is_valid() and "value" in form.errors
    html = str(form["organization"]) + str(form["year"])
    assert f'<option value="{schools[1].pk}" selected>Школа № 2</option>' in html
    assert '<option value="2025" selected>2025</option>' in html
    assert html.count(" selected") == 2

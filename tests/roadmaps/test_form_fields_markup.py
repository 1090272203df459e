"""Form fields as assistive technology reads them: help text and errors apart, each tied to its input."""

from __future__ import annotations

from django.urls import reverse
from lxml import html


def test_password_change_errors_are_tied_to_the_field_and_kept_apart_from_the_help_text(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "123", "new_password2": "456"},
    )
    page = html.fromstring(response.content.decode())

    old = page.get_element_by_id("id_old_password")
    assert old.get("aria-invalid") == "true"
    assert old.get("aria-describedby") == "id_old_password_error"
    assert "неправильно" in page.get_element_by_id("id_old_password_error").text_content()

    new = page.get_element_by_id("id_new_password1")
    assert new.get("aria-describedby") == "id_new_password1_helptext"
    help_text = page.get_element_by_id("id_new_password1_helptext")
    assert help_text.find(".//ul") is not None  # Django's list of password rules, not glued to an error
    assert "error" not in help_text.get("class")

    again = page.get_element_by_id("id_new_password2")
    assert again.get("aria-invalid") == "true"
    assert again.get("aria-describedby") == "id_new_password2_helptext id_new_password2_error"
    assert page.get_element_by_id("id_new_password2_helptext").text_content().strip()
    error = page.get_element_by_id("id_new_password2_error")
    assert "не совпадают" in error.text_content()
    assert error.getparent().find("label").get("for") == "id_new_password2"


def test_password_change_form_without_errors_marks_no_field_invalid(client, world):
    client.force_login(world.staff)
    page = html.fromstring(client.get(reverse("password_change")).content.decode())
    assert not page.xpath("//*[@aria-invalid]")
    assert page.xpath("//label[@for='id_old_password']")

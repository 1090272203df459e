"""Keyboard use of the in-place report form on «Мои мероприятия»: focus goes into the form htmx inserts,
Tab stays in it, Escape and a save bring focus back to the row, and the live region says what happened."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

IN_ROW = "(id) => document.activeElement?.closest('#' + id) !== null"
ACTIVE = "() => document.activeElement?.getAttribute('name') || document.activeElement?.textContent.trim()"


def _active(page: Page) -> str:
    return page.evaluate(ACTIVE)


@pytest.mark.django_db(transaction=True)
def test_enter_on_mark_done_moves_focus_into_the_form_and_back_to_the_row(sign_in, world, artifacts):
    page = sign_in("coordinator")
    row_id = f"cp-{world.checkpoint.pk}"
    row = page.locator(f"#{row_id}")
    button = row.get_by_role("link", name="Отметить выполнение")

    button.focus()
    page.keyboard.press("Enter")
    form_row = page.locator(f"#{row_id}.editing")
    expect(form_row.get_by_label("Фактическая дата")).to_be_focused()

    # Tab walks the form's own fields and buttons: none of them is skipped and focus never leaves the row.
    visited = []
    for _ in range(6):
        page.keyboard.press("Tab")
        assert page.evaluate(IN_ROW, row_id), f"focus left the form after {visited}"
        visited.append(_active(page))
    assert visited[:2] == ["result", "url"]
    assert "Отправить на проверку" in visited

    # Escape is «Отмена»: the row comes back with focus on its button.
    page.keyboard.press("Escape")
    expect(row.get_by_role("link", name="Отметить выполнение")).to_be_focused()

    # A refused report keeps focus in the form, on the field with the error, tied to its message.
    page.keyboard.press("Enter")
    expect(form_row.get_by_label("Фактическая дата")).to_be_focused()
    result = form_row.get_by_label("Результат")
    result.fill("")
    form_row.get_by_role("button", name="Отправить на проверку").press("Enter")
    expect(result).to_have_attribute("aria-invalid", "true")
    expect(result).to_be_focused()
    expect(result).to_have_attribute("aria-describedby", "id_result_error")
    expect(page.locator("#id_result_error")).to_contain_text("Обязательное поле")
    expect(page.locator("#live-region")).to_have_text("Не сохранено: исправьте отмеченные поля.")

    # A saved report: the row again, focused (its button is gone), and the live region announces it.
    result.fill("Семинар проведён, 34 участника")
    form_row.get_by_role("button", name="Отправить на проверку").press("Enter")
    done = page.locator(f"#{row_id}[data-status=reported]")
    expect(done).to_be_focused()
    expect(page.locator("#live-region")).to_have_text("Отчёт отправлен на проверку.")
    page.screenshot(path=str(artifacts / "keyboard-report-saved.png"), full_page=True)

"""How the admin names each model inside a phrase, where the nominative `verbose_name` reads wrong.

Django builds «Выберите %s для изменения» and «Добавить %s» from `verbose_name` (nominative: «Выберите
дорожная карта») and counts a list as «5 организации». Each entry gives the accusative singular and the
forms after 2–4 and after 5 or more; a model missing here keeps its verbose names.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import models


class AdminName(NamedTuple):
    accusative: str
    few: str  # after 2, 3, 4 (22, 23…)
    many: str  # after 5–20, 0 (25, 11…)


ADMIN_NAMES: dict[str, AdminName] = {
    "auth.group": AdminName("группу", "группы", "групп"),
    "auth.user": AdminName("пользователя", "пользователя", "пользователей"),
    "axes.accessattempt": AdminName(
        "запись о попытке доступа", "записи о попытке доступа", "записей о попытке доступа"
    ),
    "axes.accessfailurelog": AdminName("ошибку доступа", "ошибки доступа", "ошибок доступа"),
    "axes.accesslog": AdminName("запись о доступе", "записи о доступе", "записей о доступе"),
    "organizations.region": AdminName("регион", "региона", "регионов"),
    "organizations.municipality": AdminName(
        "муниципальное образование", "муниципальных образования", "муниципальных образований"
    ),
    "organizations.organization": AdminName("организацию", "организации", "организаций"),
    "organizations.membership": AdminName("членство", "членства", "членств"),
    "organizations.organizationalias": AdminName(
        "написание организации", "написания организации", "написаний организации"
    ),
    "projects.project": AdminName("проект", "проекта", "проектов"),
    "projects.participant": AdminName("участника проекта", "участника проекта", "участников проекта"),
    "roadmaps.legalact": AdminName("правовой акт", "правовых акта", "правовых актов"),
    "roadmaps.roadmap": AdminName("дорожную карту", "дорожные карты", "дорожных карт"),
    "roadmaps.revision": AdminName("редакцию", "редакции", "редакций"),
    "roadmaps.revisionchange": AdminName(
        "изменение в редакции", "изменения в редакции", "изменений в редакции"
    ),
    "roadmaps.closedperiod": AdminName(
        "закрытый отчётный период", "закрытых отчётных периода", "закрытых отчётных периодов"
    ),
    "roadmaps.importconfirmation": AdminName(
        "подтверждённый импорт", "подтверждённых импорта", "подтверждённых импортов"
    ),
    "roadmaps.section": AdminName("раздел", "раздела", "разделов"),
    "roadmaps.activity": AdminName("мероприятие", "мероприятия", "мероприятий"),
    "roadmaps.responsibility": AdminName("ответственного", "ответственных", "ответственных"),
    "roadmaps.checkpoint": AdminName("контрольную точку", "контрольные точки", "контрольных точек"),
    "roadmaps.checkpointreopening": AdminName(
        "открытую контрольную точку закрытого периода",
        "открытые контрольные точки закрытого периода",
        "открытых контрольных точек закрытого периода",
    ),
    "roadmaps.checkpointtransition": AdminName(
        "смену статуса контрольной точки", "смены статуса контрольной точки", "смен статуса контрольной точки"
    ),
    "roadmaps.evidence": AdminName(
        "подтверждающий документ", "подтверждающих документа", "подтверждающих документов"
    ),
    "roadmaps.indicator": AdminName("показатель", "показателя", "показателей"),
    "roadmaps.indicatortarget": AdminName("целевое значение", "целевых значения", "целевых значений"),
    "roadmaps.indicatorvalue": AdminName(
        "фактическое значение", "фактических значения", "фактических значений"
    ),
    "reports.reportrun": AdminName("формирование отчёта", "формирования отчёта", "формирований отчёта"),
    "reports.reportschedule": AdminName("расписание отчёта", "расписания отчёта", "расписаний отчёта"),
    "reports.reminderlog": AdminName("напоминание", "напоминания", "напоминаний"),
    "reports.remindersettings": AdminName("правила напоминаний", "правила напоминаний", "правил напоминаний"),
    "reports.productioncalendarday": AdminName(
        "день производственного календаря",
        "дня производственного календаря",
        "дней производственного календаря",
    ),
    "reports.weeklysummarylog": AdminName(
        "еженедельную сводку", "еженедельные сводки", "еженедельных сводок"
    ),
}


def accusative(model: type[models.Model]) -> str:
    name = ADMIN_NAMES.get(model._meta.label_lower)
    return name.accusative if name else str(model._meta.verbose_name)


def counted(model: type[models.Model], count: int) -> str:
    """«1 организация», «3 организации», «25 организаций» (the Russian one/few/many rule)."""
    name = ADMIN_NAMES.get(model._meta.label_lower)
    if name is None:
        return f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
    if count % 10 == 1 and count % 100 != 11:
        form = str(model._meta.verbose_name)
    elif 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        form = name.few
    else:
        form = name.many
    return f"{count} {form}"

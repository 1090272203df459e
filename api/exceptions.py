"""Every error in one JSON shape, in Russian: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from roadmaps.services import ConcurrentEditError

MESSAGES = {
    "not_found": "Не найдено (или нет доступа).",
    "permission_denied": "Это действие недоступно вашей роли.",
    "not_authenticated": "Нужна авторизация: заголовок Authorization: Bearer <токен>.",
    "method_not_allowed": "Метод не поддерживается для этого адреса.",
    "throttled": "Слишком много запросов с этим токеном: повторите позже.",
    "parse_error": "Тело запроса не разобрано: проверьте формат JSON.",
    "unsupported_media_type": "Формат тела запроса не поддерживается.",
    "not_acceptable": "Запрошенный формат ответа не поддерживается.",
    "invalid": "Данные не приняты: исправьте отмеченные поля.",
}


def _fields(detail) -> dict:
    """DRF's nested error detail as {field: [messages]} (non-field errors under "__all__")."""
    if isinstance(detail, dict):
        return {
            ("__all__" if key == "non_field_errors" else key): (
                _fields(value) if isinstance(value, dict) else [str(item) for item in _as_list(value)]
            )
            for key, value in detail.items()
        }
    return {"__all__": [str(item) for item in _as_list(detail)]}


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _from_django(exc: Exception) -> exceptions.APIException | Response | None:
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        message = str(exc) or MESSAGES["permission_denied"]
        return exceptions.PermissionDenied(message)
    if isinstance(exc, ConcurrentEditError):
        return Response(
            _body(
                "precondition_failed", "Запись изменилась после того, как вы её прочитали: прочитайте снова."
            ),
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    if isinstance(exc, ValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return exceptions.ValidationError(fields)
    return None


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    converted = _from_django(exc)
    if isinstance(converted, Response):
        return converted
    exc = converted or exc
    response = exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's 500 handling (and its logging) takes it
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        fields = _fields(exc.detail)
        general = fields.get("__all__")
        message = general[0] if general and len(fields) == 1 else MESSAGES["invalid"]
        response.data = _body("invalid", message, fields)
        return response
    detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else code
    code = codes if isinstance(codes, str) else code
    message = (
        str(detail) if detail and str(detail) != str(exc.default_detail) else MESSAGES.get(code, str(detail))
    )
    response.data = _body(code, message)
    return response

"""The OpenAPI schema's shared parts: the error shape every operation may answer with."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Машиночитаемый код ошибки (not_found, invalid, …).")
    message = serializers.CharField(help_text="Что случилось, по-русски.")
    fields = serializers.DictField(
        child=serializers.JSONField(), help_text="Ошибки по полям: имя поля → список сообщений."
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


READ_ERRORS = {
    400: "Неверные параметры запроса",
    401: "Нет токена, или он недействителен, истёк или отозван",
    403: "Действие недоступно вашей роли или токену",
    404: "Не найдено или вне вашей области видимости",
    429: "Превышен лимит запросов для токена",
}
WRITE_ERRORS = {
    409: "Конфликт с текущим состоянием записи",
    412: "Запись изменилась после чтения (ETag не совпал)",
    415: "Формат тела запроса не поддерживается",
    428: "Нужен заголовок If-Match",
}


class ApiAutoSchema(AutoSchema):
    """Every operation documents the error responses it may give, in the one error shape."""

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        errors = dict(READ_ERRORS)
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            errors.update(WRITE_ERRORS)
        for code, description in errors.items():
            if str(code) not in bodies:
                bodies[str(code)] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), str(code), direction=direction
                )
        return bodies


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Персональный токен со страницы «API-токены»: Authorization: Bearer <токен>.",
        }

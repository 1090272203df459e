"""«API-токены»: a signed-in user's own personal tokens, created (the secret shown once) and revoked."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import ApiTokenForm
from api.models import ApiToken
from api.services import api_token_create, api_token_revoke


@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    issued = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = api_token_create(
                actor=request.user,
                name=data["name"],
                expires_on=data["expires_on"],
                read_only=data["read_only"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(owner=request.user).order_by("-created_at", "-pk")
    context = {"form": form, "tokens": tokens, "issued": issued}
    # The secret is in this response only: no cache may keep it.
    response = render(request, "api/token_list.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(owner=request.user), pk=pk)
    api_token_revoke(actor=request.user, token=token)
    messages.success(
        request, _("Токен «%(name)s» отозван: запросы с ним больше не принимаются.") % {"name": token.name}
    )
    return redirect("api_tokens:token-list")

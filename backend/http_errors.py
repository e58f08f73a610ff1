"""The JSON error shape of docs/api.md and the handlers that produce it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import DomainError

_STATUS_CODES = {
    400: "invalid_input",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    426: "protocol_too_old",
    429: "throttled",
}


class ApiError(Exception):
    """An expected refusal: becomes `{"error": {"code", "message"}}` with `status`."""

    def __init__(
        self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message, error.headers)

    @app.exception_handler(DomainError)
    async def _domain_error(_request: Request, error: DomainError) -> JSONResponse:
        return error_response(400, error.code, f"{error.message_zh} / {error.message_en}")

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(400, "invalid_input", f"请求内容无效 / invalid request ({_first_error(error.errors())})")

    @app.exception_handler(ValidationError)
    async def _model_validation(_request: Request, error: ValidationError) -> JSONResponse:
        """A wire model built inside a route refused a value (domain.bounds, a field type): the
        caller's input, answered like a body that failed validation, never a 500."""
        return error_response(400, "invalid_input", f"请求内容无效 / invalid request ({_first_error(error.errors())})")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(error.status_code, "error")
        message = str(error.detail)
        if error.status_code == 400 and message == "There was an error parsing the body":  # FastAPI's own words
            message = "请求内容不是有效的 JSON（或嵌套过深） / the body is not valid JSON (or is nested too deeply)"
        return error_response(error.status_code, code, message, getattr(error, "headers", None))


def _first_error(errors: Sequence[Any]) -> str:
    """Where and what of the first validation error; never the input itself (it may be an ID number)."""
    first = errors[0] if errors else {}
    where = ".".join(str(part) for part in first.get("loc", ()))
    return f"{where}: {first.get('msg', 'invalid')}"


UNAUTHENTICATED = ApiError(401, "unauthenticated", "请先登录 / please sign in")
FORBIDDEN = ApiError(403, "forbidden", "无权执行此操作 / your role may not do this")
OUT_OF_SCOPE = ApiError(403, "out_of_scope", "不属于您的营业单位 / outside your office")

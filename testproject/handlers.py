"""Site-wide 404 and 500 pages in the site's own look (and without any detail of the failure)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from .errors import PageError, error_page

__all__ = ["not_found", "server_error"]


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, PageError(404, "Not found", "There is no page at this address."))


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, PageError(500, "Something went wrong", "The error was logged; please try again."))

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class KoreanFirstLocaleMiddleware(LocaleMiddleware):
    """Korean unless the user chose otherwise (language cookie); the browser's Accept-Language is ignored.

    Django's LocaleMiddleware would follow Accept-Language, so a shared office PC with an English
    browser would show English to everyone; here the English switch is an explicit choice.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (Django's never-cache headers) on every answer a view makes: pages,
    htmx fragments, API answers and downloads all carry personal data, and office PCs are shared
    (issue 11, finding 11). Static files are answered by WhiteNoise before this middleware and keep
    their long cache; a view that sets its own Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

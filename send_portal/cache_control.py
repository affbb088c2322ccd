"""No page shown to a signed-in person is kept by a browser's cache or a proxy.

Any page behind sign-in may show a child's details, so the rule is simple and has
no list to forget: everything served to a signed-in user is ``no-store``. Static
files (served before this by WhiteNoise) and the public pages are not affected.
"""

from django.utils.cache import add_never_cache_headers, patch_cache_control


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response

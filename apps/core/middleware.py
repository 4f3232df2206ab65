class NoStoreMiddleware:
    """Pages and API answers for a signed-in user carry personal data: browsers and proxies
    must not keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        is_authed = (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META
        if is_authed and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response

"""The site's own middleware: the content security policy, the 4xx of a refused form, the one 429.

A refused POST answers 4xx (CONTRACTS.md), whichever view re-rendered the form. allauth's views (sign-up,
log-in, password change) re-render an invalid form with 200; scripts and tests that post to them should see
the refusal in the status too. Our own views already answer 400.
"""

from django.shortcuts import render

from commons.limits import RateLimited


class RefusedFormStatusMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        if request.method == "POST" and response.status_code == 200:
            form = (response.context_data or {}).get("form")
            if form is not None and getattr(form, "is_bound", False) and form.errors:
                response.status_code = 400
        return response


class RateLimitedMiddleware:
    """The one 429 of the site: a service that raised commons.limits.RateLimited is answered with a page
    that says in words, and in `Retry-After`, when to try again. Nothing was written (the service raised
    before, or inside, its transaction)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RateLimited):
            return None
        response = render(request, "429.html", {"message": exception.message}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response


# Privacy enforced by the browser: a page may load nothing from another host.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "interest-cohort=(), geolocation=(), camera=(), microphone=()")
        return response
